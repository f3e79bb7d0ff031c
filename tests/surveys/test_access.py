"""The surveys' access helpers: object, 404 for who may not know it exists, 403 for who
sees it but may not act (healthchecks' owner / colleague / outsider)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from surveys.findings.access import get_attachment_for_user, get_finding_for_user
from surveys.models import Attachment, Finding, InvestigationActivity
from surveys.questionnaires.access import (
    get_question_for_builder,
    get_survey_for_respondent,
    get_survey_for_user,
)
from tests.surveys.test_questionnaires import build

pytestmark = pytest.mark.django_db


def _forwarded(world):
    now = timezone.now()
    return Finding.objects.create(
        appraisal=world.appraisal_a, source="activity", text="问题", status="verified",
        verified_at=now, forwarded_at=now,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("office", None, None),
        ("leader", None, None),
        ("liaison_a", None, PermissionDenied),  # sees what was forwarded, may not change it
        ("liaison_b", Http404, Http404),
        ("deputy", Http404, Http404),
        ("outsider", Http404, Http404),
    ],
)
def test_finding_read_and_write(world, who, read, write):
    finding = _forwarded(world)
    user = getattr(world, who)
    for expected, kwargs in ((read, {}), (write, {"write": True})):
        if expected is None:
            assert get_finding_for_user(user, finding.pk, **kwargs) == finding
        else:
            with pytest.raises(expected):
                get_finding_for_user(user, finding.pk, **kwargs)


def test_a_unit_posting_a_verdict_is_refused_and_nothing_changes(world, login):
    finding = _forwarded(world)
    client = login(world.liaison_a)
    response = client.post(finding.get_absolute_url(), {"status": "unfounded", "note": "x"})
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.status == "verified"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("office", None), ("leader", None), ("liaison_a", PermissionDenied), ("liaison_b", Http404)],
)
def test_attachments_are_for_investigators(world, who, expected):
    activity = InvestigationActivity.objects.create(
        appraisal=world.appraisal_a, kind="symposium", held_on=timezone.localdate(),
        summary="座谈", recorded_by=world.leader,
    )  # fmt: skip
    item = Attachment.objects.create(
        activity=activity, file="x.pdf", original_name="纪要.pdf", content_type="application/pdf",
        size=1, uploaded_by=world.leader,
    )  # fmt: skip
    if expected is None:
        assert get_attachment_for_user(getattr(world, who), item.pk) == item
    else:
        with pytest.raises(expected):
            get_attachment_for_user(getattr(world, who), item.pk)
    with pytest.raises(Http404):
        get_attachment_for_user(world.office, item.pk + 1000)


def test_surveys_for_builders_respondents_and_questions(world):
    survey, q = build(world)
    assert get_survey_for_user(world.leader, survey.pk, write=True) == survey
    with pytest.raises(PermissionDenied):
        get_survey_for_user(world.liaison_a, survey.pk)
    with pytest.raises(Http404):
        get_survey_for_user(world.liaison_b, survey.pk)
    assert get_survey_for_respondent(survey.token) == survey
    with pytest.raises(Http404):
        get_survey_for_respondent("no-such-token")
    assert get_question_for_builder(survey, str(q["sat"].pk)) == q["sat"]
    for bad in ("abc", "²", "9" * 30, str(q["sat"].pk + 1000)):
        with pytest.raises(Http404):
            get_question_for_builder(survey, bad)
