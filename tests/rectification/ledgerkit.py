"""Helpers for the ledger tests: a campaign in the rectification phase whose opinions to
A and B are issued, and items built from them."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from appraisal.models import Campaign
from rectification.ledger import services
from rectification.ledger.models import RectificationItem
from rectification.opinions import services as opinions

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def issue(world, appraisal, items=2):
    from tests.rectification.conftest import drafted  # conftest imports this module

    phase = world.campaign.phase
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.OPINIONS)
    appraisal.campaign.refresh_from_db()
    opinion = drafted(world, appraisal, items=items)
    opinion = opinions.opinion_move(opinion=opinion, actor=world.office, to="issued")
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=phase)
    appraisal.campaign.refresh_from_db()
    return opinion


def set_phase(world, phase):
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=phase)
    for a in (world.campaign, world.appraisal_a.campaign, world.appraisal_b.campaign):
        a.refresh_from_db()


def make_item(world, opinion_item, actor=None, category="deadline", days=30, **kw):
    fields = {
        "problem": "窗口办件超时",
        "measures": "建立限时办结制度",
        "standard": "办件按时办结率达到100%",
        "category": category,
        "explanation": "现行法规未授权本单位办理" if category == "explanation" else "",
        "responsible_leader": "王副局长",
        "responsible_department": "行政审批科",
        "deadline": None
        if category == "explanation"
        else timezone.localdate() + datetime.timedelta(days=days),
    }
    fields.update(kw)
    appraisal = opinion_item.opinion.appraisal
    liaison = actor or (world.liaison_a if appraisal == world.appraisal_a else world.liaison_b)
    return services.item_create(opinion_item=opinion_item, actor=liaison, **fields)


def upload(name="现场.png", content=PNG):
    return SimpleUploadedFile(name, content)


def advance(world, item, to):
    """Move an item of A along the usual road up to ``to``."""
    road = {
        "submitted": [("submit", world.liaison_a)],
        "planned": [("submit", world.liaison_a), ("approve", world.leader)],
        "in_progress": [("submit", world.liaison_a), ("approve", world.leader)],
        "done": [("submit", world.liaison_a), ("approve", world.leader)],
        "closed": [("submit", world.liaison_a), ("approve", world.leader)],
        "returned": [("submit", world.liaison_a), ("approve", world.leader)],
    }[to]
    for action, actor in road:
        item = services.item_move(item=item, actor=actor, action=action)
    if to in ("in_progress", "done", "closed", "returned"):
        services.progress_post(
            item=item,
            actor=world.liaison_a,
            day=timezone.localdate(),
            text="已完成制度起草",
            percent=60,
            uploads=[upload()],
        )
        item.refresh_from_db()
    if to in ("done", "closed", "returned"):
        item = services.item_move(item=item, actor=world.liaison_a, action="finish")
    if to == "closed":
        item = services.item_move(item=item, actor=world.leader, action="close")
    if to == "returned":
        item = services.item_move(item=item, actor=world.leader, action="return", reason="佐证不足")
    return RectificationItem.objects.get(pk=item.pk)


@pytest.fixture
def ledger_world(world):
    """Opinions to A (2 items) and B (1 item) issued; the campaign in rectification."""
    world.opinion_a = issue(world, world.appraisal_a, items=2)
    world.opinion_b = issue(world, world.appraisal_b, items=1)
    set_phase(world, Campaign.Phase.RECTIFICATION)
    return world
