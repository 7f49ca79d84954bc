"""B2: POST /mails with 100,000 recipients (target ≤ 2 s), and with 1 recipient under 20
concurrent clients (target p95 ≤ 50 ms). Measured from the client, through gunicorn on loopback;
no worker runs meanwhile, so only the acceptance is measured."""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time

from bench.harness import bench_project, clean_slate, processes, save, start_web

LARGE = 100_000
CLIENTS = 20
REQUESTS_PER_CLIENT = 100


def _large_body() -> bytes:
    return json.dumps({
        "senderAddress": "no_reply@company.com", "title": "안내 ${GRADE}",
        "body": "<p>#{RECIPIENT_NAME}님 ${GRADE}</p>",
        "recipients": [{"address": f"user{n:06d}@example.com", "name": f"고객{n}",
                        "parameters": {"GRADE": "GOLD"}} for n in range(LARGE)],
    }, ensure_ascii=False).encode()


def _small_body(n: int) -> bytes:
    return json.dumps({
        "senderAddress": "no_reply@company.com", "title": "Your code",
        "body": f"<p>Your code is {n:06d}</p>",
        "recipients": [{"address": f"user{n:06d}@example.com"}],
    }).encode()


def _post(connection: http.client.HTTPConnection, body: bytes, access_key: str,
          secret: str) -> tuple[int, float]:
    from console.signature import signed_headers

    headers = signed_headers("POST", "/api/v1/mails", access_key, secret)
    headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    connection.request("POST", "/api/v1/mails", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _wrk(port: int, access_key: str, secret: str, seconds: int) -> dict | None:
    """20 connections, back to back, from wrk (a C client, so the load generator takes little
    of the 2 cores); the signature stays valid for 5 minutes, so one set of headers serves."""
    import shutil
    import subprocess
    import tempfile

    from console.signature import signed_headers

    if shutil.which("wrk") is None:
        return None
    headers = {**signed_headers("POST", "/api/v1/mails", access_key, secret),
               "Content-Type": "application/json"}
    script = ["wrk.method = 'POST'", f"wrk.body = [[{_small_body(0).decode()}]]"]
    script += [f"wrk.headers['{name}'] = '{value}'" for name, value in headers.items()]
    script.append(
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('RESULT %d %d %d %.3f %.3f %.3f\\n', summary.requests,"
        " summary.errors.status + summary.errors.connect + summary.errors.read"
        " + summary.errors.write + summary.errors.timeout, summary.duration,"
        " latency:percentile(50) / 1000, latency:percentile(95) / 1000,"
        " latency:percentile(99) / 1000))\nend")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write("\n".join(script))
    url = f"http://127.0.0.1:{port}/api/v1/mails"
    subprocess.run(["wrk", "-t2", f"-c{CLIENTS}", "-d3s", "-s", lua.name, url],
                   capture_output=True, check=True)  # warm up
    output = subprocess.run(["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "-s", lua.name, url],
                            capture_output=True, text=True, check=True).stdout
    line = next(row for row in output.splitlines() if row.startswith("RESULT"))
    requests, errors, duration_us, p50, p95, p99 = line.split()[1:]
    return {"client": "wrk", "small_requests": int(requests), "small_failures": int(errors),
            "small_p50_ms": float(p50), "small_p95_ms": float(p95), "small_p99_ms": float(p99),
            "small_requests_per_second": round(int(requests) / (int(duration_us) / 1e6))}


def _python_clients(port: int, access_key: str, secret: str) -> dict:
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], []
        for n in range(REQUESTS_PER_CLIENT):
            status, seconds = _post(connection, _small_body(index * 1000 + n), access_key,
                                    secret)
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
    return {"client": "python threads", "small_requests": len(latencies),
            "small_failures": len(failures),
            "small_p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "small_p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
            "small_p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "small_requests_per_second": round(len(latencies) / wall)}


def run(workers: int = 3) -> dict:
    clean_slate()
    _project, access_key, secret = bench_project("b2")
    with processes() as running:
        port = start_web(running, workers=workers, threads=1, worker_class="sync")
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for n in range(20):
            _post(warm, _small_body(n), access_key, secret)

        large = _large_body()
        large_times = []
        for _ in range(3):
            status, seconds = _post(warm, large, access_key, secret)
            assert status == 201, status
            large_times.append(seconds)
        small = _wrk(port, access_key, secret, 20) or _python_clients(port, access_key, secret)
    clean_slate()  # no worker ran: leave no request waiting for the next benchmark
    return {
        "benchmark": "B2",
        "large_request_recipients": LARGE,
        "large_request_body_mb": round(len(large) / 1e6, 1),
        "large_request_seconds": [round(t, 2) for t in large_times],
        "large_request_median_seconds": round(statistics.median(large_times), 2),
        "concurrent_clients": CLIENTS,
        **small,
        "web": f"gunicorn, {workers} sync worker processes",
    }


def main() -> None:
    save("b2", run())
