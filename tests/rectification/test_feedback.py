"""Feedback to those who raised a problem (对代表和服务对象的反馈): the deputy and the
member of the public whose finding an opinion item rests on follow the items built on it
(status, percent, closing note; never the work group's comments, the evidence or who else
raised it), and a closure notifies each deputy once."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from appraisal.models import AuditEvent, Campaign
from rectification.feedback.models import ClosureNotice
from rectification.feedback.selectors import progress_lines
from rectification.ledger import services
from rectification.ledger.reminders import send_reminders
from rectification.opinions.models import OpinionItem
from surveys.findings.views import RECEIPT_LOOKUPS_PER_HOUR
from surveys.models import Finding
from tests.rectification.feedbackkit import (
    CLOSING_NOTE,
    CODE,
    RETURN_REASON,
    close,
    items_in_every_state,
    opinion_on,
    raise_and_issue,
    raised_finding,
)
from tests.rectification.ledgerkit import make_item, set_phase

pytestmark = pytest.mark.django_db

DEPUTY_HOME = reverse("appraisal:deputy_home")
RECEIPT = reverse("surveys:opinion_status")


@pytest.fixture
def raised(world):
    return raise_and_issue(world)


def _hidden_from_raisers(html: str, raised) -> None:
    assert RETURN_REASON not in html  # the work group's comment
    assert "佐证不足" not in html
    assert "现场.png" not in html and "/evidence/" not in html  # evidence
    assert "草稿事项不公开" not in html and "待审方案不公开" not in html  # draft / submitted
    assert "已完成制度起草" not in html  # progress reports' texts
    assert raised.other_finding.text not in html and "另一代表" not in html  # other raisers
    assert "王副局长" not in html  # who is responsible at the unit


def test_the_deputy_who_raised_it_sees_status_percent_and_closing_note(world, login, raised):
    items = items_in_every_state(world, raised.opinion_item)
    html = login(world.deputy).get(DEPUTY_HOME).content.decode()
    assert raised.deputy_finding.text in html and world.appraisal_a.unit.name in html
    assert "属实" in html  # the finding's own status
    for key in ("closed", "returned", "in_progress"):
        assert items[key].problem in html
    assert "已销号" in html and CLOSING_NOTE in html and "100%" in html and "60%" in html
    assert "退回整改" in html  # the status of the returned item, not why
    _hidden_from_raisers(html, raised)
    # Their opinions page shows the same.
    html = login(world.deputy).get(reverse("surveys:deputy_opinions")).content.decode()
    assert CLOSING_NOTE in html
    _hidden_from_raisers(html, raised)


def test_another_deputy_sees_nothing_of_it(world, login, raised):
    items_in_every_state(world, raised.opinion_item)
    stranger = world.deputy.__class__.objects.create(username="deputy_stranger")
    from tests import factories

    factories.VoterFactory(voter_group__campaign=world.campaign, user=stranger)
    html = login(stranger).get(DEPUTY_HOME).content.decode()
    assert "超期投诉逐件清零" not in html and CLOSING_NOTE not in html
    assert raised.deputy_finding.text not in html
    assert not ClosureNotice.objects.filter(person=stranger).exists()


def test_progress_shows_only_once_an_item_is_planned(world, login, raised):
    make_item(world, raised.opinion_item, problem="草稿事项不公开")
    html = login(world.deputy).get(DEPUTY_HOME).content.decode()
    assert "草稿事项不公开" not in html and "据此开展的整改" not in html


def test_a_draft_opinion_shows_nothing(world, login):
    finding = raised_finding(
        world.appraisal_a, source=Finding.Source.DEPUTY, by=world.deputy, text="草稿意见所依据"
    )
    set_phase(world, Campaign.Phase.OPINIONS)
    from rectification.opinions import services as opinions

    opinion = opinions.opinion_save_draft(
        appraisal=world.appraisal_a, actor=world.office, title="", preamble="", reply_deadline=None
    )
    opinions.opinion_item_add(
        opinion=opinion, actor=world.office, problem="问题", requirement="要求", findings=[finding]
    )
    assert progress_lines([finding]) == {}


def test_no_other_units_item_ever_reaches_a_raiser(world, raised):
    """Opinion items rest only on their own appraisal's findings (the opinions service
    checks it); should a link to another unit's item exist anyway, nothing of it shows."""
    b = opinion_on(world, world.appraisal_b, [])
    op_b = b.items.get()
    OpinionItem.findings.through.objects.create(
        opinionitem_id=op_b.pk, finding_id=raised.deputy_finding.pk
    )
    item = make_item(world, op_b, problem="乙单位的事项")
    # B's work group is not in this world: put the item where a raiser would see it.
    type(item).objects.filter(pk=item.pk).update(status="closed", percent=100)
    close(world, make_item(world, raised.opinion_item, problem="甲单位的事项"))
    lines = progress_lines([raised.deputy_finding])[raised.deputy_finding.pk]
    assert [line.problem for line in lines] == ["甲单位的事项"]


def test_the_public_receipt_shows_the_progress_and_the_closure(world, raised):
    items_in_every_state(world, raised.opinion_item)
    client = Client()
    html = client.get(RECEIPT, {"code": CODE.lower()}).content.decode()
    assert "超期投诉逐件清零" in html and "已销号" in html and CLOSING_NOTE in html
    _hidden_from_raisers(html, raised)
    assert raised.deputy_finding.text not in html


def test_a_wrong_code_shows_nothing_and_the_same_message_as_before(world, raised):
    items_in_every_state(world, raised.opinion_item)
    response = Client().get(RECEIPT, {"code": "ZZZZZZZZZZ"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有与该回执码对应的意见，请核对后重试。" in html
    assert "超期投诉逐件清零" not in html and CLOSING_NOTE not in html
    assert world.appraisal_a.unit.name not in html


def test_receipt_lookups_are_limited_per_address(world, raised):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(RECEIPT_LOOKUPS_PER_HOUR):
        assert client.get(RECEIPT, {"code": "ZZZZZZZZZZ"}).status_code == 200
    # Over the limit even the right code is not looked up.
    over = client.get(RECEIPT, {"code": CODE})
    assert over.status_code == 429 and CLOSING_NOTE not in over.content.decode()
    assert Client(REMOTE_ADDR="198.51.100.8").get(RECEIPT, {"code": CODE}).status_code == 200


def test_a_closure_notifies_each_deputy_once_and_mails_once(world, raised, settings):
    world.deputy.email = "deputy@example.cn"
    world.deputy.save(update_fields=["email"])
    item = close(world, make_item(world, raised.opinion_item, problem="超期投诉逐件清零"))
    notices = ClosureNotice.objects.filter(item=item)
    assert sorted(notices.values_list("person__username", flat=True)) == ["deputy", "deputy_other"]
    event = AuditEvent.objects.get(action="rectification.item.close", object_id=str(item.pk))
    assert event.data["notified"] == 2
    assert set(notices.values_list("closure_id", flat=True)) == {event.pk}
    # A second close is refused by the state machine: still one notice each.
    with pytest.raises(services.LedgerError):
        services.item_move(item=item, actor=world.leader, action="close")
    assert notices.count() == 2
    mail.outbox.clear()
    send_reminders()
    send_reminders()  # run twice, mailed once
    to_deputy = [m for m in mail.outbox if m.to == ["deputy@example.cn"]]
    assert len(to_deputy) == 1
    body = to_deputy[0].body
    assert "超期投诉逐件清零" in body and CLOSING_NOTE in body
    assert "另一代表" not in body and raised.other_finding.text not in body
    # The other deputy has no address: nothing mailed, nothing marked mailed.
    assert notices.get(person=raised.other_deputy).mailed_at is None


def test_a_reopened_item_closed_again_is_a_new_closure(world, raised):
    item = close(world, make_item(world, raised.opinion_item))
    item = services.item_move(item=item, actor=world.office, action="reopen", reason="复查")
    item = services.item_move(item=item, actor=world.liaison_a, action="finish")
    services.item_move(item=item, actor=world.leader, action="close", reason="复查后整改到位")
    assert ClosureNotice.objects.filter(person=world.deputy, item=item).count() == 2


def test_a_failed_close_leaves_no_notice(world, raised, monkeypatch):
    item = make_item(world, raised.opinion_item)
    from tests.rectification.ledgerkit import advance

    item = advance(world, item, "done")

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr("rectification.ledger.services.audit_log", broken)
    with pytest.raises(RuntimeError):
        services.item_move(item=item, actor=world.leader, action="close")
    assert not ClosureNotice.objects.exists()


def test_notices_listed_with_unread_state_and_marked_read(world, login, raised):
    close(world, make_item(world, raised.opinion_item, problem="超期投诉逐件清零"))
    client = login(world.deputy)
    html = client.get(DEPUTY_HOME).content.decode()
    assert "查看通知" in html  # the unread line on the deputy's page
    html = client.get(reverse("rectification:reminders")).content.decode()
    assert "超期投诉逐件清零" in html and 'class="unread"' in html and "全部标为已读" in html
    assert RETURN_REASON not in html
    response = client.post(reverse("rectification:notices_read"))
    assert response.status_code == 302
    assert not ClosureNotice.objects.filter(person=world.deputy, read_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="rectification.notices.read").count() == 1
    html = client.get(reverse("rectification:reminders")).content.decode()
    assert 'class="unread"' not in html and "超期投诉逐件清零" in html
    assert "查看通知" not in client.get(DEPUTY_HOME).content.decode()


@pytest.mark.parametrize("who", ["liaison_a", "leader", "outsider"])
def test_others_do_not_see_a_deputys_notices(world, login, raised, who):
    close(world, make_item(world, raised.opinion_item, problem="超期投诉逐件清零"))
    client = login(getattr(world, who))
    html = client.get(reverse("rectification:reminders")).content.decode()
    assert "超期投诉逐件清零" not in html
    client.post(reverse("rectification:notices_read"))
    assert ClosureNotice.objects.filter(read_at__isnull=True).count() == 2  # theirs untouched


@pytest.mark.parametrize(
    ("who", "status"), [("liaison_a", 403), ("leader", 403), ("outsider", 403)]
)
def test_the_deputy_page_is_for_deputies(world, login, raised, who, status):
    assert login(getattr(world, who)).get(DEPUTY_HOME).status_code == status


def test_anonymous_is_sent_to_sign_in(world, raised):
    client = Client()
    for url in (DEPUTY_HOME, reverse("rectification:reminders")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.post(reverse("rectification:notices_read"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.get(reverse("rectification:notices_read")).status_code in (302, 405)
