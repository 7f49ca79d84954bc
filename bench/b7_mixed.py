"""B7: mixed load. 40 concurrent API clients for 2 minutes (BENCH_B7_SECONDS), half of them
POST /api/v1/mails with 1 recipient, half reading: the list of requests (a page of 20),
a request's status and a request's mails, in turns; meanwhile the Celery workers deliver what
is posted, to Postfix's smtp-sink. Target: ≥ 300 requests/s, p99 ≤ 250 ms, no error.

The same-run baseline is the same wrk run (same connections, BENCH_B7_BASELINE_SECONDS, default
20 s) against the benchmarks' trivial endpoint (bench/urls.py: one signed request, one INSERT)
in the same gunicorn, before and after the mixed run (the mean is the baseline). After the mixed
run the workers are given up to BENCH_B7_DRAIN_SECONDS (default 300) to deliver the rest, and
every posted recipient must be MAIL_SENT with one message each at the sink."""

from __future__ import annotations

import json
import os
import statistics
import time

from bench import wrk
from bench.cpu import CpuMeter
from bench.harness import (
    api_call,
    bench_project,
    clean_slate,
    create_baseline_table,
    describe_web,
    processes,
    save,
    start_smtp_sink,
    start_web,
    start_worker,
    wait_workers,
    web_config,
    worker_hostname,
)

CONNECTIONS = 40
SECONDS = 120
BASELINE_SECONDS = 20
DRAIN_SECONDS = 300
SEEDED = 10  # requests posted before the run, for the status and mails reads
BASELINE = "/api/v1/bench/baseline"


def _body(n: int, recipients: int = 1) -> bytes:
    return json.dumps({
        "senderAddress": "no_reply@company.com", "title": "Your code",
        "body": f"<p>Your code is {n:06d}</p>",
        "recipients": [{"address": f"user{n + r:06d}@example.com"} for r in range(recipients)],
    }).encode()


def _mixed_calls(request_ids: list[str]) -> list[wrk.Call]:
    """Half POST /mails with 1 recipient; the other half the three reads in turns."""
    day_ms = 86_400_000
    now_ms = int(time.time() * 1000)
    listing = (f"/api/v1/mails/requests?startUtc={now_ms - day_ms}&endUtc={now_ms + day_ms}"
               "&size=20")
    calls = []
    for request_id in request_ids:
        reads = [wrk.Call("list", "GET", listing),
                 wrk.Call("status", "GET", f"/api/v1/mails/requests/{request_id}/status"),
                 wrk.Call("mails", "GET", f"/api/v1/mails/requests/{request_id}/mails?size=20")]
        for read in reads:
            calls += [wrk.Call("post", "POST", "/api/v1/mails", _body(len(calls))), read]
    return calls


def _seed(port: int, access_key: str, secret: str) -> list[str]:
    """Requests for the reads to look at (1 to 50 recipients), delivered before the run."""
    from mailer.models import FINAL_STATUSES, SendRequest

    ids = []
    for n in range(SEEDED):
        status, answer = api_call(port, "POST", "/api/v1/mails", access_key, secret,
                                  _body(900_000 + n * 100, 1 + n * 5))
        assert status == 201, answer
        ids.append(answer["requestId"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and SendRequest.objects.filter(
            request_id__in=ids).exclude(status__in=FINAL_STATUSES).exists():
        time.sleep(0.5)
    return ids


def _delivery(project, seeded: list[str]) -> dict:
    from django.db.models import Count

    from mailer.models import FINAL_STATUSES, Recipient, SendRequest

    requests = SendRequest.objects.filter(project=project).exclude(request_id__in=seeded)
    recipients = Recipient.objects.filter(project=project).exclude(
        send_request__request_id__in=seeded)
    return {
        "requests": requests.count(),
        "requests_final": requests.filter(status__in=FINAL_STATUSES).count(),
        "recipients": recipients.count(),
        "result_codes": dict(recipients.values_list("result_code").annotate(n=Count("id"))
                             .values_list("result_code", "n")),
        "possible_duplicates": recipients.filter(possible_duplicate=True).count(),
    }


def _drain(project, seeded: list[str], limit: float) -> float | None:
    """Seconds until every posted request is final, or None if not within `limit`."""
    from mailer.models import FINAL_STATUSES, SendRequest

    started = time.perf_counter()
    requests = SendRequest.objects.filter(project=project).exclude(request_id__in=seeded)
    while time.perf_counter() - started < limit:
        if not requests.exclude(status__in=FINAL_STATUSES).exists():
            return time.perf_counter() - started
        time.sleep(1)
    return None


def run(worker_processes: int = 2) -> dict:
    seconds = float(os.environ.get("BENCH_B7_SECONDS", SECONDS))
    baseline_seconds = float(os.environ.get("BENCH_B7_BASELINE_SECONDS", BASELINE_SECONDS))
    drain_limit = float(os.environ.get("BENCH_B7_DRAIN_SECONDS", DRAIN_SECONDS))
    clean_slate()
    create_baseline_table()
    project, access_key, secret = bench_project("b7")
    with processes() as running:
        sink = start_smtp_sink(running)
        env = {"EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
               "DJANGO_SETTINGS_MODULE": "bench.settings"}
        web = web_config()
        port = start_web(running, **web, application="bench.wsgi:application", **env)
        gunicorn = running.started[-1]
        worker = start_worker(running, concurrency=worker_processes,
                              hostname=worker_hostname(0), **env)
        wait_workers(1)
        seeded = _seed(port, access_key, secret)
        baseline_call = [wrk.Call("baseline", "POST", BASELINE, _body(0))]

        def baseline() -> dict:
            return wrk.run(port, baseline_call, access_key, secret, connections=CONNECTIONS,
                           seconds=baseline_seconds)

        before = baseline()
        sink_before = sink.messages()
        meter = CpuMeter({"workers": [worker.pid], "web (gunicorn)": [gunicorn.pid],
                          "smtp-sink": [sink.process.pid]})
        meter.start()
        mixed = wrk.run(port, _mixed_calls(seeded), access_key, secret,
                        connections=CONNECTIONS, seconds=seconds)
        cores = meter.stop()
        at_end = _delivery(project, seeded)
        drained = _drain(project, seeded, drain_limit)
        delivered = _delivery(project, seeded)
        sink_messages = sink.messages() - sink_before
        after = baseline()
    base_rate = statistics.mean([before["requests_per_second"], after["requests_per_second"]])
    base_p99 = statistics.mean([before["p99_ms"], after["p99_ms"]])
    sent = delivered["result_codes"].get("MAIL_SENT", 0)
    return {
        "benchmark": "B7", "connections": CONNECTIONS, "seconds": seconds,
        "requests_per_second": mixed["requests_per_second"],
        "p50_ms": mixed["p50_ms"], "p95_ms": mixed["p95_ms"], "p99_ms": mixed["p99_ms"],
        "errors": mixed["errors"], "non_2xx": mixed["non_2xx"],
        "answered_5xx": mixed["answered_5xx"],
        "meets_target": (mixed["requests_per_second"] >= 300 and mixed["p99_ms"] <= 250
                         and mixed["errors"] == 0),
        "baseline_requests_per_second": round(base_rate),
        "baseline_p99_ms": round(base_p99, 1),
        "throughput_ratio_to_baseline": round(mixed["requests_per_second"] / base_rate, 2),
        "p99_ratio_to_baseline": round(mixed["p99_ms"] / base_p99, 2),
        "mixed": mixed,
        "baseline_before": before, "baseline_after": after,
        "delivery_at_end_of_run": at_end,
        "drained_after_seconds": round(drained, 1) if drained is not None else None,
        "delivery": delivered,
        "sink_messages": sink_messages,
        "sent_once": (sent == delivered["recipients"] == sink_messages
                      and delivered["possible_duplicates"] == 0),
        "cpu_cores": cores,
        "web": describe_web(web),
        "workers": f"1 Celery worker, {worker_processes} processes",
    }


def main() -> None:
    save("b7", run())
