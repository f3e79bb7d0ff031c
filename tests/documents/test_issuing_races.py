"""Document numbers under concurrent issue, on PostgreSQL (SQLite serialises writes)."""

import datetime as dt

import pytest
from django.db import connection

from appraisal.documents.models import IssuedDocument
from appraisal.documents.services import document_issue, issuing_settings_save
from tests.appraisal.test_ballot_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races are tested on PostgreSQL"),
]


def issue(world, subject):
    return lambda: document_issue(
        campaign=world.campaign, kind="notice", subject=subject, title="关于……的通报",
        date=dt.date(2026, 3, 5), actor=world.office,
    )  # fmt: skip


def test_twenty_documents_issued_at_once_get_twenty_numbers(world):
    # No settings saved yet: the first issues create the defaults at the same time.
    outcomes = race([issue(world, f"s{i}") for i in range(20)])
    assert all(isinstance(o, IssuedDocument) for o in outcomes), outcomes
    numbers = sorted(IssuedDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 21))


def test_one_subject_issued_twenty_times_at_once_takes_one_number(world):
    issuing_settings_save(campaign=world.campaign, actor=world.office, values={})
    outcomes = race([issue(world, "same")] * 20)
    assert all(isinstance(o, IssuedDocument) for o in outcomes), outcomes
    assert IssuedDocument.objects.count() == 1
    assert {o.number for o in outcomes} == {1}
