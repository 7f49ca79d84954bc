"""B2: POST /mails with 100,000 recipients (target ≤ 1 s), and with 1 recipient under 20
concurrent clients (target p95 ≤ 50 ms), each beside a baseline of the same run: the benchmarks'
trivial endpoint (bench/urls.py: one signed request checked by the API's own code, one INSERT)
in the same gunicorn, on the same database, sent the same bodies the same way.

Measured from the client, through gunicorn (harness.web_config: 3 sync workers unless asked
otherwise) on loopback; no worker runs meanwhile, so only the acceptance is measured. The
1-recipient runs use wrk (20 connections, BENCH_B2_SECONDS, default 20 s) and fall back to Python
threads when wrk is missing.
BENCH_B2_RECIPIENTS shrinks the large request for a smoke run."""

from __future__ import annotations

import http.client
import json
import os
import statistics
import threading
import time

from bench import wrk
from bench.cpu import CpuMeter
from bench.harness import (
    bench_project,
    clean_slate,
    create_baseline_table,
    describe_web,
    processes,
    save,
    start_web,
    web_config,
)

LARGE = 100_000
CLIENTS = 20
SECONDS = 20
REQUESTS_PER_CLIENT = 100
MAILS = "/api/v1/mails"
BASELINE = "/api/v1/bench/baseline"


def _large_body(recipients: int = LARGE) -> bytes:
    return json.dumps({
        "senderAddress": "no_reply@company.com", "title": "안내 ${GRADE}",
        "body": "<p>#{RECIPIENT_NAME}님 ${GRADE}</p>",
        "recipients": [{"address": f"user{n:06d}@example.com", "name": f"고객{n}",
                        "parameters": {"GRADE": "GOLD"}} for n in range(recipients)],
    }, ensure_ascii=False).encode()


def _small_body(n: int) -> bytes:
    return json.dumps({
        "senderAddress": "no_reply@company.com", "title": "Your code",
        "body": f"<p>Your code is {n:06d}</p>",
        "recipients": [{"address": f"user{n:06d}@example.com"}],
    }).encode()


def _post(connection: http.client.HTTPConnection, body: bytes, access_key: str,
          secret: str, path: str = MAILS) -> tuple[int, float]:
    from console.signature import signed_headers

    headers = signed_headers("POST", path, access_key, secret)
    headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _python_clients(port: int, access_key: str, secret: str, path: str) -> dict:
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], []
        for n in range(REQUESTS_PER_CLIENT):
            status, seconds = _post(connection, _small_body(index * 1000 + n), access_key,
                                    secret, path)
            mine.append(seconds)
            if status != 201:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    clients = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    wall = time.perf_counter() - started
    return {"client": "python threads", "requests": len(latencies), "errors": len(failures),
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "requests_per_second": round(len(latencies) / wall)}


def _small(port: int, access_key: str, secret: str, path: str, seconds: float,
           web_pid: int) -> dict:
    """The 1-recipient run, with the cores each process group used meanwhile."""
    meter = CpuMeter({"web (gunicorn)": [web_pid]})
    meter.start()
    if wrk.available():
        result = wrk.run(port, [wrk.Call("post", "POST", path, _small_body(0))], access_key,
                         secret, connections=CLIENTS, seconds=seconds)
    else:
        result = _python_clients(port, access_key, secret, path)
    cores = meter.stop()
    rate = result["requests_per_second"]
    result["cpu_cores"] = cores
    result["cpu_ms_per_request"] = {group: round(1000 * used / rate, 2) if rate else None
                                    for group, used in cores.items()}
    return result


def _ratios(product: dict, baseline: dict) -> dict:
    return {f"{name}_ratio": round(product[name] / baseline[name], 2)
            for name in ("p50_ms", "p95_ms", "p99_ms", "requests_per_second")
            if baseline.get(name)}


def run() -> dict:
    seconds = float(os.environ.get("BENCH_B2_SECONDS", SECONDS))
    recipients = int(os.environ.get("BENCH_B2_RECIPIENTS", LARGE))
    clean_slate()
    create_baseline_table()
    _project, access_key, secret = bench_project("b2")
    with processes() as running:
        web = web_config()
        port = start_web(running, **web, application="bench.wsgi:application",
                         DJANGO_SETTINGS_MODULE="bench.settings")
        web_pid = running.started[-1].pid
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for n in range(20):
            for path in (MAILS, BASELINE):
                status, _seconds = _post(warm, _small_body(n), access_key, secret, path)
                assert status == 201, (path, status)

        large = _large_body(recipients)
        large_times: list[float] = []
        baseline_large_times: list[float] = []
        for _ in range(3):  # alternating, so that a slow moment of the machine hits both
            for path, times in ((BASELINE, baseline_large_times), (MAILS, large_times)):
                status, took = _post(warm, large, access_key, secret, path)
                assert status == 201, (path, status)
                times.append(took)
        baseline_small = _small(port, access_key, secret, BASELINE, seconds, web_pid)
        small = _small(port, access_key, secret, MAILS, seconds, web_pid)
    clean_slate()  # no worker ran: leave no request waiting for the next benchmark
    large_median = statistics.median(large_times)
    baseline_large_median = statistics.median(baseline_large_times)
    return {
        "benchmark": "B2",
        "large_request_recipients": recipients,
        "large_request_body_mb": round(len(large) / 1e6, 1),
        "large_request_seconds": [round(t, 2) for t in large_times],
        "large_request_median_seconds": round(large_median, 2),
        "baseline_large_request_seconds": [round(t, 3) for t in baseline_large_times],
        "baseline_large_request_median_seconds": round(baseline_large_median, 3),
        "large_request_ratio": round(large_median / baseline_large_median, 1),
        "concurrent_clients": CLIENTS,
        "small": small,
        "baseline_small": baseline_small,
        "small_ratios": _ratios(small, baseline_small),
        "web": describe_web(web),
        "baseline": f"POST {BASELINE}: signature checked as the API does, one INSERT",
    }


def main() -> None:
    save("b2", run())
