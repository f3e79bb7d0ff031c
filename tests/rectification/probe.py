"""Valid examples of the self-review, report and opinion routes for the hostile-input probe
(tests/test_hostile_input.py): one of each object behind them."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from appraisal.models import Campaign, SelfReview
from appraisal.selfreview import services as selfreview
from rectification.opinions import services as opinions
from surveys.models import Finding
from surveys.reports import services as reports
from tests import factories
from tests.conftest import World
from units.models import UnitTeamMember

SECTIONS = ("basics", "achievements", "problems", "causes", "measures", "fixed")


def examples(world: World) -> dict[str, dict[str, str]]:
    appraisal = world.appraisal_a
    head = factories.UserFactory(username="probe_head")
    factories.UnitTeamMemberFactory(unit=appraisal.unit, user=head, role=UnitTeamMember.Role.HEAD)
    phase = world.campaign.phase
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.SELF_REVIEW)
    appraisal.campaign.refresh_from_db()
    for f in Finding.objects.filter(appraisal=appraisal, forwarded_at__isnull=False):
        from surveys.answers.services import finding_answer_save

        finding_answer_save(finding=f, actor=world.liaison_a, response="accepted", text="已整改")
    review = selfreview.selfreview_save_draft(
        appraisal=appraisal, actor=world.liaison_a, content={k: f"{k}。" for k in SECTIONS}
    )
    attachment = selfreview.selfreview_attach(
        appraisal=appraisal,
        actor=world.liaison_a,
        upload=SimpleUploadedFile("报告.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    selfreview.selfreview_approve(self_review=review, actor=head)
    selfreview.selfreview_move(
        self_review=review, actor=world.liaison_a, to=SelfReview.Status.SUBMITTED
    )
    verified = Finding.objects.filter(appraisal=appraisal, status=Finding.Status.VERIFIED)
    report = reports.report_save_draft(
        appraisal=appraisal,
        actor=world.leader,
        title="",
        body="一、情况\n正文。",
        included={f.pk for f in verified},
        reasons={},
    )
    assert report.pk
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.OPINIONS)
    appraisal.campaign.refresh_from_db()
    opinion = opinions.opinion_save_draft(
        appraisal=appraisal,
        actor=world.office,
        title="",
        preamble="",
        reply_deadline=timezone.localdate() + datetime.timedelta(days=90),
    )
    item = opinions.opinion_item_add(
        opinion=opinion, actor=world.office, problem="问题", requirement="要求"
    )
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=phase)
    appraisal.campaign.refresh_from_db()
    a, c = str(appraisal.pk), str(world.campaign.pk)
    return {
        "appraisal:self_review": {"pk": a},
        "appraisal:self_review_approve": {"pk": a},
        "appraisal:self_review_submit": {"pk": a},
        "appraisal:self_review_review": {"pk": a},
        "appraisal:self_review_attach": {"pk": a},
        "appraisal:self_review_diff": {"pk": a},
        "appraisal:self_review_version": {"pk": a, "number": "1"},
        "appraisal:self_review_pdf": {"pk": a, "number": "1"},
        "appraisal:self_review_attachment": {"pk": str(attachment.pk)},
        "appraisal:self_review_detach": {"pk": str(attachment.pk)},
        "surveys:finding_answers": {"pk": a},
        "surveys:report": {"pk": a},
        "surveys:report_move": {"pk": a},
        "surveys:report_sign": {"pk": a},
        "surveys:report_pdf": {"pk": a},
        "surveys:meeting_packet": {"pk": a},
        "rectification:opinion": {"pk": a},
        "rectification:opinion_item_add": {"pk": a},
        "rectification:opinion_issue": {"pk": a},
        "rectification:opinion_acknowledge": {"pk": a},
        "rectification:opinion_publish": {"pk": a},
        "rectification:opinion_pdf": {"pk": a},
        "rectification:opinion_item": {"pk": str(item.pk)},
        "rectification:opinion_item_remove": {"pk": str(item.pk)},
        "rectification:campaign_summary": {"campaign_pk": c},
    }
