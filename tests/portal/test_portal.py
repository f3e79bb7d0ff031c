"""The public portal: what an anonymous visitor on a phone reads, light and script-free,
and nothing unpublished; the public page per unit with its published rectification
progress (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from appraisal.announcements import services as announcements
from appraisal.models import AuditEvent, Campaign
from appraisal.scoring import services as scoring
from rectification.publication import services as publication
from rectification.publication.selectors import public_progress
from surveys.questionnaires import services as questionnaires
from tests import factories
from tests.appraisal.conftest import make_round
from tests.portal.probe import notice
from tests.rectification.ledgerkit import advance, ledger_world, make_item  # noqa: F401

pytestmark = pytest.mark.django_db
CSS = (Path(settings.BASE_DIR) / "static/css/app.css").read_bytes()
LIMIT = 100 * 1024


def published_round(world):
    sw = make_round(world)
    scoring.round_open(round=sw.round, actor=world.office)
    for voter in sw.voters:
        scoring.ballot_cast(
            round_id=sw.round.pk,
            voter=voter,
            choices={world.appraisal_a.pk: "satisfied", world.appraisal_b.pk: "unsatisfied"},
        )
    scoring.round_close(round=sw.round, actor=world.office)
    scoring.round_publish(round=sw.round, actor=world.office)
    sw.round.refresh_from_db()
    return sw.round


def open_survey(world, *, access="link", title="办事群众满意度问卷"):
    survey = questionnaires.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, title=title,
        intro="", audience="public", access=access, opens_on=None, closes_on=None,
    )  # fmt: skip
    questionnaires.question_save(
        survey=survey, actor=world.leader, kind="text", text="意见", required=False, options="",
        max_choices=None,
    )  # fmt: skip
    questionnaires.survey_set_state(survey=survey, actor=world.leader, state="open")
    return survey


def test_root_is_the_portal_for_visitors_and_sign_in_stays_reachable(world, client, login):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200 and world.campaign.title in html
    assert f'href="{reverse("login")}"' in html and reverse("surveys:public_opinion") in html
    assert login(world.office).get("/").url == reverse("appraisal:office_overview")


def test_the_portal_shows_what_is_open_and_published_and_nothing_else(world, client):
    last_year = factories.CampaignFactory(year=2025, title="2025年度工作评议")
    survey = open_survey(world)
    deputies_only = open_survey(world, access="login", title="代表专用问卷")
    closed = open_survey(world, title="已结束问卷")
    questionnaires.survey_set_state(survey=closed, actor=world.leader, state="closed")
    unpublished = make_round(world).round
    html = client.get("/").content.decode()
    assert survey.title in html and reverse("surveys:answer", args=[survey.token]) in html
    assert deputies_only.title not in html and closed.title not in html
    assert unpublished.title not in html and "尚未公布测评结果" in html
    assert last_year.title in html
    assert client.get(reverse("portal:results", args=[unpublished.pk])).status_code == 404
    assert client.get(reverse("portal:year", args=[2025])).status_code == 200
    assert client.get(reverse("portal:year", args=[1999])).status_code == 404


def test_published_results_are_on_the_portal_with_the_unit_pages(world, client):
    rnd = published_round(world)
    assert rnd.title in client.get("/").content.decode()
    html = client.get(reverse("portal:results", args=[rnd.pk])).content.decode()
    assert world.appraisal_a.unit.name in html and "满意" in html and "不满意" in html
    unit = client.get(reverse("portal:appraisal", args=[world.appraisal_b.pk])).content.decode()
    assert rnd.title in unit and "不满意" in unit


def test_portal_pages_are_light_and_carry_no_script(world, client, ledger_world):  # noqa: F811
    rnd = published_round(world)
    a = notice(world, title="关于开展工作评议的公告", publish=True)
    open_survey(world)
    publication.progress_publication_move(
        appraisal=world.appraisal_a, action="publish", actor=world.office
    )
    make_item(world, world.opinion_a.items.first())
    urls = [
        "/",
        reverse("portal:home"),
        reverse("portal:notices"),
        reverse("portal:notice", args=[a.pk]),
        reverse("portal:results", args=[rnd.pk]),
        reverse("portal:appraisal", args=[world.appraisal_a.pk]),
        reverse("portal:year", args=[world.campaign.year]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content
        assert len(html) + len(CSS) < LIMIT, (url, len(html))
        assert b"<script" not in html.lower(), url
        assert re.findall(rb"<link[^>]+stylesheet[^>]+>", html) == [
            b'<link rel="stylesheet" href="/static/css/app.css">'
        ], url  # one stylesheet, the one counted
        assert b'name="viewport"' in html
    for url in (reverse("surveys:public_opinion"), reverse("surveys:opinion_status")):
        assert len(client.get(url).content) + len(CSS) < LIMIT


def test_a_unit_page_shows_rectification_progress_only_once_published(
    world,
    client,
    login,
    ledger_world,  # noqa: F811
):
    first, second = world.opinion_a.items.order_by("number")
    returned = advance(world, make_item(world, first, problem="窗口办件超时"), "returned")
    advance(world, make_item(world, first, problem="投诉回复慢", days=-3), "in_progress")
    make_item(world, second, problem="草稿中的事项")  # a draft plan: the unit's, not public
    url = reverse("portal:appraisal", args=[world.appraisal_a.pk])
    html = client.get(url).content.decode()
    assert "常委会尚未公开该单位的整改进展" in html and "窗口办件超时" not in html
    assert public_progress(world.appraisal_a) is None

    office = login(world.office)
    page = reverse("rectification:progress_publication", args=[world.appraisal_a.pk])
    assert "窗口办件超时" in office.get(page).content.decode()  # the office's preview
    office.post(page, {"action": "publish"})
    [row] = AuditEvent.objects.filter(action="rectification.progress.published")
    assert row.actor == world.office and row.object_id == str(world.appraisal_a.pk)
    office.logout()

    html = client.get(url).content.decode()
    assert "窗口办件超时" in html and "投诉回复慢" in html and "草稿中的事项" not in html
    assert "退回整改" in html and "60%" in html and "deadline-overdue" in html
    assert returned.deadline.isoformat() in html
    # no internal comments, evidence files or names
    assert "佐证不足" not in html and "现场.png" not in html and "evidence" not in html
    assert "王副局长" not in html and str(world.liaison_a) not in html
    assert str(world.leader) not in html
    # the other unit's progress is not published by A's publication
    other = client.get(reverse("portal:appraisal", args=[world.appraisal_b.pk])).content.decode()
    assert "常委会尚未公开该单位的整改进展" in other

    login(world.office).post(page, {"action": "withdraw"})
    assert AuditEvent.objects.filter(action="rectification.progress.withdrawn").count() == 1
    client.logout()
    assert "窗口办件超时" not in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["leader", "liaison_a", "deputy"])
def test_only_the_office_publishes_progress(world, login, who):
    from appraisal.errors import NotAllowed

    with pytest.raises(NotAllowed):
        publication.progress_publication_move(
            appraisal=world.appraisal_a, action="publish", actor=getattr(world, who)
        )
    page = reverse("rectification:progress_publication", args=[world.appraisal_a.pk])
    assert login(getattr(world, who)).post(page, {"action": "publish"}).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="rectification.progress").exists()


def test_progress_of_a_unit_without_an_issued_opinion_is_not_published(world, login):
    page = reverse("rectification:progress_publication", args=[world.appraisal_b.pk])
    office = login(world.office)
    assert 'value="publish"' not in office.get(page).content.decode()  # nothing to offer
    response = office.post(page, {"action": "publish"}, follow=True)
    assert "尚未向该单位印发评议意见" in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="rectification.progress").exists()


@pytest.mark.parametrize("who", ["office", "leader", "liaison_a", "liaison_b", "deputy", None])
def test_every_role_reads_the_same_public_pages(world, client, login, who):
    a = notice(world, publish=True)
    c = login(getattr(world, who)) if who else client
    for url in (
        reverse("portal:home"),
        reverse("portal:notice", args=[a.pk]),
        reverse("portal:appraisal", args=[world.appraisal_b.pk]),
    ):
        assert c.get(url).status_code == 200


def test_the_portal_home_takes_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    notice(world, publish=True)
    client.get("/")
    with django_assert_max_num_queries(12) as few:
        client.get("/")
    for i in range(8):
        notice(world, title=f"公告{i}", publish=True)
        factories.AppraisalFactory(campaign=world.campaign)
        announcements.announcement_save(
            campaign=world.campaign, actor=world.office,
            values={"kind": "other", "title": f"草稿{i}", "body": "x"},
        )  # fmt: skip
    for year in (2020, 2021, 2022):
        Campaign.objects.create(year=year, title=f"{year}年度")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")
