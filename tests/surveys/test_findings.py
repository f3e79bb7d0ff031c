"""Findings: who sees what (DESIGN.md §5), verification and forwarding, opinions with
receipt codes."""

import pytest
from django.urls import reverse

from appraisal.models import AuditEvent
from surveys.findings import services
from surveys.findings.services import FindingError
from surveys.models import Finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world):
    return services.finding_submit_by_deputy(
        appraisal=world.appraisal_a,
        deputy=world.deputy,
        text="窗口办事排队两小时以上",
        topic="service",
    )


def verify(world, finding):
    return services.finding_review(
        finding=finding,
        actor=world.leader,
        status="verified",
        note="实地察看三次，属实",
        topic=finding.topic,
        prominent=True,
    )


def test_only_investigators_and_office_see_a_pending_finding(world, login, pending):
    url = pending.get_absolute_url()
    assert login(world.leader).get(url).status_code == 200
    assert login(world.office).get(url).status_code == 200
    for who in ["liaison_a", "liaison_b", "deputy", "outsider"]:
        assert login(getattr(world, who)).get(url).status_code == 404, who
    html = login(world.liaison_a).get(reverse("surveys:findings", args=[world.appraisal_a.pk]))
    assert "窗口办事" not in html.content.decode()


def test_the_unit_sees_a_verified_finding_only_once_forwarded_and_never_who(world, login, pending):
    verify(world, pending)
    url = pending.get_absolute_url()
    assert login(world.liaison_a).get(url).status_code == 404  # verified, not forwarded
    services.finding_forward(finding=pending, actor=world.leader)
    page = login(world.liaison_a).get(url).content.decode()
    assert "窗口办事" in page and "实地察看三次" in page
    assert world.deputy.full_name not in page  # never who raised it
    listing = login(world.liaison_a).get(reverse("surveys:findings", args=[world.appraisal_a.pk]))
    assert "窗口办事" in listing.content.decode()
    # Another unit sees neither the finding nor the list.
    assert login(world.liaison_b).get(url).status_code == 404
    other = reverse("surveys:findings", args=[world.appraisal_a.pk])
    assert login(world.liaison_b).get(other).status_code == 404


def test_verification_is_forward_only_needs_a_note_and_is_audited(world, pending):
    with pytest.raises(FindingError):
        services.finding_review(
            finding=pending, actor=world.leader, status="verified", note=" ", topic="service",
            prominent=False,
        )  # fmt: skip
    verify(world, pending)
    with pytest.raises(FindingError):
        services.finding_review(
            finding=pending, actor=world.leader, status="unfounded", note="x", topic="service",
            prominent=False,
        )  # fmt: skip
    services.finding_forward(finding=pending, actor=world.leader)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"surveys.finding.verified", "surveys.finding.forwarded"} <= actions


def test_only_a_verified_finding_is_forwarded(world, pending):
    with pytest.raises(FindingError):
        services.finding_forward(finding=pending, actor=world.leader)
    pending.refresh_from_db()
    assert pending.forwarded_at is None


@pytest.mark.parametrize("who", ["liaison_a", "deputy", "outsider"])
def test_others_cannot_verify_or_forward(world, login, pending, who):
    client = login(getattr(world, who))
    response = client.post(
        pending.get_absolute_url(), {"status": "verified", "note": "x", "topic": "service"}
    )
    assert response.status_code in (403, 404)
    response = client.post(reverse("surveys:finding_forward", args=[pending.pk]))
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == "received" and pending.forwarded_at is None


def test_work_group_records_activities_and_findings_in_the_browser_forms(world, login):
    client = login(world.leader)
    url = reverse("surveys:activities", args=[world.appraisal_a.pk])
    response = client.post(
        url,
        {"kind": "symposium", "held_on": "2026-05-12", "place": "市民服务中心",
         "participants": "人大代表5人", "summary": "听取办事群众意见"},
    )  # fmt: skip
    assert response.status_code == 302
    activity = world.appraisal_a.activities.get()
    response = client.post(
        reverse("surveys:findings", args=[world.appraisal_a.pk]),
        {"activity": activity.pk, "topic": "service", "text": "证照办理材料要求重复提交"},
    )
    assert response.status_code == 302
    assert Finding.objects.get().source == "activity"
    # The unit's team and other work groups cannot record.
    assert login(world.liaison_a).get(url).status_code == 403
    assert login(world.liaison_b).get(url).status_code == 404


def test_public_opinion_gets_a_receipt_and_its_status(world, client):
    url = reverse("surveys:public_opinion")
    response = client.post(
        url,
        {
            "appraisal": world.appraisal_b.pk,
            "text": "公交站台雨棚损坏一个多月无人修",
            "contact": "",
        },
    )
    assert response.status_code == 302
    code = client.get(response.url).context["code"]
    finding = Finding.objects.get(receipt_code=code)
    assert finding.source == "public" and finding.submitted_by is None
    status_url = reverse("surveys:opinion_status")
    assert "已收到" in client.get(status_url, {"code": code.lower()}).content.decode()
    services.finding_review(
        finding=finding, actor=world.office, status="verified", note="核实属实", topic="livelihood",
        prominent=False,
    )  # fmt: skip
    assert "正在核实" in client.get(status_url, {"code": code}).content.decode()
    services.finding_forward(finding=finding, actor=world.office)
    page = client.get(status_url, {"code": code}).content.decode()
    assert "已核实并转交" in page
    assert "公交站台" not in page  # the lookup tells the status, nothing else
    assert "没有" in client.get(status_url, {"code": "NOPE123456"}).content.decode()


def test_garbage_public_input_gets_a_4xx_with_a_message(world, client):
    url = reverse("surveys:public_opinion")
    response = client.post(url, {"appraisal": "abc", "text": "短"})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    response = client.post(url, {"appraisal": world.appraisal_a.pk, "text": "x" * 5000})
    assert response.status_code == 400
    assert not Finding.objects.exists()


def test_public_submissions_are_rate_limited_per_address(world, client):
    url = reverse("surveys:public_opinion")
    data = {"appraisal": world.appraisal_a.pk, "text": "办事大厅空调坏了很久", "contact": ""}
    for _ in range(services.PUBLIC_LIMIT_PER_HOUR):
        assert client.post(url, data, REMOTE_ADDR="10.1.1.1").status_code == 302
    limited = client.post(url, data, REMOTE_ADDR="10.1.1.1")
    assert limited.status_code == 429 and "稍后" in limited.content.decode()
    assert client.post(url, data, REMOTE_ADDR="10.1.1.2").status_code == 302
    assert Finding.objects.count() == services.PUBLIC_LIMIT_PER_HOUR + 1


def test_a_deputy_follows_own_opinions(world, login, pending):
    page = login(world.deputy).get(reverse("surveys:deputy_opinions")).content.decode()
    assert "窗口办事" in page and "已收到" in page
    assert login(world.outsider).get(reverse("surveys:deputy_opinions")).status_code == 403
