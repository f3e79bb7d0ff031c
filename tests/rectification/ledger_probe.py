"""Valid examples of the ledger's routes for the hostile-input probe
(tests/test_hostile_input.py): an item of appraisal B with progress and evidence."""

from __future__ import annotations

from django.utils import timezone

from appraisal.models import Campaign
from rectification.ledger import services
from tests.conftest import World
from tests.rectification.ledgerkit import issue, make_item, set_phase, upload
from tests.rectification.report_probe import examples as report_examples


def examples(world: World) -> dict[str, dict[str, str]]:
    phase = world.campaign.phase
    opinion = issue(world, world.appraisal_b, items=1)
    set_phase(world, Campaign.Phase.RECTIFICATION)
    item = make_item(world, opinion.items.get())
    item = services.item_move(item=item, actor=world.liaison_b, action="submit")
    item = services.item_move(item=item, actor=world.office, action="approve")
    services.progress_post(
        item=item,
        actor=world.liaison_b,
        day=timezone.localdate(),
        text="进展",
        percent=30,
        uploads=[upload()],
    )
    evidence = item.evidence.get()
    reports = report_examples(world, world.appraisal_b)
    set_phase(world, phase)
    b, c, i = str(world.appraisal_b.pk), str(world.campaign.pk), str(item.pk)
    return {
        "rectification:ledger": {"pk": b},
        "rectification:ledger_item_add": {"pk": b},
        "rectification:ledger_export": {"pk": b},
        "rectification:ledger_import": {"pk": b},
        "rectification:ledger_import_template": {"pk": b},
        "rectification:campaign_ledger": {"pk": c},
        "rectification:campaign_ledger_export": {"pk": c},
        "rectification:ledger_item": {"pk": i},
        "rectification:ledger_item_edit": {"pk": i},
        "rectification:ledger_item_move": {"pk": i},
        "rectification:ledger_item_progress": {"pk": i},
        "rectification:ledger_evidence": {"pk": str(evidence.pk)},
        **reports,
    }
