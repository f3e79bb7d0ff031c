"""Pages run the same number of queries with ten times the data.

Each test measures a page with one of everything its viewer can see, grows the data
the viewer sees on that page tenfold, and measures again: the counts must be equal.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appraisal.models import (
    Appraisal,
    Campaign,
    RoundGroup,
    ScoringRound,
    Voter,
    VoterGroup,
    WorkGroupMember,
)
from appraisal.scoring import services as scoring
from appraisal.scoring.rules import PRESETS
from surveys.models import (
    Answer,
    Finding,
    InvestigationActivity,
    Question,
    Response,
    Survey,
    SurveyRespondent,
)
from tests import factories
from tests.appraisal.conftest import make_round
from tests.conftest import World

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def assert_flat(client: Client, url: Callable[[], str], grow: Callable[[int], None]) -> None:
    client.get("/")  # the session's first request refreshes it: not part of the page
    grow(1)
    once = queries(client, url())
    grow(9)
    assert queries(client, url()) == once


# ---- data the viewers see ---------------------------------------------------------------


def add_findings(world: World, n: int) -> None:
    """Findings on appraisal A, every one verified and forwarded: all roles see them."""
    now = timezone.now()
    for i in range(n):
        activity = InvestigationActivity.objects.create(
            appraisal=world.appraisal_a,
            kind=InvestigationActivity.Kind.SYMPOSIUM,
            held_on=now.date(),
            summary=f"座谈{i}",
            recorded_by=world.leader,
        )
        Finding.objects.create(
            appraisal=world.appraisal_a,
            source=Finding.Source.ACTIVITY,
            activity=activity,
            text=f"问题{i}",
            status=Finding.Status.VERIFIED,
            verified_by=world.leader,
            verified_at=now,
            forwarded_at=now,
            submitted_by=world.leader,
        )
        Finding.objects.create(
            appraisal=world.appraisal_a,
            source=Finding.Source.DEPUTY,
            text=f"意见{i}",
            submitted_by=world.deputy,
        )


def add_surveys(world: World, n: int, *, appraisal: bool = True) -> None:
    """Open surveys for signed-in deputies, one question and one answer each."""
    for i in range(n):
        survey = Survey.objects.create(
            campaign=world.campaign,
            appraisal=world.appraisal_a if appraisal else None,
            title=f"问卷{i}",
            audience=Survey.Audience.DEPUTIES,
            access=Survey.Access.LOGIN,
            state=Survey.State.OPEN,
            token=f"t{Survey.objects.count()}-{i}",
            created_by=world.office,
        )
        question = Question.objects.create(
            survey=survey, position=1, kind=Question.Kind.SATISFACTION, text="满意吗"
        )
        response = Response.objects.create(survey=survey, submitted_on=timezone.localdate())
        Answer.objects.create(response=response, question=question, value="满意")
        if i % 2:
            SurveyRespondent.objects.create(survey=survey, user=world.deputy)


def add_appraisals(world: World, n: int) -> None:
    """Appraisals in this campaign led by the leader, and last years' appraisals of unit
    A (the unit's home lists every year), each with a published round."""
    for _ in range(n):
        appraisal = factories.AppraisalFactory(campaign=world.campaign)
        factories.WorkGroupMemberFactory(
            work_group=appraisal.work_group, user=world.leader, role=WorkGroupMember.Role.LEADER
        )
        factories.UnitTeamMemberFactory(unit=appraisal.unit)
        old = factories.CampaignFactory(
            year=1900 + Campaign.objects.count(), phase=Campaign.Phase.CLOSED
        )
        past = factories.AppraisalFactory(campaign=old, unit=world.appraisal_a.unit)
        group = factories.VoterGroupFactory(campaign=old)
        factories.VoterFactory(voter_group=group, user=world.deputy)
        rnd = scoring.round_save(
            campaign=old,
            actor=world.office,
            title="测评",
            kind=1,
            appraisals=[past],
            voter_groups=[group],
            allow_unknown=False,
            rule=PRESETS["rate_80_60"],
        )
        scoring.round_set_attendance(
            round=rnd,
            actor=world.office,
            groups={rg.pk: {"present": 1} for rg in RoundGroup.objects.filter(round=rnd)},
        )
        scoring.round_open(round=rnd, actor=world.office)
        scoring.ballot_cast(round_id=rnd.pk, voter=world.deputy, choices={past.pk: "satisfied"})
        scoring.round_close(round=rnd, actor=world.office)
        scoring.round_publish(round=rnd, actor=world.office)


def grow_everything(world: World) -> Callable[[int], None]:
    def grow(n: int) -> None:
        add_appraisals(world, n)
        add_findings(world, n)
        add_surveys(world, n)
        add_surveys(world, n, appraisal=False)

    return grow


# ---- pages ------------------------------------------------------------------------------

HOMES = [
    ("office", "appraisal:office_overview"),
    ("leader", "appraisal:workgroup_home"),
    ("liaison_a", "appraisal:unit_home"),
    ("deputy", "appraisal:deputy_home"),
]


@pytest.mark.parametrize(("who", "route"), HOMES)
def test_home_pages_do_not_grow_with_the_data(world, login, who, route):
    client = login(getattr(world, who))
    assert_flat(client, lambda: reverse(route), grow_everything(world))
    # The grown rows are ones this viewer sees: the check above measured real growth.
    html = client.get(reverse(route)).content.decode()
    newest = Appraisal.objects.order_by("-pk").first()
    if who in ("office", "leader"):  # the office's and the leader's new appraisals
        assert newest.unit.name in html
    if who == "liaison_a":  # the unit's appraisals of ten earlier years
        assert sum(f"{1900 + i}年度" in html for i in range(1, 25)) >= 10
    if who == "deputy":  # ten published rounds
        assert html.count('href="/results/') >= 10


@pytest.mark.parametrize("who", ["office", "leader", "liaison_a"])
def test_appraisal_page_does_not_grow_with_the_data(world, login, who):
    client = login(getattr(world, who))
    assert_flat(client, world.appraisal_a.get_absolute_url, grow_everything(world))


@pytest.mark.parametrize("who", ["office", "leader", "liaison_a"])
def test_findings_list_does_not_grow_with_the_findings(world, login, who):
    url = reverse("surveys:findings", args=[world.appraisal_a.pk])
    html_before = login(getattr(world, who)).get(url).content.decode()
    assert "问题0" not in html_before
    assert_flat(login(getattr(world, who)), lambda: url, lambda n: add_findings(world, n))
    assert "问题8" in login(getattr(world, who)).get(url).content.decode()  # they see the rows


@pytest.mark.parametrize(
    ("who", "route", "appraisal"),
    [
        ("leader", "surveys:survey_list", True),
        ("office", "surveys:survey_list", True),
        ("office", "surveys:campaign_surveys", False),
    ],
)
def test_survey_list_does_not_grow_with_the_surveys(world, login, who, route, appraisal):
    pk = world.appraisal_a.pk if appraisal else world.campaign.pk
    url = reverse(route, args=[pk])
    client = login(getattr(world, who))
    assert_flat(client, lambda: url, lambda n: add_surveys(world, n, appraisal=appraisal))
    assert "问卷8" in client.get(url).content.decode()


def _round_with(world: World, n: int) -> ScoringRound:
    """An open round over every appraisal of the campaign, with 2×n voters who voted and
    paper tallies entered for each group."""
    ScoringRound.objects.filter(campaign=world.campaign).delete()
    for _ in range(len(world.campaign.appraisals.all()), 2 * n):
        factories.AppraisalFactory(campaign=world.campaign)
    sw = make_round(world, voters=2 * n)
    appraisals = list(world.campaign.appraisals.all())
    rnd = scoring.round_save(
        campaign=world.campaign,
        actor=world.office,
        round=sw.round,
        title=sw.round.title,
        kind=1,
        appraisals=appraisals,
        voter_groups=[sw.committee, sw.deputies],
        allow_unknown=False,
        rule=PRESETS["rate_80_60"],
    )
    scoring.round_open(round=rnd, actor=world.office)
    for voter in sw.voters:
        scoring.ballot_cast(
            round_id=rnd.pk, voter=voter, choices={a.pk: "satisfied" for a in appraisals}
        )
    for group in RoundGroup.objects.filter(round=rnd):
        scoring.paper_tally_enter(
            round=rnd,
            voter_group=group.voter_group,
            actor=world.office,
            rows={a.pk: {"satisfied": 1, "basically_satisfied": 0, "unsatisfied": 0} for a in appraisals},
        )  # fmt: skip
    return rnd


@pytest.mark.parametrize("page", ["round_detail", "round_tally_group"])
def test_round_pages_do_not_grow_with_voters_and_units(world, login, page):
    client = login(world.office)
    client.get("/")
    counts = []
    for n in (1, 10):
        # Earlier rounds' voter groups would pile up: start each size from the world's.
        ScoringRound.objects.all().delete()
        Voter.objects.exclude(user=world.deputy).delete()
        VoterGroup.objects.filter(campaign=world.campaign).exclude(
            voters__user=world.deputy
        ).delete()
        rnd = _round_with(world, n)
        group = RoundGroup.objects.filter(round=rnd).first()
        args = [rnd.pk] if page == "round_detail" else [rnd.pk, group.voter_group_id]
        counts.append(queries(client, reverse(f"appraisal:{page}", args=args)))
    assert counts[0] == counts[1]


# ---- feedback to those who raised a problem ------------------------------------------------


def raised_with_progress(world: World) -> Callable[[int], None]:
    """Each step: a deputy's finding and an opinion item resting on it and on one public
    finding, with a closed rectification item and a closure notice to the deputy."""
    from appraisal.models import AuditEvent
    from rectification.models import (
        AppraisalOpinion,
        ClosureNotice,
        OpinionItem,
        RectificationItem,
    )

    now = timezone.now()
    opinion = AppraisalOpinion.objects.create(
        appraisal=world.appraisal_a,
        campaign=world.campaign,
        status=AppraisalOpinion.Status.ISSUED,
        title="意见",
        number=1,
        document_number="江人常评〔2026〕1号",
        issued_at=now,
    )
    public = Finding.objects.create(
        appraisal=world.appraisal_a,
        source=Finding.Source.PUBLIC,
        text="群众意见",
        status=Finding.Status.VERIFIED,
        receipt_code="ABCDEFGHJK",
    )

    def grow(n: int) -> None:
        for _ in range(n):
            finding = Finding.objects.create(
                appraisal=world.appraisal_a,
                source=Finding.Source.DEPUTY,
                text="代表意见",
                status=Finding.Status.VERIFIED,
                submitted_by=world.deputy,
            )
            op = OpinionItem.objects.create(
                opinion=opinion,
                number=OpinionItem.objects.count() + 1,
                problem="问题",
                requirement="要求",
            )
            op.findings.add(finding, public)
            for status in ("in_progress", "closed"):
                item = RectificationItem.objects.create(
                    appraisal=world.appraisal_a,
                    opinion_item=op,
                    status=status,
                    category="deadline",
                    problem=f"整改事项{status}",
                    percent=100 if status == "closed" else 50,
                    closing_note="整改到位" if status == "closed" else "",
                    closed_on=now.date() if status == "closed" else None,
                    responsible_leader="王",
                    responsible_department="科",
                    created_by=world.liaison_a,
                )
            event = AuditEvent.objects.create(action="rectification.item.close")
            ClosureNotice.objects.create(person=world.deputy, item=item, closure=event)

    return grow


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("deputy", reverse("appraisal:deputy_home")),
        ("deputy", reverse("surveys:deputy_opinions")),
        ("deputy", reverse("rectification:reminders")),
        (None, reverse("surveys:opinion_status") + "?code=ABCDEFGHJK"),
    ],
)
def test_feedback_pages_do_not_grow_with_the_findings_and_items(world, login, client, who, url):
    client = login(getattr(world, who)) if who else client
    assert_flat(client, lambda: url, raised_with_progress(world))
    html = client.get(url).content.decode()
    assert html.count("整改事项closed") >= 10  # the grown items are on the page
