import pytest
from django.urls import reverse

from appraisal.errors import NotAllowed, PhaseError
from appraisal.models import AuditEvent, Campaign
from appraisal.services import campaign_advance_phase

pytestmark = pytest.mark.django_db


def advance_url(campaign):
    return reverse("appraisal:campaign_advance", args=[campaign.pk])


def test_office_moves_the_campaign_one_phase_forward_and_it_is_audited(world, login):
    client = login(world.office)
    confirm = client.get(advance_url(world.campaign))
    assert confirm.status_code == 200
    assert "自查自评" in confirm.content.decode()  # the confirmation names the next phase

    response = client.post(advance_url(world.campaign), {"from_phase": "investigation"})
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.phase == Campaign.Phase.SELF_REVIEW
    event = AuditEvent.objects.get(action="appraisal.campaign.phase_changed")
    assert event.actor == world.office
    assert event.campaign == world.campaign
    assert event.data == {"from": "investigation", "to": "self_review"}


@pytest.mark.parametrize("who", ["leader", "liaison_a", "deputy", "outsider"])
def test_only_the_office_changes_the_phase(world, login, who):
    client = login(getattr(world, who))
    assert client.get(advance_url(world.campaign)).status_code == 403
    assert (
        client.post(advance_url(world.campaign), {"from_phase": "investigation"}).status_code == 403
    )
    world.campaign.refresh_from_db()
    assert world.campaign.phase == Campaign.Phase.INVESTIGATION
    assert not AuditEvent.objects.filter(action="appraisal.campaign.phase_changed").exists()


def test_service_refuses_a_non_office_actor(world):
    with pytest.raises(NotAllowed):
        campaign_advance_phase(
            campaign=world.campaign, actor=world.leader, from_phase="investigation"
        )


def test_a_stale_confirmation_changes_nothing(world, login):
    """Two clerks confirm the same move: the second is told, not moved twice."""
    client = login(world.office)
    client.post(advance_url(world.campaign), {"from_phase": "investigation"})
    response = client.post(
        advance_url(world.campaign), {"from_phase": "investigation"}, follow=True
    )
    world.campaign.refresh_from_db()
    assert world.campaign.phase == Campaign.Phase.SELF_REVIEW
    assert "已处于" in response.content.decode()
    assert AuditEvent.objects.filter(action="appraisal.campaign.phase_changed").count() == 1


def test_phases_only_move_forward(world):
    with pytest.raises(PhaseError):
        campaign_advance_phase(
            campaign=world.campaign, actor=world.office, from_phase="preparation"
        )
    world.campaign.refresh_from_db()
    assert world.campaign.phase == Campaign.Phase.INVESTIGATION


def test_the_whole_sequence_then_closed_has_no_next(world):
    seen = [world.campaign.phase]
    while world.campaign.next_phase:
        world.campaign = campaign_advance_phase(
            campaign=world.campaign, actor=world.office, from_phase=world.campaign.phase
        )
        seen.append(world.campaign.phase)
    assert seen == [p.value for p in Campaign.Phase][1:]
    with pytest.raises(PhaseError):
        campaign_advance_phase(campaign=world.campaign, actor=world.office, from_phase="closed")


def test_a_garbage_phase_value_is_refused_without_change(world, login):
    response = login(world.office).post(advance_url(world.campaign), {"from_phase": "nonsense"})
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.phase == Campaign.Phase.INVESTIGATION


def test_admin_cannot_edit_the_phase(world, admin_client_office):
    url = reverse("admin:appraisal_campaign_change", args=[world.campaign.pk])
    html = admin_client_office.get(url).content.decode()
    assert 'name="phase"' not in html


def test_the_confirmation_lists_what_the_phase_leaves_open(world, login):
    """Leaving 自查自评 with units whose self-review is not in: the office reads them first."""
    world.campaign.phase = Campaign.Phase.SELF_REVIEW
    world.campaign.save(update_fields=["phase"])
    html = login(world.office).get(advance_url(world.campaign)).content.decode()
    assert "“自查自评”阶段尚未完成的工作" in html
    section = html[html.index("still-open") :]
    for unit in (world.appraisal_a.unit.name, world.appraisal_b.unit.name):
        assert unit in section
    assert "自查自评：" in section and "调研报告：" in section


def test_a_phase_with_nothing_due_says_so(world, login):
    world.campaign.phase = Campaign.Phase.SECOND_SCORING
    world.campaign.save(update_fields=["phase"])
    html = login(world.office).get(advance_url(world.campaign)).content.decode()
    assert "“二次测评”阶段的工作均已完成" in html
