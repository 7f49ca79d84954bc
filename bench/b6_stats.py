"""B6: the Statistics tabs over a year of 10,000,000 recipients (bench/history.py), target p95 ≤
100 ms per tab request, beside the same By request date table computed from the raw recipient
table in the same run; and the rollup lag under B1's load (how far behind the numbers are while
mail lands at full speed).

`python -m bench b6` measures the tabs (on the lists database of B3/B4); `python -m bench b6lag`
the lag (on the benchmark database of B1, with a beat running the rollups every 10 s and the
default 30 s margin).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import timedelta

from bench.harness import processes, save, start_web

SAMPLES = 30
RAW_RUNS = 3


def _rebuild() -> float:
    """The rollups from the whole history (as `manage.py rebuild_stats`), timed."""
    from stats import rollups

    started = time.perf_counter()
    rollups.rebuild()
    return time.perf_counter() - started


def _raw_by_request_date(project, start, end) -> float:
    """The By request date table's counts straight from the recipient table: the baseline."""
    import zoneinfo
    from datetime import datetime
    from datetime import time as day_start

    from django.db import connection

    zone = zoneinfo.ZoneInfo(project.time_zone)
    lower = datetime.combine(start, day_start(), zone)
    upper = datetime.combine(end + timedelta(days=1), day_start(), zone)
    sql = ("SELECT (r.requested_at AT TIME ZONE %s)::date AS day, count(*), "
           "count(*) FILTER (WHERE r.settled_at IS NOT NULL AND r.result_code NOT IN "
           "('CANCELED_MAIL', 'UNSUBSCRIBE_ADDRESS', 'SEND_BLOCK_ADDRESS')), "
           "count(r.opened_at), count(r.unsubscribed_at) FROM mailer_recipient r "
           "WHERE r.project_id = %s AND r.requested_at >= %s AND r.requested_at < %s "
           "GROUP BY 1 ORDER BY 1")
    took = []
    with connection.cursor() as cursor:
        for _run in range(RAW_RUNS):
            started = time.perf_counter()
            cursor.execute(sql, [project.time_zone, project.pk, lower, upper])
            cursor.fetchall()
            took.append(time.perf_counter() - started)
    return statistics.median(took)


def run_tabs() -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bench.b3_lists import Client, _measure, _session_cookie, _table
    from bench.history import PROJECT_SLUG, USERNAME, load_history
    from stats.models import ResultCounts

    project = load_history()
    user = get_user_model().objects.get(username=USERNAME)
    rebuild_seconds = _rebuild()
    end = timezone.localdate()
    start = end - timedelta(days=364)  # a year, both days included
    span = f"start={start.isoformat()}&end={end.isoformat()}"
    base = f"/projects/{PROJECT_SLUG}/statistics/"
    top_domain = (ResultCounts.objects.filter(project=project).values_list("domain", flat=True)
                  .order_by("-count").first())
    targets = [
        ("baseline: members page", f"/projects/{PROJECT_SLUG}/settings/members/", False),
        ("By request date, a year", f"{base}?tab=request&{span}", False),
        ("By request date, a year, one template", f"{base}?tab=request&{span}&template="
                                                   f"{_a_template(project)}", False),
        ("By send date, a year", f"{base}?tab=send&{span}", False),
        ("By domain name, a year", f"{base}?tab=domain&{span}", False),
        ("By domain name, a year, drilled into a domain",
         f"{base}?tab=domain&{span}&domain={top_domain}", False),
        ("By delivery result code, a year", f"{base}?tab=code&{span}", False),
        ("By delivery result code, a year, drilled into MAIL_SENT",
         f"{base}?tab=code&{span}&code=MAIL_SENT", False),
        ("By sending limit, this month", f"{base}?tab=limit", False),
    ]
    raw = _raw_by_request_date(project, start, end)
    with processes() as running:
        port = start_web(running, workers=3, threads=1, worker_class="sync",
                         GUNICORN_CMD_ARGS="--timeout 300")
        client = Client(port, _session_cookie(user), "", "")
        status, _size, _took = client.get(targets[1][1], False)
        if status != 200:
            raise RuntimeError(f"{targets[1][1]} answered {status}")
        figures = _measure(client, targets)
    baseline = figures[0]
    for figure in figures:
        figure["baseline"] = baseline["name"]
        figure["ratio_p50"] = round(figure["p50_ms"] / baseline["p50_ms"], 1)
        figure["ratio_p95"] = round(figure["p95_ms"] / baseline["p95_ms"], 1)
    by_request = figures[1]
    return {
        "benchmark": "B6", "history": "10,000,000 recipients over 365 days",
        "rebuild_seconds": round(rebuild_seconds, 1),
        "raw_by_request_date_ms": round(raw * 1000, 1),
        "rollup_by_request_date_p50_ms": by_request["p50_ms"],
        "raw_over_rollup_page": round(raw * 1000 / by_request["p50_ms"], 1),
        "figures": figures, "table": _table(figures),
        "worst_tab_p95_ms": max(f["p95_ms"] for f in figures[1:]),
    }


def _a_template(project) -> int:
    from mailer.models import Template

    return Template.objects.filter(project=project).values_list("pk", flat=True).first() or 0


def run_lag(recipients: int = 100_000) -> dict:
    """B1's send with the beat keeping the rollups: every second, how far behind they are."""
    from django.db.models import Sum
    from django.utils import timezone

    from bench import b1_delivery
    from bench.harness import api_call, bench_project, clean_slate, start_sink, start_worker
    from mailer.models import FINAL_STATUSES, Recipient, SendRequest
    from stats import rollups
    from stats.models import ResultCounts

    clean_slate()
    caught_up = time.perf_counter()
    rollups.advance()  # the history of earlier runs, before the clock starts
    history_seconds = time.perf_counter() - caught_up
    project, access_key, secret = bench_project("b6lag")
    samples = []
    with processes() as running, tempfile.TemporaryDirectory() as folder:
        sink = start_sink(running)
        env = {"EMAIL_URL": f"smtp://127.0.0.1:{sink}"}
        web = start_web(running, **env)
        start_worker(running, concurrency=2, **env)
        running.start(sys.executable, "-m", "celery", "-A", "console", "beat", "--loglevel",
                      "WARNING", "-s", f"{folder}/beat-schedule")
        time.sleep(3)
        started = time.perf_counter()
        status, answer = api_call(web, "POST", "/api/v1/mails", access_key, secret,
                                  b1_delivery._body())
        assert status == 201, answer
        send_request = SendRequest.objects.get(request_id=answer["requestId"])
        finished_at = None
        while True:
            now = timezone.now()
            settled = Recipient.objects.filter(send_request=send_request,
                                               settled_at__isnull=False).count()
            counted = ResultCounts.objects.filter(project=project).aggregate(
                n=Sum("count"))["n"] or 0
            samples.append({"t": round(time.perf_counter() - started, 1),
                            "lag_s": round(rollups.lag(now).total_seconds(), 1),
                            "settled": settled, "counted": counted})
            send_request.refresh_from_db()
            if finished_at is None and send_request.status in FINAL_STATUSES:
                finished_at = time.perf_counter() - started
            if finished_at is not None and counted >= settled:
                break
            time.sleep(1)
        caught = time.perf_counter() - started
    during = [s for s in samples if finished_at is None or s["t"] <= finished_at]
    return {
        "benchmark": "B6 rollup lag", "recipients": recipients,
        "history_caught_up_seconds": round(history_seconds, 1),
        "send_seconds": round(finished_at, 1),
        "mails_per_second": round(recipients / finished_at),
        "max_lag_seconds": max(s["lag_s"] for s in during),
        "max_behind_recipients": max(s["settled"] - s["counted"] for s in during),
        "all_counted_after_send_seconds": round(caught - finished_at, 1),
        "samples": samples,
    }


def main() -> None:
    save("b6", run_tabs())


def main_lag() -> None:
    save("b6lag", run_lag())
