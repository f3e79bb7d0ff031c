"""Ledger load: 6 appraisals × 200 rectification items × 5 progress updates with evidence
rows; time the campaign-wide ledger page, its overdue filter, the Excel export and a
``send_reminders`` run.

    .venv/bin/python bench/ledger_load.py        # needs the local PostgreSQL; ~1 minute

Fills its own database (``ledger_bench``, dropped and created afresh), then measures in a
fresh process as the office: each page is the median of 3 (with its query count), the
export and the reminders run once each (mail to Django's in-memory backend, so the
terminal's speed is not measured). Last line:
``items=1200 ledger_ms=… ledger_queries=… export_s=… reminders_s=…``.
"""

from __future__ import annotations

import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import (  # noqa: E402
    bench_env,
    fill_then_measure,
    recreate_database,
    setup_django,
)

APPRAISALS, ITEMS, UPDATES = 6, 200, 5
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ledger_bench"
)
ENV = bench_env(DATABASE_URL, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def fill() -> int:
    recreate_database(DATABASE_URL)
    setup_django(ENV)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from appraisal.models import Appraisal, Campaign, User, WorkGroup, WorkGroupMember
    from appraisal.services import office_grant
    from rectification.models import (
        AppraisalOpinion,
        Evidence,
        OpinionItem,
        ProgressUpdate,
        RectificationItem,
    )
    from units.models import Unit, UnitTeamMember

    call_command("migrate", verbosity=0)
    office = User.objects.create(username="bench-office", email="office@example.org")
    office_grant(user=office, actor=None)
    campaign = Campaign.objects.create(
        year=2026, title="基准测试评议", phase=Campaign.Phase.RECTIFICATION
    )
    today = timezone.localdate()
    rng = random.Random(1200)
    statuses = [s for s, _ in RectificationItem.Status.choices]
    categories = [c for c, _ in RectificationItem.Category.choices]
    items = []
    for a in range(APPRAISALS):
        group = WorkGroup.objects.create(campaign=campaign, name=f"第{a + 1}评议工作组")
        appraisal = Appraisal.objects.create(
            campaign=campaign,
            unit=Unit.objects.create(name=f"测试单位{a + 1}"),
            work_group=group,
            sort_order=a,
        )
        for k in range(3):
            member = User.objects.create(username=f"g{a}-{k}", email=f"g{a}-{k}@example.org")
            WorkGroupMember.objects.create(work_group=group, user=member)
        liaison = User.objects.create(username=f"u{a}", email=f"u{a}@example.org")
        UnitTeamMember.objects.create(
            unit=appraisal.unit, user=liaison, role=UnitTeamMember.Role.LIAISON
        )
        opinion = AppraisalOpinion.objects.create(
            appraisal=appraisal,
            campaign=campaign,
            title=f"关于对测试单位{a + 1}的评议意见",
            status=AppraisalOpinion.Status.ISSUED,
            number=a + 1,
            document_number=f"人常评〔2026〕{a + 1}号",
        )
        ops = [
            OpinionItem.objects.create(
                opinion=opinion, number=n + 1, problem=f"问题{n + 1}", requirement="要求"
            )
            for n in range(5)
        ]
        for i in range(ITEMS):
            category = categories[i % 4]
            items.append(
                RectificationItem(
                    appraisal=appraisal,
                    opinion_item=ops[i % 5],
                    status=rng.choice(statuses),
                    category=category,
                    problem=f"整改事项{a + 1}-{i + 1}：窗口办件超时，群众反映强烈",
                    measures="建立限时办结制度，每月通报",
                    standard="按时办结率100%",
                    explanation="现行法规未授权" if category == "explanation" else "",
                    responsible_leader="王副局长",
                    responsible_department=f"第{i % 7 + 1}科",
                    deadline=today + datetime.timedelta(days=rng.randint(-60, 120)),
                    percent=rng.randint(0, 100),
                    created_by=liaison,
                )
            )
    items = RectificationItem.objects.bulk_create(items, batch_size=1000)
    updates = [
        ProgressUpdate(
            item=item,
            day=today - datetime.timedelta(days=10 * (UPDATES - u)),
            text=f"第{u + 1}次进展",
            percent=20 * (u + 1),
            created_by=item.created_by,
        )
        for item in items
        for u in range(UPDATES)
    ]
    updates = ProgressUpdate.objects.bulk_create(updates, batch_size=2000)
    Evidence.objects.bulk_create(
        [
            Evidence(
                item_id=p.item_id,
                progress=p,
                file=f"attachments/2026/11/{secrets.token_hex(16)}.pdf",
                original_name=f"佐证{p.pk}.pdf",
                content_type="application/pdf",
                size=1000,
                uploaded_by_id=p.created_by_id,
            )
            for p in updates
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return campaign.pk


def measure(campaign_id: int) -> None:
    setup_django(ENV)
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from appraisal.models import User
    from rectification.ledger.reminders import send_reminders
    from rectification.models import RectificationItem

    client = Client()
    client.force_login(User.objects.get(username="bench-office"))
    client.get("/")
    url = reverse("rectification:campaign_ledger", args=[campaign_id])

    def page(query: dict[str, str]) -> tuple[float, int, int]:
        timings, count, size = [], 0, 0
        for _ in range(3):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, query)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            count, size = len(queries.captured_queries), len(response.content)
        return statistics.median(timings), count, size

    ledger_ms, ledger_queries, size = page({})
    overdue_ms, overdue_queries, _ = page({"overdue": "1"})
    started = time.perf_counter()
    export = client.get(reverse("rectification:campaign_ledger_export", args=[campaign_id]))
    export_s = time.perf_counter() - started
    assert export.status_code == 200
    started = time.perf_counter()
    outcome = send_reminders()
    reminders_s = time.perf_counter() - started
    again = send_reminders()
    items = RectificationItem.objects.filter(appraisal__campaign=campaign_id).count()
    print(f"ledger_bytes={size} overdue_ms={overdue_ms:.0f} overdue_queries={overdue_queries}")
    print(f"export_bytes={len(export.content)}")
    print(
        f"reminders_created={outcome.created} mails={outcome.messages} "
        f"second_run_created={again.created} second_run_mails={again.messages}"
    )
    print(
        f"items={items} ledger_ms={ledger_ms:.0f} ledger_queries={ledger_queries} "
        f"export_s={export_s:.2f} reminders_s={reminders_s:.2f}"
    )


def main() -> None:
    fill_then_measure(__file__, ENV, fill, measure, lambda: f"{APPRAISALS * ITEMS} items")


if __name__ == "__main__":
    main()
