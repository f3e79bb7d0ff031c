"""Self-review: drafts, head approval, submission with its phase gate, return with
comments per section, frozen versions, the side-by-side diff, files, answers, the PDF."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from appraisal.documents.services import issuing_settings_of
from appraisal.errors import DomainError, NotAllowed, PhaseError
from appraisal.models import AuditEvent, Campaign, SelfReview, SelfReviewVersion
from appraisal.selfreview import services
from surveys.answers.services import finding_answer_save
from surveys.models import Finding
from tests import factories
from tests.pdftext import pdf_text
from units.models import UnitTeamMember

pytestmark = pytest.mark.django_db

CONTENT = {
    "basics": "本局共有内设机构12个。",
    "achievements": "全年办结群众诉求3,200件。",
    "problems": "物业管理投诉办理慢。\n老旧小区改造进度不均衡。",
    "causes": "监管力量不足。",
    "measures": "建立投诉限时办结制度。",
    "fixed": "已清理积案45件。",
}


@pytest.fixture
def team(world):
    head = factories.UserFactory(username="head_a", full_name="王局长")
    factories.UnitTeamMemberFactory(
        unit=world.appraisal_a.unit, user=head, role=UnitTeamMember.Role.HEAD
    )
    staff = factories.UserFactory(username="staff_a")
    factories.UnitTeamMemberFactory(
        unit=world.appraisal_a.unit, user=staff, role=UnitTeamMember.Role.STAFF
    )
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.SELF_REVIEW)
    world.appraisal_a.campaign.refresh_from_db()
    return head, staff


def submitted(world, head, content=CONTENT, note=""):
    review = services.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=content
    )
    services.selfreview_approve(self_review=review, actor=head)
    return services.selfreview_move(
        self_review=review, actor=world.liaison_a, to=SelfReview.Status.SUBMITTED, note=note
    )


def test_submission_needs_the_heads_approval_of_this_very_draft(world, team):
    head, staff = team
    review = services.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=CONTENT
    )
    with pytest.raises(DomainError, match="审定"):
        services.selfreview_move(self_review=review, actor=world.liaison_a, to="submitted")
    with pytest.raises(NotAllowed):
        services.selfreview_approve(self_review=review, actor=world.liaison_a)
    services.selfreview_approve(self_review=review, actor=head)
    # An edit after approval needs a new approval.
    services.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=staff, content={**CONTENT, "causes": "改了"}
    )
    review.refresh_from_db()
    assert not review.approval_current
    with pytest.raises(DomainError, match="审定"):
        services.selfreview_move(self_review=review, actor=world.liaison_a, to="submitted")


def test_submission_opens_in_the_self_review_phase(world, team):
    head, _staff = team
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.INVESTIGATION)
    world.appraisal_a.campaign.refresh_from_db()
    # Preparing earlier is fine; submitting is not.
    review = services.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=CONTENT
    )
    services.selfreview_approve(self_review=review, actor=head)
    with pytest.raises(PhaseError):
        services.selfreview_move(self_review=review, actor=world.liaison_a, to="submitted")
    assert not SelfReviewVersion.objects.exists()


def test_return_and_resubmit_keeps_both_versions_and_the_diff(world, team, login):
    head, _staff = team
    review = submitted(world, head)
    assert review.status == "submitted"
    # Frozen: nobody edits it, office included.
    with pytest.raises(DomainError, match="不能修改"):
        services.selfreview_save_draft(
            appraisal=world.appraisal_a, actor=world.liaison_a, content=CONTENT
        )
    with pytest.raises(NotAllowed):
        services.selfreview_move(self_review=review, actor=world.liaison_a, to="accepted")
    with pytest.raises(DomainError, match="至少填写一条意见"):
        services.selfreview_move(self_review=review, actor=world.leader, to="returned")
    services.selfreview_move(
        self_review=review,
        actor=world.leader,
        to="returned",
        comments={"problems": "问题查摆不够深入，请补充窗口服务问题。"},
    )
    revised = {**CONTENT, "problems": CONTENT["problems"] + "\n窗口服务态度生硬。"}
    with pytest.raises(DomainError, match="修改了什么"):
        submitted(world, head, content=revised)
    review = submitted(world, head, content=revised, note="补充了窗口服务问题。")
    v1, v2 = SelfReviewVersion.objects.order_by("number")
    assert (v1.number, v2.number) == (1, 2)
    assert v1.content == CONTENT and v1.outcome == "returned"
    assert v1.comments == {"problems": "问题查摆不够深入，请补充窗口服务问题。"}
    assert v2.content["problems"].endswith("窗口服务态度生硬。")
    html = (
        login(world.leader)
        .get(reverse("appraisal:self_review_diff", args=[world.appraisal_a.pk]))
        .content.decode()
    )
    assert "<ins>窗口服务态度生硬。</ins>" in html
    assert "补充了窗口服务问题。" in html
    services.selfreview_move(self_review=review, actor=world.leader, to="accepted")
    review.refresh_from_db()
    assert review.status == "accepted"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "appraisal.selfreview.submitted",
        "appraisal.selfreview.returned",
        "appraisal.selfreview.accepted",
        "appraisal.selfreview.approved",
        "appraisal.selfreview.saved",
    } <= actions
    # Accepted is final: no move leads anywhere from it.
    with pytest.raises(DomainError):
        services.selfreview_move(self_review=review, actor=world.leader, to="returned")


def test_the_unit_sees_the_comments_per_section(world, team, login):
    head, _staff = team
    review = submitted(world, head)
    services.selfreview_move(
        self_review=review,
        actor=world.leader,
        to="returned",
        comments={"causes": "原因分析过于笼统"},
    )
    html = (
        login(world.liaison_a)
        .get(reverse("appraisal:self_review", args=[world.appraisal_a.pk]))
        .content.decode()
    )
    assert "原因分析过于笼统" in html


def test_answers_to_forwarded_findings_are_required_and_frozen(world, team):
    head, _staff = team
    finding = Finding.objects.create(
        appraisal=world.appraisal_a,
        source=Finding.Source.DEPUTY,
        text="物业维修资金使用不透明",
        status=Finding.Status.VERIFIED,
        forwarded_at=timezone.now(),
    )
    with pytest.raises(DomainError, match="未答复"):
        submitted(world, head)
    finding_answer_save(
        finding=finding, actor=world.liaison_a, response="accepted", text="已公开维修资金账目。"
    )
    submitted(world, head)
    version = SelfReviewVersion.objects.get()
    assert version.extra["finding_answers"][0]["text"] == "已公开维修资金账目。"
    with pytest.raises(DomainError, match="已报送"):
        finding_answer_save(finding=finding, actor=world.liaison_a, response="partly", text="x")
    with pytest.raises(NotAllowed):
        finding_answer_save(finding=finding, actor=world.liaison_b, response="partly", text="x")


def test_files_of_a_submitted_version_stay(world, team, login):
    head, _staff = team
    client = login(world.liaison_a)
    upload = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(
        reverse("appraisal:self_review_attach", args=[world.appraisal_a.pk]), {"file": upload}
    )
    bad = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    client.post(reverse("appraisal:self_review_attach", args=[world.appraisal_a.pk]), {"file": bad})
    review = SelfReview.objects.get()
    assert [a.original_name for a in review.attachments.all()] == ["台账.pdf"]
    submitted(world, head)
    item = review.attachments.get()
    assert item.version_number == 1
    with pytest.raises(DomainError):
        services.selfreview_detach(attachment=item, actor=world.liaison_a)
    url = reverse("appraisal:self_review_attachment", args=[item.pk])
    assert login(world.leader).get(url).status_code == 200
    assert login(world.liaison_b).get(url).status_code == 404
    assert login(world.deputy).get(url).status_code == 404


@pytest.mark.parametrize(
    "who, status",
    [
        ("liaison_a", 200),
        ("staff_a", 200),
        ("leader", 200),
        ("office", 200),
        ("liaison_b", 404),
        ("deputy", 404),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_who_opens_the_self_review_pages(world, team, login, client, who, status):
    head, staff = team
    review = submitted(world, head)
    services.selfreview_move(
        self_review=review, actor=world.leader, to="returned", comments={"basics": "补充"}
    )
    submitted(world, head, content={**CONTENT, "basics": "补充后"}, note="补充")
    users = {"staff_a": staff}
    if who:
        login(users.get(who) or getattr(world, who))
    pk = world.appraisal_a.pk
    for url in [
        reverse("appraisal:self_review", args=[pk]),
        reverse("appraisal:self_review_version", args=[pk, 1]),
        reverse("appraisal:self_review_diff", args=[pk]),
        reverse("surveys:finding_answers", args=[pk]),
    ]:
        assert client.get(url).status_code == status, url


def test_only_the_team_posts_drafts_and_only_investigators_review(world, team, login):
    head, _staff = team
    pk = world.appraisal_a.pk
    url = reverse("appraisal:self_review", args=[pk])
    assert login(world.leader).post(url, CONTENT).status_code == 403
    assert login(world.liaison_b).post(url, CONTENT).status_code == 404
    assert not SelfReview.objects.exists()
    assert login(world.liaison_a).post(url, CONTENT).status_code == 302
    submitted(world, head)
    review_url = reverse("appraisal:self_review_review", args=[pk])
    assert login(world.liaison_a).post(review_url, {"decision": "accepted"}).status_code == 403
    assert login(world.deputy).post(review_url, {"decision": "accepted"}).status_code == 404
    assert SelfReview.objects.get().status == "submitted"
    assert login(world.leader).post(review_url, {"decision": "accepted"}).status_code == 302
    assert SelfReview.objects.get().status == "accepted"


def test_version_numbers_beyond_range_are_not_found(world, team, login):
    head, _staff = team
    submitted(world, head)
    client = login(world.liaison_a)
    pk = world.appraisal_a.pk
    assert client.get(f"/appraisals/{pk}/self-review/v{2**63}/").status_code == 404
    assert client.get(reverse("appraisal:self_review_version", args=[pk, 40000])).status_code == 404
    assert (
        client.get(reverse("appraisal:self_review_diff", args=[pk]) + "?from=²").status_code == 404
    )


def test_the_pdf_is_a_report_to_the_committee(world, team, login):
    head, _staff = team
    submitted(world, head)
    response = login(world.leader).get(
        reverse("appraisal:self_review_pdf", args=[world.appraisal_a.pk, 1])
    )
    assert response["Content-Type"] == "application/pdf"
    flat = pdf_text(response.content)
    assert "关于2026年度工作评议自查自评情况的报告" in flat
    assert f"{issuing_settings_of(world.campaign).committee_name}：" in flat
    assert "老旧小区改造进度不均衡" in flat
    assert "第1稿" in flat


def _forwarded(world, text="物业维修资金使用不透明"):
    return Finding.objects.create(
        appraisal=world.appraisal_a,
        source=Finding.Source.DEPUTY,
        text=text,
        status=Finding.Status.VERIFIED,
        forwarded_at=timezone.now(),
    )


def test_an_answer_given_after_the_heads_approval_voids_it(world, team):
    head, _staff = team
    finding = _forwarded(world)
    finding_answer_save(
        finding=finding, actor=world.liaison_a, response="accepted", text="已公开。"
    )
    review = services.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=CONTENT
    )
    services.selfreview_approve(self_review=review, actor=head)
    review.refresh_from_db()
    assert review.approval_current
    # The liaison changes the answer: the head never saw the new one.
    finding_answer_save(
        finding=finding, actor=world.liaison_a, response="partly", text="部分公开。"
    )
    review.refresh_from_db()
    assert not review.approval_current and review.approved_by is None
    assert AuditEvent.objects.filter(action="appraisal.selfreview.approval_voided").exists()
    with pytest.raises(DomainError, match="审定"):
        services.selfreview_move(
            self_review=review, actor=world.liaison_a, to=SelfReview.Status.SUBMITTED
        )
    # Saving the same answer again changes nothing the head approved.
    services.selfreview_approve(self_review=review, actor=head)
    finding_answer_save(
        finding=finding, actor=world.liaison_a, response="partly", text="部分公开。"
    )
    review.refresh_from_db()
    assert review.approval_current


def test_an_answer_changed_behind_the_approval_record_still_voids_it(world, team):
    """The approval covers the answers themselves, not only the service that clears it."""
    head, _staff = team
    finding = _forwarded(world)
    finding_answer_save(
        finding=finding, actor=world.liaison_a, response="accepted", text="已公开。"
    )
    review = services.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=CONTENT
    )
    services.selfreview_approve(self_review=review, actor=head)
    finding.answer.text = "改过的答复。"
    finding.answer.save()
    review.refresh_from_db()
    assert not review.approval_current


def test_the_page_says_what_still_stops_the_submission(world, team, login):
    _forwarded(world)
    _forwarded(world, "老旧小区加装电梯推进慢")
    services.selfreview_save_draft(
        appraisal=world.appraisal_a, actor=world.liaison_a, content=CONTENT
    )
    html = (
        login(world.liaison_a)
        .get(reverse("appraisal:self_review", args=[world.appraisal_a.pk]))
        .content.decode()
    )
    assert "还有2个转交问题未答复，答复后才能报送。" in html
    assert reverse("surveys:finding_answers", args=[world.appraisal_a.pk]) in html


def test_a_return_without_comment_keeps_the_chosen_outcome(world, team, login):
    head, _staff = team
    submitted(world, head)
    response = login(world.leader).post(
        reverse("appraisal:self_review_review", args=[world.appraisal_a.pk]),
        {"decision": SelfReview.Status.RETURNED, "comment_general": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请说明需要修改之处，至少填写一条意见。" in html
    assert re.search(r'value="returned"[^>]*checked', html)
    assert SelfReview.objects.get().status == SelfReview.Status.SUBMITTED


def test_the_pdf_names_the_files_submitted_with_the_version(world, team, login):
    head, _staff = team
    client = login(world.liaison_a)
    upload = SimpleUploadedFile("整改台账.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(
        reverse("appraisal:self_review_attach", args=[world.appraisal_a.pk]), {"file": upload}
    )
    submitted(world, head)
    response = login(world.leader).get(
        reverse("appraisal:self_review_pdf", args=[world.appraisal_a.pk, 1])
    )
    flat = pdf_text(response.content)
    assert "附件：" in flat or "附件:" in flat
    assert "整改台账" in flat
