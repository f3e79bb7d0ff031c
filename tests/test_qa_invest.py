"""Defects found by trying the issue 7 §3/§4 pages as their users and as a hostile tester."""

import pytest

from appraisal.models import AuditEvent
from surveys.models import Question
from surveys.questionnaires import services
from tests.surveys.test_questionnaires_usability import draft

pytestmark = pytest.mark.django_db


def test_moving_a_question_is_audited(world, login):
    survey = draft(world)
    first, second = (
        services.question_save(
            survey=survey,
            actor=world.leader,
            kind="text",
            text=t,
            required=False,
            options="",
            max_choices=None,
        )  # fmt: skip
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
