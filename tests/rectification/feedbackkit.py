"""A campaign in the rectification phase whose opinion to A rests on findings raised by
two deputies and a member of the public, for the feedback tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from appraisal.models import Campaign, User
from rectification.ledger import services
from rectification.ledger.models import RectificationItem
from rectification.opinions import services as opinions
from rectification.opinions.models import AppraisalOpinion, OpinionItem
from surveys.models import Finding
from tests import factories
from tests.conftest import World
from tests.rectification.ledgerkit import advance, make_item, set_phase

CODE = "ABCDEFGHJK"  # a receipt code in the codes' alphabet
CLOSING_NOTE = "经现场核查，超期投诉全部办结"
RETURN_REASON = "佐证材料不足，内部意见请勿外传"


@dataclass
class Raised:
    deputy_finding: Finding
    other_finding: Finding  # raised by another deputy, on the same opinion item
    public_finding: Finding
    opinion_item: OpinionItem
    other_deputy: User


def raised_finding(appraisal, *, source, by=None, text="", code=None) -> Finding:
    return Finding.objects.create(
        appraisal=appraisal,
        source=source,
        text=text,
        status=Finding.Status.VERIFIED,
        verified_at=timezone.now(),
        verification_note="属实",
        submitted_by=by,
        receipt_code=code,
    )


def opinion_on(world: World, appraisal, findings) -> AppraisalOpinion:
    """An opinion to ``appraisal`` whose first item rests on ``findings``, issued; the
    campaign is then in the rectification phase."""
    set_phase(world, Campaign.Phase.OPINIONS)
    opinion = opinions.opinion_save_draft(
        appraisal=appraisal,
        actor=world.office,
        title="",
        preamble="现提出如下评议意见。",
        reply_deadline=timezone.localdate() + datetime.timedelta(days=120),
    )
    opinions.opinion_item_add(
        opinion=opinion,
        actor=world.office,
        problem="物业投诉办理慢",
        requirement="限时办结",
        findings=findings,
    )
    opinion = opinions.opinion_move(opinion=opinion, actor=world.office, to="issued")
    set_phase(world, Campaign.Phase.RECTIFICATION)
    return opinion


def raise_and_issue(world: World) -> Raised:
    other = factories.UserFactory(username="deputy_other", full_name="另一代表")
    factories.VoterFactory(voter_group__campaign=world.campaign, user=other)
    a = world.appraisal_a
    mine = raised_finding(
        a, source=Finding.Source.DEPUTY, by=world.deputy, text="我的意见：物业投诉无人理"
    )
    theirs = raised_finding(
        a, source=Finding.Source.DEPUTY, by=other, text="另一代表的意见：电梯坏了"
    )
    public = raised_finding(
        a, source=Finding.Source.PUBLIC, text="群众意见：维修资金难申请", code=CODE
    )
    opinion = opinion_on(world, a, [mine, theirs, public])
    return Raised(mine, theirs, public, opinion.items.get(), other)


def close(world: World, item: RectificationItem, note: str = CLOSING_NOTE) -> RectificationItem:
    item = advance(world, item, "done")
    return services.item_move(item=item, actor=world.leader, action="close", reason=note)


def items_in_every_state(world: World, op: OpinionItem) -> dict[str, RectificationItem]:
    """A closed item, a returned one (with the work group's reason), one in progress, a
    draft and a plan awaiting approval."""
    out = {
        "closed": close(world, make_item(world, op, problem="超期投诉逐件清零")),
        "returned": advance(world, make_item(world, op, problem="投诉回访制度"), "returned"),
        "in_progress": advance(
            world, make_item(world, op, problem="物业企业信用评价"), "in_progress"
        ),
        "draft": make_item(world, op, problem="草稿事项不公开"),
        "submitted": advance(world, make_item(world, op, problem="待审方案不公开"), "submitted"),
    }
    services.item_move(item=out["returned"], actor=world.liaison_a, action="finish")
    out["returned"] = services.item_move(
        item=out["returned"], actor=world.leader, action="return", reason=RETURN_REASON
    )
    return out
