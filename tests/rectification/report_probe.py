"""Valid examples of the rectification report's routes for the hostile-input probe
(tests/test_hostile_input.py, through ledger_probe): B's report, submitted once."""

from __future__ import annotations

from appraisal.models import Appraisal, Campaign
from tests.conftest import World
from tests.rectification.ledgerkit import set_phase
from tests.rectification.reportkit import head_of, submitted


def examples(world: World, appraisal: Appraisal) -> dict[str, dict[str, str]]:
    phase = world.campaign.phase
    set_phase(world, Campaign.Phase.RECTIFICATION)
    appraisal.campaign.refresh_from_db()
    submitted(appraisal, world.liaison_b, head_of(appraisal, "probe_head_b"))
    set_phase(world, phase)
    appraisal.campaign.refresh_from_db()
    b = str(appraisal.pk)
    return {
        "rectification:report": {"pk": b},
        "rectification:report_generate": {"pk": b},
        "rectification:report_approve": {"pk": b},
        "rectification:report_submit": {"pk": b},
        "rectification:report_review": {"pk": b},
        "rectification:report_version": {"pk": b, "number": "1"},
        "rectification:report_version_pdf": {"pk": b, "number": "1"},
        # no open second round here: a well-formed code that opens nothing
        "rectification:report_for_code": {"code": "ABCD2345", "pk": b, "number": "1"},
    }
