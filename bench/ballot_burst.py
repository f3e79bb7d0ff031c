"""Ballot burst: 500 voters send their real ballot forms, 50 at a time, to gunicorn + PostgreSQL.

    .venv/bin/python bench/ballot_burst.py            # DATABASE_URL defaults to a bench database

Sets up a round of 6 units and 500 voters in its own database, signs every voter in and
fetches each ballot form (CSRF token) before the timed part, then POSTs all 500 confirmed
ballots, 50 concurrently, and checks the stored totals against what was sent. The floor is
the same 500 sessions POSTing to a view that does one INSERT, on the same server. Each
round is then closed (every sealed envelope opened, the ballots written, the voter tables
rewritten) and timed. Prints one line per figure; the last line is the summary the issue
asks for, ``close_s`` last.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import bench_env, recreate_database, setup_django  # noqa: E402

VOTERS = 500
UNITS = 6
CONCURRENCY = 50
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
# The machine is shared and noisy: each figure is the median of this many bursts, each on a
# fresh round with the same voters, with a floor burst measured right before it.
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingyi_bench"
)
CHOICES = ["satisfied", "basically_satisfied", "unsatisfied"]

SERVER_ENV = bench_env(DATABASE_URL, ALLOWED_HOSTS="127.0.0.1", ROOT_URLCONF="bench.urls")


def prepare() -> tuple[list[int], list[int], list[str]]:
    """Fresh open rounds (one per repeat) of 6 units and one voter group of 500, and a
    signed-in session for each voter."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from appraisal.models import Appraisal, Campaign, User, Voter, VoterGroup
    from appraisal.scoring import services as scoring
    from appraisal.services import office_grant
    from units.models import Unit

    call_command("migrate", verbosity=0)
    office = User.objects.create(username="bench-office")
    office_grant(user=office, actor=None)
    campaign = Campaign.objects.create(year=2026, title="基准测试评议")
    appraisals = [
        Appraisal.objects.create(
            campaign=campaign, unit=Unit.objects.create(name=f"测试单位{i}"), sort_order=i
        )
        for i in range(UNITS)
    ]
    group = VoterGroup.objects.create(campaign=campaign, name="测评人", weight=1)
    users = User.objects.bulk_create(
        User(username=f"voter{i}", full_name=f"测评人{i}", password="!") for i in range(VOTERS)
    )
    Voter.objects.bulk_create(Voter(voter_group=group, user=u) for u in users)
    rounds = []
    for n in range(REPEATS):
        rnd = scoring.round_save(
            campaign=campaign,
            actor=office,
            title=f"基准测试测评{n + 1}",
            kind=1,
            appraisals=appraisals,
            voter_groups=[group],
            allow_unknown=False,
            rule={},
        )
        rg = rnd.groups.get()
        scoring.round_set_attendance(round=rnd, actor=office, groups={rg.pk: {"present": VOTERS}})
        scoring.round_open(round=rnd, actor=office)
        rounds.append(rnd.pk)
    sessions = []
    for user in users:  # what django.contrib.auth.login stores, without hashing a password
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, and no checkpoint mid-burst
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    return rounds, [a.pk for a in appraisals], sessions


def request(method: str, path: str, cookies: dict[str, str], body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{PORT}{path}"
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    set_cookies = response.headers.get_all("Set-Cookie") or []
    conn.close()
    return response.status, response.getheader("Location"), data, set_cookies, elapsed


def fetch_form(round_id: int, session: str) -> dict[str, str]:
    status, _loc, data, set_cookies, _t = request(
        "GET", f"/vote/{round_id}/", {"sessionid": session}
    )
    assert status == 200, status
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data).group(1).decode()
    csrf = next(c.split(";")[0].split("=", 1)[1] for c in set_cookies if c.startswith("csrftoken="))
    return {"session": session, "csrf_cookie": csrf, "token": token}


def cpu_seconds(gunicorn_pid: int) -> dict[str, float]:
    """CPU time used so far by the app (gunicorn and its workers), PostgreSQL and this client."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"app": 0.0, "database": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, used = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == gunicorn_pid or ppid == gunicorn_pid:
            totals["app"] += used
        elif comm == "postgres":
            totals["database"] += used
    usage = os.times()
    totals["client"] = usage.user + usage.system
    return totals


def burst(calls):
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        started = time.perf_counter()
        results = list(pool.map(lambda c: c(), calls))
        return results, time.perf_counter() - started


def wait_for_server(proc: subprocess.Popen) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited; see its output above")
        try:
            request("GET", "/accounts/login/", {})
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def check_round(round_id: int, sent: Counter, accepted: int) -> tuple[int, int, bool]:
    """(lost, duplicated, totals match) for one round: what is stored against what was sent."""
    from django.db.models import Count

    from appraisal.models import Ballot, BallotEntry, RollEntry

    stored = Counter(
        {
            (row["appraisal_id"], row["choice"]): row["n"]
            for row in BallotEntry.objects.filter(ballot__round_id=round_id)
            .values("appraisal_id", "choice")
            .annotate(n=Count("id"))
        }
    )
    ballots = Ballot.objects.filter(round_id=round_id).count()
    roll = RollEntry.objects.filter(round_id=round_id).count()
    lost = sum((sent - stored).values()) // UNITS + (VOTERS - accepted)
    duplicated = sum((stored - sent).values()) // UNITS + max(0, ballots - accepted)
    return lost, duplicated, stored == sent and ballots == roll == accepted


def main() -> None:
    recreate_database(DATABASE_URL)
    setup_django(SERVER_ENV, plain_static=False)
    round_ids, appraisal_ids, sessions = prepare()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        check=True,
    )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(WORKERS),
         "--threads", str(THREADS), "-b", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
    )  # fmt: skip
    runs = []
    try:
        wait_for_server(gunicorn)
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            forms = list(pool.map(lambda s: fetch_form(round_ids[0], s), sessions))

        sent: Counter[tuple[int, str]] = Counter()
        bodies = []
        for i, form in enumerate(forms):
            fields = {"csrfmiddlewaretoken": form["token"], "confirm": "1"}
            for j, aid in enumerate(appraisal_ids):
                choice = CHOICES[(i + j) % 3]
                fields[f"a{aid}"] = choice
                sent[(aid, choice)] += 1
            bodies.append((form, urlencode(fields)))

        def cookies(form):
            return {"sessionid": form["session"], "csrftoken": form["csrf_cookie"]}

        def cast(round_id, form, body):
            return request("POST", f"/vote/{round_id}/", cookies(form), body)

        def floor(form):
            body = urlencode({"csrfmiddlewaretoken": form["token"]})
            return request("POST", "/bench/floor/", cookies(form), body)

        burst([lambda f=f: floor(f) for f in forms[:100]])  # warm every worker
        for round_id in round_ids:
            cpu_start = cpu_seconds(gunicorn.pid)
            floors, floor_seconds = burst([lambda f=f: floor(f) for f in forms])
            cpu_mid = cpu_seconds(gunicorn.pid)
            ballots, ballot_seconds = burst(
                [lambda r=round_id, f=f, b=b: cast(r, f, b) for f, b in bodies]
            )
            cpu_end = cpu_seconds(gunicorn.pid)
            runs.append((round_id, floors, floor_seconds, ballots, ballot_seconds,
                         cpu_start, cpu_mid, cpu_end))  # fmt: skip
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(30)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from appraisal.models import ScoringRound, User
    from appraisal.scoring import services as scoring

    # Close every round: the ballots exist only as sealed envelopes until then.
    office = User.objects.get(username="bench-office")
    closes = []
    for round_id in round_ids:
        rnd = ScoringRound.objects.get(pk=round_id)
        with CaptureQueriesContext(connection) as close_queries:
            started = time.perf_counter()
            scoring.round_close(round=rnd, actor=office)
            closes.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as result_queries:
        scoring._compute_results(rnd)
    print(
        f"server=gunicorn workers={WORKERS} threads={THREADS} database=postgresql "
        f"concurrency={CONCURRENCY} voters={VOTERS} units={UNITS} repeats={REPEATS}"
    )
    figures = []
    lost_all = duplicated_all = 0
    for n, (round_id, floors, floor_s, ballots, ballot_s, c0, c1, c2) in enumerate(runs, 1):
        accepted = sum(1 for r in ballots if r[0] == 302 and r[1].endswith("/vote/counted/"))
        lost, duplicated, match = check_round(round_id, sent, accepted)
        lost_all += lost
        duplicated_all += duplicated
        latencies = sorted(r[4] * 1000 for r in ballots)
        floor_ok = sum(1 for r in floors if r[0] == 204)
        floor_latencies = sorted(r[4] * 1000 for r in floors)
        ballots_per_s, floor_per_s = accepted / ballot_s, floor_ok / floor_s
        p50, p95 = statistics.median(latencies), latencies[int(len(latencies) * 0.95) - 1]
        figures.append((p50, p95, ballots_per_s, ballots_per_s / floor_per_s))
        cpu = {k: (c2[k] - c1[k]) * 1000 / VOTERS for k in c2}
        cpu_floor = {k: (c1[k] - c0[k]) * 1000 / VOTERS for k in c1}
        print(
            f"run={n} accepted={accepted} totals_match={match} p50_ms={p50:.1f} "
            f"p95_ms={p95:.1f} ballots_per_s={ballots_per_s:.1f} floor_per_s={floor_per_s:.1f} "
            f"floor_p50_ms={statistics.median(floor_latencies):.1f} "
            f"floor_p95_ms={floor_latencies[int(len(floor_latencies) * 0.95) - 1]:.1f} "
            f"close_s={closes[n - 1]:.3f}"
        )
        print(
            f"run={n} cpu_ms_per_ballot app={cpu['app']:.1f} database={cpu['database']:.1f} "
            f"client={cpu['client']:.1f} cpu_ms_per_floor_post app={cpu_floor['app']:.1f} "
            f"database={cpu_floor['database']:.1f} client={cpu_floor['client']:.1f}"
        )

    print(
        f"close_queries={len(close_queries.captured_queries)} "
        f"results_queries={len(result_queries.captured_queries)} "
        f"(for {VOTERS} ballots x {UNITS} units)"
    )
    p50, p95, rate, ratio = (statistics.median(f[i] for f in figures) for i in range(4))
    print(
        f"lost={lost_all} duplicated={duplicated_all} p50_ms={p50:.1f} p95_ms={p95:.1f} "
        f"ballots_per_s={rate:.1f} floor_ratio={ratio:.2f} "
        f"close_s={statistics.median(closes):.3f}"
    )


if __name__ == "__main__":
    main()
