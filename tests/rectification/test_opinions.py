"""Appraisal opinions: drafting, stable item numbers, issuing with a number once, the
unit's single acknowledgement, who sees what, and the issued document's text."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisal.documents.models import IssuedDocument
from appraisal.documents.services import document_issue, issuing_settings_save
from appraisal.errors import DomainError, NotAllowed, PhaseError
from appraisal.models import AuditEvent, Campaign
from rectification.models import AppraisalOpinion
from rectification.opinions import services
from tests.pdftext import pdf_text
from tests.rectification.conftest import doc_number, drafted, verified

pytestmark = pytest.mark.django_db


def test_items_close_up_in_a_draft_and_freeze_at_issue(opinions_phase):
    world = opinions_phase
    opinion = drafted(world, world.appraisal_a, items=3)
    second = opinion.items.get(number=2)
    services.opinion_item_remove(item=second, actor=world.office)
    assert list(opinion.items.values_list("number", "problem")) == [
        (1, "问题1：窗口服务效率不高"),
        (2, "问题3：窗口服务效率不高"),
    ]
    issued = services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    assert issued.document_number == doc_number(1)
    with pytest.raises(DomainError, match="不能再修改"):
        services.opinion_item_add(opinion=opinion, actor=world.office, problem="x", requirement="y")
    with pytest.raises(DomainError, match="不能再修改"):
        services.opinion_item_remove(item=opinion.items.first(), actor=world.office)
    with pytest.raises(DomainError, match="不能再修改"):
        services.opinion_save_draft(
            appraisal=world.appraisal_a,
            actor=world.office,
            title="改",
            preamble="",
            reply_deadline=None,
        )


def test_issuing_needs_the_phase_items_and_a_deadline(world):
    opinion = drafted(world, world.appraisal_a, items=0)
    with pytest.raises(PhaseError):
        services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.OPINIONS)
    with pytest.raises(DomainError, match="至少要有一条"):
        services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    services.opinion_item_add(opinion=opinion, actor=world.office, problem="p", requirement="r")
    services.opinion_save_draft(
        appraisal=world.appraisal_a,
        actor=world.office,
        title="",
        preamble="",
        reply_deadline=timezone.localdate(),
    )
    with pytest.raises(DomainError, match="期限"):
        services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    with pytest.raises(NotAllowed):
        services.opinion_move(opinion=opinion, actor=world.leader, to="issued")
    assert AppraisalOpinion.objects.get().number is None


def test_numbers_follow_each_other_and_are_never_reused(opinions_phase):
    world = opinions_phase
    a = drafted(world, world.appraisal_a)
    b = drafted(world, world.appraisal_b)
    a = services.opinion_move(opinion=a, actor=world.office, to="issued")
    with pytest.raises(DomainError):
        services.opinion_move(opinion=a, actor=world.office, to="issued")
    b = services.opinion_move(opinion=b, actor=world.office, to="issued")
    assert (a.number, b.number) == (1, 2)
    # Each opinion took one number of the campaign's document register.
    assert sorted(IssuedDocument.objects.values_list("number", "kind", "number_text")) == [
        (1, "opinion", doc_number(1)),
        (2, "opinion", doc_number(2)),
    ]


def test_opinions_share_the_campaigns_document_numbers(opinions_phase):
    """A 通报 issued first takes number 1; the opinion gets the next one, in the pattern
    of the campaign's issuing settings."""
    world = opinions_phase
    issuing_settings_save(
        campaign=world.campaign,
        actor=world.office,
        values={"number_pattern": "江人常评〔{year}〕{n}号"},
    )
    document_issue(
        campaign=world.campaign,
        kind=IssuedDocument.Kind.NOTICE,
        subject="round-results:1",
        title="通报",
        date=datetime.date(2026, 7, 1),
        actor=world.office,
    )
    opinion = drafted(world, world.appraisal_a)
    opinion = services.opinion_move(
        opinion=opinion, actor=world.office, to="issued", issue_date=datetime.date(2026, 7, 10)
    )
    assert (opinion.number, opinion.document_number) == (2, "江人常评〔2026〕2号")
    issued = IssuedDocument.objects.get(subject=f"opinion:{opinion.pk}")
    assert (issued.kind, issued.title, issued.date) == (
        "opinion",
        opinion.title,
        datetime.date(2026, 7, 10),
    )


def test_an_item_rests_only_on_verified_findings_of_its_appraisal(opinions_phase):
    world = opinions_phase
    opinion = drafted(world, world.appraisal_a, items=0)
    other = verified(world.appraisal_b)
    with pytest.raises(DomainError, match="已核实"):
        services.opinion_item_add(
            opinion=opinion, actor=world.office, problem="p", requirement="r", findings=[other]
        )


def test_the_unit_acknowledges_once(opinions_phase, login):
    world = opinions_phase
    opinion = drafted(world, world.appraisal_a)
    services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    url = reverse("rectification:opinion_acknowledge", args=[world.appraisal_a.pk])
    assert login(world.liaison_b).post(url).status_code == 404
    assert login(world.leader).post(url).status_code == 403
    assert login(world.liaison_a).post(url).status_code == 302
    first = AppraisalOpinion.objects.get()
    assert first.status == "acknowledged" and first.acknowledged_by == world.liaison_a
    login(world.liaison_a).post(url)
    again = AppraisalOpinion.objects.get()
    assert again.acknowledged_at == first.acknowledged_at
    assert AuditEvent.objects.filter(action="rectification.opinion.acknowledged").count() == 1


def _status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize(
    "who, draft, issued, published",
    [
        ("office", 200, 200, 200),
        ("leader", 200, 200, 200),
        ("liaison_a", 404, 200, 200),
        ("liaison_b", 404, 404, 404),
        ("deputy", 404, 404, 200),
        ("outsider", 404, 404, 404),
        (None, 302, 302, 302),
    ],
)
def test_who_sees_the_opinion(opinions_phase, login, client, who, draft, issued, published):
    world = opinions_phase
    if who:
        login(getattr(world, who))
    opinion = drafted(world, world.appraisal_a)
    urls = [
        reverse("rectification:opinion", args=[world.appraisal_a.pk]),
        reverse("rectification:opinion_pdf", args=[world.appraisal_a.pk]),
    ]
    # The unit's own team reads "not issued yet" on the page its appraisal links to.
    draft_page = 200 if who == "liaison_a" else draft
    assert [_status(client, u) for u in urls] == [draft_page, draft]
    services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    assert [_status(client, u) for u in urls] == [issued] * 2
    services.opinion_publish(opinion=opinion, actor=world.office)
    assert [_status(client, u) for u in urls] == [published] * 2


def test_the_unit_reads_not_issued_yet_without_the_draft(opinions_phase, login):
    """The unit's appraisal page links to the opinion: before it is issued the link
    leads to a page saying so, never to the draft and never to a 404."""
    world = opinions_phase
    url = reverse("rectification:opinion", args=[world.appraisal_a.pk])
    html = login(world.liaison_a).get(url).content.decode()
    assert "评议意见尚未印发给该单位" in html
    drafted(world, world.appraisal_a)
    html = login(world.liaison_a).get(url).content.decode()
    assert "评议意见尚未印发给该单位" in html and "限时办结" not in html
    assert login(world.liaison_b).get(url).status_code == 404


def test_deputies_read_findings_as_text_not_links(opinions_phase, login):
    world = opinions_phase
    opinion = drafted(world, world.appraisal_a)
    services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    services.opinion_publish(opinion=opinion, actor=world.office)
    url = reverse("rectification:opinion", args=[world.appraisal_a.pk])
    finding = opinion.items.first().findings.first()
    html = login(world.deputy).get(url).content.decode()
    assert finding.get_absolute_url() not in html
    assert world.appraisal_a.get_absolute_url() + '"' not in html
    assert reverse("rectification:deputy_progress") in html
    html = login(world.leader).get(url).content.decode()
    assert finding.get_absolute_url() in html


def test_only_the_office_drafts(opinions_phase, login):
    world = opinions_phase
    url = reverse("rectification:opinion", args=[world.appraisal_a.pk])
    data = {"title": "意见", "preamble": "", "reply_deadline": "2030-01-01"}
    # They may open the (empty) page, so a write is forbidden rather than not found.
    assert login(world.leader).post(url, data).status_code == 403
    assert login(world.liaison_a).post(url, data).status_code == 403
    assert not AppraisalOpinion.objects.exists()
    assert login(world.office).post(url, data).status_code == 302
    opinion = AppraisalOpinion.objects.get()
    add = reverse("rectification:opinion_item_add", args=[world.appraisal_a.pk])
    item = {"problem": "问题", "requirement": "要求"}
    assert login(world.leader).post(add, item).status_code == 403
    assert login(world.office).post(add, item).status_code == 302
    assert opinion.items.count() == 1
    edit = reverse("rectification:opinion_item", args=[opinion.items.get().pk])
    assert login(world.leader).get(edit).status_code == 403
    assert login(world.office).get(edit).status_code == 200


def test_the_issued_document_carries_number_addressee_and_body(opinions_phase, login):
    world = opinions_phase
    issuing_settings_save(
        campaign=world.campaign,
        actor=world.office,
        values={
            "letterhead": "江川市人大常委会工作评议领导小组办公室",
            "number_pattern": "江人常评〔{year}〕{n}号",
            "signatory": "江川市人大常委会",
            "copy_to": "市人大常委会主任会议成员",
            "printed_by": "江川市人大常委会办公室",
        },
    )
    opinion = drafted(world, world.appraisal_a, items=2)
    services.opinion_move(
        opinion=opinion, actor=world.office, to="issued", issue_date=datetime.date(2026, 7, 10)
    )
    response = login(world.liaison_a).get(
        reverse("rectification:opinion_pdf", args=[world.appraisal_a.pk])
    )
    text = pdf_text(response.content)
    assert "关于对市住房和城乡建设局2026年度工作评议的意见" in text
    assert "江川市人大常委会工作评议领导小组办公室" in text  # the letterhead
    assert "江人常评〔2026〕1号" in text
    assert "市住房和城乡建设局：" in text
    assert "一、问题1：窗口服务效率不高" in text and "二、问题2" in text
    assert "整改要求：要求1：建立限时办结制度" in text
    assert "江川市人大常委会2026年7月10日抄送" in text  # signature and date above 版记
    assert "抄送：市人大常委会主任会议成员。" in text
    assert "江川市人大常委会办公室" in text and "2026年7月10日印发" in text
    # Settings changed after the issue do not change the issued document.
    issuing_settings_save(campaign=world.campaign, actor=world.office, values={"copy_to": "别处"})
    again = pdf_text(
        login(world.liaison_a)
        .get(reverse("rectification:opinion_pdf", args=[world.appraisal_a.pk]))
        .content
    )
    assert "抄送：市人大常委会主任会议成员。" in again and "别处" not in again


def test_a_draft_prints_without_a_number(opinions_phase, login):
    world = opinions_phase
    drafted(world, world.appraisal_a)
    text = pdf_text(
        login(world.office)
        .get(reverse("rectification:opinion_pdf", args=[world.appraisal_a.pk]))
        .content
    )
    assert "草稿，未印发" in text and "人常评" not in text
    assert "市住房和城乡建设局：" in text


def test_the_campaign_summary_is_the_offices(opinions_phase, login):
    world = opinions_phase
    opinion = drafted(world, world.appraisal_a)
    services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    url = reverse("rectification:campaign_summary", args=[world.campaign.pk])
    for who in ("leader", "liaison_a", "deputy", "outsider"):
        assert login(getattr(world, who)).get(url).status_code == 403
    text = pdf_text(login(world.office).get(url).content)
    assert "进展情况的报告" in text
    assert "市住房和城乡建设局" in text and "市交通运输局" in text
    assert doc_number(1) in text
    assert "已印发评议意见1份" in text


def test_date_fields_render_as_iso_dates_a_browser_accepts(opinions_phase, login):
    world = opinions_phase
    drafted(world, world.appraisal_a)
    html = (
        login(world.office)
        .get(reverse("rectification:opinion", args=[world.appraisal_a.pk]))
        .content.decode()
    )
    today = timezone.localdate().isoformat()
    assert f'type="date" name="issue_date" value="{today}"' in html
    deadline = (timezone.localdate() + datetime.timedelta(days=120)).isoformat()
    assert f'value="{deadline}"' in html


def test_deputies_follow_progress_without_drafts(opinions_phase, login):
    world = opinions_phase
    opinion = drafted(world, world.appraisal_a)
    url = reverse("rectification:deputy_progress")
    for who in ("liaison_a", "leader", "outsider"):
        assert login(getattr(world, who)).get(url).status_code == 403
    html = login(world.deputy).get(url).content.decode()
    assert "市住房和城乡建设局" in html and "人常评" not in html
    services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    assert "人常评" not in login(world.deputy).get(url).content.decode()
    services.opinion_publish(opinion=opinion, actor=world.office)
    assert doc_number(1) in login(world.deputy).get(url).content.decode()


def test_home_pages_say_what_is_due(opinions_phase, login):
    world = opinions_phase
    opinion = drafted(world, world.appraisal_a)
    unit = reverse("appraisal:unit_home")
    assert "签收评议意见" not in login(world.liaison_a).get(unit).content.decode()
    services.opinion_move(opinion=opinion, actor=world.office, to="issued")
    html = login(world.liaison_a).get(unit).content.decode()
    assert "签收评议意见" in html and doc_number(1) in html
    assert "人常评" not in login(world.liaison_b).get(unit).content.decode()
    groups = login(world.leader).get(reverse("appraisal:workgroup_home")).content.decode()
    assert "撰写调研报告" in groups
