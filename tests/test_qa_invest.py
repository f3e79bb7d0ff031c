"""Defects found by trying the issue 7 §3/§4 pages as their users and as a hostile tester."""

import pytest

from appraisal.models import AuditEvent
from surveys.models import Question
from surveys.questionnaires import services
from tests.surveys.test_questionnaires_usability import draft

pytestmark = pytest.mark.django_db


def test_moving_a_question_is_audited(world, login):
    survey = draft(world)
    _first, second = (
        services.question_save(
            survey=survey,
            actor=world.leader,
            kind="text",
            text=t,
            required=False,
            options="",
            max_choices=None,
        )
        for t in ("一", "二")
    )
    client = login(world.leader)
    client.post(survey.get_absolute_url(), {"question": second.pk, "up": "1"})
    assert list(Question.objects.order_by("position").values_list("text", flat=True)) == [
        "二",
        "一",
    ]
    event = AuditEvent.objects.get(action="surveys.question.moved")
    assert event.actor == world.leader


def test_letter_page_lists_work_groups_and_units_in_roster_order_not_by_name(world):
    from appraisal.signin.selectors import campaign_people
    from tests import factories

    for n, (group, unit) in enumerate([("第二评议工作组", "市乙局"), ("第三评议工作组", "市甲局")]):
        appraisal = factories.AppraisalFactory(
            campaign=world.campaign, work_group__name=group, unit__name=unit, sort_order=n + 10
        )
        factories.WorkGroupMemberFactory(work_group=appraisal.work_group)
        factories.UnitTeamMemberFactory(unit=appraisal.unit)
    gone = factories.UserFactory(is_active=False)
    factories.VoterFactory(voter_group__campaign=world.campaign, user=gone)
    titles = [s.title for s in campaign_people(world.campaign)]
    assert titles.index("第二评议工作组") < titles.index("第三评议工作组")
    units = [t for t in titles if "市乙局" in t or "市甲局" in t]
    assert units[0].startswith("市乙局") and units[1].startswith("市甲局")
    assert all(gone not in s.people for s in campaign_people(world.campaign))
