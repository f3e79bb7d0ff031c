"""Two confirmations of the same ledger file at once (a double click, two tabs): the
items are created once, the second import finds them and changes nothing."""

from __future__ import annotations

import threading
from io import BytesIO

import pytest
from django.db import connection

from appraisal.models import AuditEvent
from rectification.ledger import importing
from rectification.ledger.models import RectificationItem
from tests.rectification.conftest import ledger_world as ledger_world
from tests.rectification.test_ledger_import import xlsx


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_create_the_items_once(ledger_world):
    w = ledger_world
    parsed = importing.ledger_parse(BytesIO(xlsx()), appraisal=w.appraisal_a)
    before = RectificationItem.objects.filter(appraisal=w.appraisal_a).count()
    created: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            summary = importing.ledger_import(
                appraisal=w.appraisal_a, parsed=parsed, actor=w.liaison_a
            )
            created.append(summary.created)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if connection.vendor == "sqlite" and errors:
        pytest.skip("SQLite serialises writers; the lock is PostgreSQL's to test")
    assert not errors, errors
    assert sorted(created) == [0, 3]
    assert RectificationItem.objects.filter(appraisal=w.appraisal_a).count() == before + 3
    assert AuditEvent.objects.filter(action="rectification.ledger.imported").count() == 1
