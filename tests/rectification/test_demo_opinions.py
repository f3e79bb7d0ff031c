"""The demo reaches the opinions phase with content, through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from appraisal.documents.models import IssuedDocument
from appraisal.models import Campaign, ScheduledEvent, ScoringRound, SelfReviewVersion
from rectification.models import AppraisalOpinion
from surveys.models import InvestigationReport

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_self_review_a_signed_report_and_an_acknowledged_opinion(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_opinions", stdout=StringIO())
    call_command("load_demo_opinions", stdout=StringIO())  # a second run changes nothing
    campaign = Campaign.objects.get(year=2026)
    assert campaign.phase == Campaign.Phase.OPINIONS
    versions = SelfReviewVersion.objects.filter(
        self_review__appraisal__unit__name="市住房和城乡建设局"
    )
    assert [(v.number, v.outcome) for v in versions] == [(1, "returned"), (2, "accepted")]
    report = InvestigationReport.objects.get()
    assert report.status == "accepted" and report.signoffs.count() == 2
    assert report.finding_choices.filter(included=False).exclude(omission_reason="").count() == 1
    opinion = AppraisalOpinion.objects.get()
    assert opinion.status == "acknowledged" and opinion.items.count() == 5
    # Numbered by the document layer, in the pattern of the campaign's issuing settings:
    # the meeting's results notice went out first and took 1号.
    assert opinion.document_number == f"江人常评〔{opinion.issue_date.year}〕2号"
    # The calendar, the opinion and the rectification report name one deadline.
    due = ScheduledEvent.objects.get(campaign=campaign, kind="rectification_report_due")
    assert opinion.reply_deadline == timezone.localdate(due.starts_at)
    numbers = IssuedDocument.objects.filter(campaign=campaign).order_by("number")
    assert [(d.number, d.kind) for d in numbers] == [(1, "notice"), (2, "opinion")]
    # The appraisal meeting was held: this year's first round is closed and published,
    # every unit scored, the housing bureau below the others.
    rnd = ScoringRound.objects.get(campaign=campaign)
    assert rnd.kind == ScoringRound.Kind.FIRST and rnd.state == ScoringRound.State.PUBLISHED
    results = {r.appraisal.unit.name: r for r in rnd.results.select_related("appraisal__unit")}
    assert len(results) == 4


def test_make_run_loads_the_demo_through_the_rectification_phase(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", through="rectification", stdout=out)
    assert Campaign.objects.get(year=2026).phase == Campaign.Phase.RECTIFICATION
    # The logins come last, where the person starting the app looks for them.
    assert out.getvalue().rstrip().splitlines()[-1].startswith("  (also office2")
