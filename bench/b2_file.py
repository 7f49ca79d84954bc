"""B2 through the composer's "Send bulk mails via file upload": a 100,000-row input template
uploaded, checked in the background by a Celery worker (the job kit), and sent; measured from
the client, upload → accepted request (the 302 to the Mailing list), target ≤ 2 s like B2.
The same run measures POST /mails with the same 100,000 recipients as JSON, the baseline the
file path is compared with (its ratio is what counts on a machine whose speed swings)."""

from __future__ import annotations

import io
import json
import re
import statistics
import time

from bench.harness import (
    bench_project,
    clean_slate,
    processes,
    save,
    start_web,
    start_worker,
)

ROWS = 100_000
RUNS = 3
PASSWORD = "bench-password-1"


def _input_file() -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Recipients")
    sheet.append(["address", "name", "GRADE"])
    for n in range(ROWS):
        sheet.append([f"user{n:06d}@example.com", f"고객{n}", "GOLD"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _json_body() -> bytes:
    return json.dumps({
        "senderAddress": "no_reply@company.com", "title": "안내 ${GRADE}",
        "body": "<p>#{RECIPIENT_NAME}님 ${GRADE}</p>",
        "recipients": [{"address": f"user{n:06d}@example.com", "name": f"고객{n}",
                        "parameters": {"GRADE": "GOLD"}} for n in range(ROWS)],
    }, ensure_ascii=False).encode()


def _session(base: str, username: str):
    import requests

    session = requests.Session()
    login = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    answer = session.post(f"{base}/accounts/login/", data={
        "csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False)
    assert answer.status_code == 302, answer.status_code
    return session


def _send_file(session, base: str, slug: str, data: bytes) -> tuple[float, float]:
    """Upload → checked → sent; (seconds until the check was done, seconds until accepted)."""
    compose = f"{base}/projects/{slug}/send/"
    token = session.cookies["csrftoken"]
    headers = {"X-CSRFToken": token, "HX-Request": "true", "Referer": compose}
    started = time.perf_counter()
    uploaded = session.post(f"{compose}bulk-file/", files={"file": ("list.xlsx", data)},
                            headers=headers)
    job = re.search(r'/send/bulk-file/(\d+)/', uploaded.text).group(1)
    while True:
        status = session.get(f"{compose}bulk-file/{job}/", headers=headers).text
        found = re.search(r'data-status="(\w+)"', status).group(1)
        if found == "done":
            break
        assert found in ("queued", "running"), status[:2000]
        time.sleep(0.02)
    checked = time.perf_counter() - started
    sent = session.post(compose, data={
        "csrfmiddlewaretoken": token, "classification": "regular",
        "use_basic_unsubscribe": "on", "sender_address": "no_reply@company.com",
        "sender_name": "", "title": "안내 ${GRADE}", "body_type": "HTML",
        "body": "<p>#{RECIPIENT_NAME}님 ${GRADE}</p>", "send_type": "file", "bulk_file": job,
        "and_filter": "false", "send": "1"}, headers={"Referer": compose},
        allow_redirects=False)
    accepted = time.perf_counter() - started
    assert sent.status_code == 302 and "request_id=" in sent.headers["Location"], sent.text[:3000]
    return checked, accepted


def _settle() -> None:
    """Cancel what the last send left and wait until the worker is idle again, so a check never
    waits behind the preparation of the previous 100,000-recipient request."""
    from console.celery import app

    clean_slate()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        active = app.control.inspect(timeout=1).active() or {}
        if active and not any(active.values()):
            return
        time.sleep(0.5)
    raise RuntimeError("the worker did not become idle")


def run() -> dict:
    from django.contrib.auth import get_user_model

    from bench.b2_accept import _post
    from mailer.models import SendRequest

    clean_slate()
    project, access_key, secret = bench_project("b2file")
    user = get_user_model().objects.get(username="bench")
    user.set_password(PASSWORD)
    user.save()
    data, body = _input_file(), _json_body()
    checked_times, accepted_times, api_times = [], [], []
    with processes() as running:
        port = start_web(running, workers=3, threads=1, worker_class="sync")
        start_worker(running, concurrency=2)
        base = f"http://127.0.0.1:{port}"
        session = _session(base, user.username)
        import http.client

        api = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        _post(api, body, access_key, secret)  # warm up both paths once
        _settle()
        _send_file(session, base, project.slug, data)
        _settle()
        for _ in range(RUNS):
            status, seconds = _post(api, body, access_key, secret)
            assert status == 201, status
            api_times.append(seconds)
            _settle()
            checked, accepted = _send_file(session, base, project.slug, data)
            checked_times.append(checked)
            accepted_times.append(accepted)
            _settle()
    counted = SendRequest.objects.filter(project=project, tool="CONSOLE").values_list(
        "recipient_count", flat=True)
    assert set(counted) == {ROWS}, set(counted)
    api_median, file_median = statistics.median(api_times), statistics.median(accepted_times)
    return {
        "benchmark": "B2 (file upload)",
        "rows": ROWS,
        "file_mb": round(len(data) / 1e6, 1),
        "upload_to_checked_seconds": [round(t, 2) for t in checked_times],
        "upload_to_accepted_seconds": [round(t, 2) for t in accepted_times],
        "upload_to_accepted_median_seconds": round(file_median, 2),
        "baseline_api_json_seconds": [round(t, 2) for t in api_times],
        "baseline_api_json_median_seconds": round(api_median, 2),
        "ratio_to_baseline": round(file_median / api_median, 2),
        "web": "gunicorn, 3 sync worker processes; Celery worker, 2 processes, idle at upload",
    }


def main() -> None:
    save("b2_file", run())
