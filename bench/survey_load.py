"""Survey load: a 30-question survey with 20,000 responses; time its results page and the
Excel export of every response.

    .venv/bin/python bench/survey_load.py          # needs the local PostgreSQL; ~1 minute

Fills its own database (``pingyi_bench``) with COPY, then measures in a fresh process:
the results page (median of 3, and its query count) and the export (seconds, and the
process's peak resident memory, Django included). Last line:
``responses=… results_ms=… results_queries=… export_s=… export_peak_mb=…``.
"""

from __future__ import annotations

import io
import os
import random
import resource
import secrets
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import (  # noqa: E402
    bench_env,
    fill_then_measure,
    recreate_database,
    setup_django,
)

RESPONSES = 20_000
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingyi_bench"
)
ENV = bench_env(DATABASE_URL)
# (kind, how many) making 30 questions
MIX = [("satisfaction", 10), ("single", 8), ("multiple", 5), ("rating", 5), ("text", 2)]


def fill() -> int:
    recreate_database(DATABASE_URL)
    setup_django(ENV)
    from django.core.management import call_command
    from django.db import connection

    from appraisal.models import Appraisal, Campaign, User
    from appraisal.services import office_grant
    from surveys.models import Question, Survey
    from units.models import Unit

    call_command("migrate", verbosity=0)
    office = User.objects.create(username="bench-office")
    office_grant(user=office, actor=None)
    campaign = Campaign.objects.create(year=2026, title="基准测试评议")
    appraisal = Appraisal.objects.create(
        campaign=campaign, unit=Unit.objects.create(name="测试单位")
    )
    survey = Survey.objects.create(
        campaign=campaign,
        appraisal=appraisal, title="服务对象满意度调查", audience="public", access="link",
        state="open", token=secrets.token_urlsafe(12), created_by=office,
    )  # fmt: skip
    questions = []
    for kind, count in MIX:
        for i in range(count):
            options = "\n".join(f"选项{j}" for j in range(1, 6 if kind == "multiple" else 5))
            questions.append(
                Question.objects.create(
                    survey=survey,
                    position=len(questions) + 1,
                    kind=kind,
                    text=f"{kind} 第{i + 1}题",
                    options=options if kind in ("single", "multiple") else "",
                    max_choices=3 if kind == "multiple" else None,
                )
            )
    rng = random.Random(20000)
    responses, answers = io.StringIO(), io.StringIO()
    for _ in range(RESPONSES):
        rid = uuid.uuid4()
        responses.write(f"{rid}\t{survey.pk}\t2026-06-{rng.randint(1, 28):02d}\n")
        for q in questions:
            options = q.option_list()
            if q.kind == "text":
                if rng.random() < 0.3:
                    wish = rng.choice(["延长办公时间", "简化材料", "增加窗口", "改进态度"])
                    answers.write(f"{rid}\t{q.pk}\t\t希望{wish}\n")
                continue
            chosen = (
                rng.sample(options, rng.randint(1, 3))
                if q.kind == "multiple"
                else [rng.choice(options)]
            )
            for value in chosen:
                answers.write(f"{rid}\t{q.pk}\t{value}\t\n")
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy("COPY surveys_response (id, survey_id, submitted_on) FROM STDIN") as copy:
            copy.write(responses.getvalue())
        with raw.copy(
            "COPY surveys_answer (response_id, question_id, value, text) FROM STDIN"
        ) as copy:
            copy.write(answers.getvalue())
        cursor.execute("VACUUM ANALYZE surveys_answer")
        cursor.execute("VACUUM ANALYZE surveys_response")
    return survey.pk


def measure(survey_id: int) -> None:
    """Run in a fresh process so its peak memory is the page and the export's own."""
    setup_django(ENV)
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from appraisal.models import User
    from surveys.models import Answer

    client = Client()
    client.force_login(User.objects.get(username="bench-office"))
    client.get("/")
    url = reverse("surveys:survey_results", args=[survey_id])
    timings = []
    for _ in range(3):
        reset_queries()  # each request clears the log; start the count from empty
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        # Read now: the next request clears the connection's query log.
        results_queries = len(queries.captured_queries)
    started = time.perf_counter()
    export = client.get(reverse("surveys:survey_xlsx", args=[survey_id]))
    export_s = time.perf_counter() - started
    assert export.status_code == 200
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = Answer.objects.filter(response__survey_id=survey_id).count()
    runs = [round(t) for t in timings]
    print(f"answer_rows={rows} export_bytes={len(export.content)} results_runs_ms={runs}")
    print(
        f"responses={RESPONSES} results_ms={statistics.median(timings):.0f} "
        f"results_queries={results_queries} export_s={export_s:.1f} "
        f"export_peak_mb={peak_mb:.0f}"
    )


def main() -> None:
    fill_then_measure(__file__, ENV, fill, measure, lambda: f"{RESPONSES} responses")


if __name__ == "__main__":
    main()
