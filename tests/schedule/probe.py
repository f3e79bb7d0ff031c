"""Valid examples of the schedule's routes for the hostile-input probe
(tests/test_hostile_input.py): an event of appraisal A, the office's feed."""

from __future__ import annotations

from appraisal.schedule import services
from tests.conftest import World
from tests.schedule.kit import K, schedule


def examples(world: World) -> dict[str, dict[str, str]]:
    event = schedule(world, kind=K.SYMPOSIUM, appraisal=world.appraisal_a, actor=world.leader)
    services.plan_save(
        campaign=world.campaign, actor=world.office, title="实施方案", text="一、总则"
    )
    feed = services.feed_reset(user=world.office)
    e, c, a = str(event.pk), str(world.campaign.pk), str(world.appraisal_a.pk)
    return {
        "appraisal:calendar_feed": {"token": feed.token},
        "appraisal:event": {"pk": e},
        "appraisal:event_edit": {"pk": e},
        "appraisal:event_move": {"pk": e},
        "appraisal:event_new": {"campaign_pk": c},
        "appraisal:appraisal_schedule": {"pk": a},
        "appraisal:campaign_plan": {"campaign_pk": c},
        "appraisal:campaign_plan_pdf": {"campaign_pk": c},
        "appraisal:plan_file": {"campaign_pk": c},
        "surveys:activity_from_event": {"pk": e},
    }
