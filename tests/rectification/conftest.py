import datetime

import pytest
from django.utils import timezone

from appraisal.models import Campaign
from rectification.opinions import services
from surveys.models import Finding


@pytest.fixture
def opinions_phase(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.OPINIONS)
    world.campaign.refresh_from_db()
    world.appraisal_a.campaign.refresh_from_db()
    world.appraisal_b.campaign.refresh_from_db()
    return world


def verified(appraisal, text="物业投诉办理慢", prominent=False):
    return Finding.objects.create(
        appraisal=appraisal,
        source=Finding.Source.ACTIVITY,
        text=text,
        topic=Finding.Topic.SERVICE,
        status=Finding.Status.VERIFIED,
        prominent=prominent,
        verified_at=timezone.now(),
    )


def doc_number(n: int, prefix: str = "人常评") -> str:
    """The number an opinion issued today takes: the year in 〔〕 is the year of issue."""
    return f"{prefix}〔{timezone.localdate().year}〕{n}号"


def drafted(world, appraisal, items=2):
    opinion = services.opinion_save_draft(
        appraisal=appraisal,
        actor=world.office,
        title="",
        preamble="根据评议工作安排，常委会组织开展了工作评议。现提出如下评议意见。",
        reply_deadline=timezone.localdate() + datetime.timedelta(days=120),
    )
    finding = verified(appraisal)
    for i in range(items):
        services.opinion_item_add(
            opinion=opinion,
            actor=world.office,
            problem=f"问题{i + 1}：窗口服务效率不高",
            requirement=f"要求{i + 1}：建立限时办结制度",
            findings=[finding],
        )
    return opinion


# The ledger's fixtures (issue 12); imported last, as they build on ``drafted`` above.
from tests.rectification.ledgerkit import ledger_world  # noqa: E402, F401
