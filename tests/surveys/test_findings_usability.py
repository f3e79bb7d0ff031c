"""What people stumbled on in findings (issue 7 §4): legal moves only, confirmations,
corrections of activities, headings and empty lists."""

import datetime

import pytest
from django.urls import reverse

from appraisal.models import AuditEvent, WorkGroupMember
from surveys.findings import services
from surveys.models import InvestigationActivity
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world):
    return services.finding_submit_by_deputy(
        appraisal=world.appraisal_a,
        deputy=world.deputy,
        text="窗口办事排队两小时以上，群众反映强烈，希望增加窗口",
        topic="service",
    )


def _status_options(html: str) -> set[str]:
    start = html.find('name="status"')
    if start == -1:
        return set()
    select = html[start : html.find("</select>", start)]
    return {part.split('"')[0] for part in select.split('value="')[1:]}


def test_status_list_offers_only_legal_moves(world, login, pending):
    client = login(world.leader)
    html = client.get(pending.get_absolute_url()).content.decode()
    assert _status_options(html) == {"received", "verifying", "verified", "unfounded"}
    services.finding_review(
        finding=pending, actor=world.leader, status="verifying", note="", topic="service",
        prominent=False,
    )  # fmt: skip
    html = client.get(pending.get_absolute_url()).content.decode()
    assert _status_options(html) == {"verifying", "verified", "unfounded"}
    services.finding_review(
        finding=pending, actor=world.leader, status="verified", note="属实", topic="service",
        prominent=False,
    )  # fmt: skip
    html = client.get(pending.get_absolute_url()).content.decode()
    assert _status_options(html) == set()  # a verdict is final: nothing offered
    assert "不能更改" in html


def test_after_a_verdict_the_note_can_still_change_and_the_status_stays(world, login, pending):
    services.finding_review(
        finding=pending, actor=world.leader, status="unfounded", note="经查不属实",
        topic="service", prominent=False,
    )  # fmt: skip
    client = login(world.leader)
    # A forged status is ignored: the form has no status field any more.
    response = client.post(
        pending.get_absolute_url(),
        {"status": "received", "note": "经查不属实，已回复", "topic": "law"},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "unfounded"
    assert pending.verification_note == "经查不属实，已回复" and pending.topic == "law"


def test_final_verdict_and_forwarding_ask_for_confirmation(world, login, pending):
    client = login(world.leader)
    html = client.get(pending.get_absolute_url()).content.decode()
    assert 'data-confirm-final="' in html and 'data-final-values="verified unfounded"' in html
    services.finding_review(
        finding=pending, actor=world.leader, status="verified", note="属实", topic="service",
        prominent=False,
    )  # fmt: skip
    html = client.get(pending.get_absolute_url()).content.decode()
    forward = html[html.find(reverse("surveys:finding_forward", args=[pending.pk])) :]
    assert "data-confirm=" in forward[:300]
    assert "不能撤回" in html


def test_finding_page_heading_is_the_finding(world, login, pending):
    html = login(world.leader).get(pending.get_absolute_url()).content.decode()
    h1 = html[html.find("<h1") : html.find("</h1>")]
    assert "窗口办事排队两小时以上" in h1
    assert "服务" not in h1  # the topic is a badge, not the heading


def test_record_form_is_visible_and_empty_list_says_none_yet(world, login):
    client = login(world.leader)
    url = reverse("surveys:findings", args=[world.appraisal_a.pk])
    html = client.get(url).content.decode()
    assert "<details" not in html
    assert 'name="text"' in html
    assert "还没有记录任何问题" in html
    filtered = client.get(url, {"status": "verified"}).content.decode()
    assert "还没有记录任何问题" not in filtered


def _activity(world, by):
    return services.activity_record(
        appraisal=world.appraisal_a,
        actor=by,
        kind="symposium",
        held_on=datetime.date(2026, 4, 1),
        place="会议室",
        participants="",
        summary="座谈会纪要",
    )


def test_recorder_corrects_an_activity_and_it_is_audited(world, login):
    activity = _activity(world, world.leader)
    client = login(world.leader)
    url = reverse("surveys:activity_edit", args=[activity.pk])
    page = client.get(url).content.decode()
    # The date reaches the browser's date input in the only format it reads.
    assert 'type="date"' in page and 'value="2026-04-01"' in page
    response = client.post(
        url,
        {"kind": "field_inspection", "held_on": "2026-04-02", "place": "会议室",
         "participants": "", "summary": "实地察看纪要"},
    )  # fmt: skip
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.kind == "field_inspection" and activity.summary == "实地察看纪要"
    event = AuditEvent.objects.get(action="surveys.activity.corrected")
    assert event.data["fields"] == ["held_on", "kind", "summary"]
    assert event.data["before"]["summary"] == "座谈会纪要"


def test_only_the_recorder_or_office_corrects_an_activity(world, login):
    activity = _activity(world, world.leader)
    colleague = factories.UserFactory(username="colleague")
    factories.WorkGroupMemberFactory(
        work_group=world.appraisal_a.work_group, user=colleague, role=WorkGroupMember.Role.MEMBER
    )
    url = reverse("surveys:activity_edit", args=[activity.pk])
    for who in [colleague, world.liaison_a, world.deputy, world.outsider]:
        assert login(who).get(url).status_code in (403, 404), who
        assert login(who).post(url, {"kind": "symposium", "held_on": "2026-04-01",
                                     "summary": "x"}).status_code in (302, 403, 404)  # fmt: skip
    activity.refresh_from_db()
    assert activity.summary == "座谈会纪要"
    assert login(world.office).get(url).status_code == 200
    with pytest.raises(services.NotAllowed):
        services.activity_correct(
            activity=activity, actor=colleague, kind="symposium", held_on=activity.held_on,
            place="", participants="", summary="改写",
        )  # fmt: skip
    assert InvestigationActivity.objects.get(pk=activity.pk).summary == "座谈会纪要"


@pytest.mark.django_db(transaction=True)  # the file goes when the removal commits
def test_a_file_attached_by_mistake_is_removed_in_a_correction(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from surveys.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    from tests.surveys.test_attachments import PDF as pdf

    activity = services.activity_record(
        appraisal=world.appraisal_a, actor=world.leader, kind="symposium",
        held_on=datetime.date(2026, 4, 1), place="会议室", participants="", summary="纪要",
        attachments=[SimpleUploadedFile("纪要.pdf", pdf), SimpleUploadedFile("错传.pdf", pdf)],
    )  # fmt: skip
    wrong = Attachment.objects.get(original_name="错传.pdf")
    stored = tmp_path / wrong.file.name
    assert stored.exists()
    other = services.activity_record(
        appraisal=world.appraisal_a, actor=world.leader, kind="symposium",
        held_on=datetime.date(2026, 4, 2), place="", participants="", summary="另一次",
        attachments=[SimpleUploadedFile("别的.pdf", pdf)],
    )  # fmt: skip
    client = login(world.leader)
    url = reverse("surveys:activity_edit", args=[activity.pk])
    page = client.get(url).content.decode()
    assert "删除以下附件" in page and "错传.pdf" in page and "别的.pdf" not in page
    fields = {"kind": "symposium", "held_on": "2026-04-01", "place": "会议室",
              "participants": "", "summary": "纪要"}  # fmt: skip
    # Another activity's file, or a number no row has: a form error, nothing removed.
    for bad in (other.attachments.get().pk, 2**63):
        response = client.post(url, {**fields, "remove": [bad]})
        assert response.status_code == 200 and "field-error" in response.content.decode()
    assert Attachment.objects.count() == 3
    response = client.post(url, {**fields, "remove": [wrong.pk]})
    assert response.status_code == 302
    assert sorted(activity.attachments.values_list("original_name", flat=True)) == ["纪要.pdf"]
    assert not stored.exists()
    event = AuditEvent.objects.get(action="surveys.activity.corrected")
    assert event.data["removed"] == ["错传.pdf"]
    # The same removal sent again (a second click, a colleague at the same moment): done.
    again = services.activity_correct(
        activity=activity, actor=world.leader, kind="symposium", held_on=activity.held_on,
        place="会议室", participants="", summary="纪要", remove=[wrong],
    )  # fmt: skip
    assert again.attachments.count() == 1
