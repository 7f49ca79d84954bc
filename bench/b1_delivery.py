"""B1: 100,000 personalised individual mails, API accept → every recipient final.

Target: ≥ 1,000 mails/s, and at least half the rate of a bare smtplib loop to the same sink,
measured in the same run. The sink counts and discards (run_sink --no-store) so that it is the
same cheap peer for both.
"""

from __future__ import annotations

import json
import smtplib
import time

from bench.harness import (
    api_call,
    bench_project,
    clean_slate,
    processes,
    save,
    start_sink,
    start_web,
    start_worker,
)

RECIPIENTS = 100_000
BASELINE_MESSAGES = 20_000


def _body() -> bytes:
    return json.dumps({
        "senderAddress": "no_reply@company.com", "senderName": "관리자",
        "title": "#{RECIPIENT_NAME}님, ${GRADE} 등급 안내",
        "body": "<p>안녕하세요 #{RECIPIENT_NAME}님,</p><p>등급이 ${BEFORE} 에서 ${GRADE}(으)로 "
                "바뀌었습니다.</p><p><a href='#{UNSUBSCRIBE_URL}'>수신거부</a></p>",
        "recipients": [{"address": f"user{n:06d}@example.com", "name": f"고객{n}",
                        "parameters": {"BEFORE": "SILVER", "GRADE": "GOLD"}}
                       for n in range(RECIPIENTS)],
        "individual": True,
    }, ensure_ascii=False).encode()


def baseline(sink_port: int, sample: bytes) -> float:
    """Messages per second of one plain smtplib connection sending the same message."""
    with smtplib.SMTP("127.0.0.1", sink_port) as smtp:
        started = time.perf_counter()
        for n in range(BASELINE_MESSAGES):
            smtp.sendmail("no_reply@company.com", [f"user{n:06d}@example.com"], sample)
        return BASELINE_MESSAGES / (time.perf_counter() - started)


def _sample_message() -> bytes:
    from mailer.mime import MessageParts, build_message, html_to_text

    html = ("<p>안녕하세요 고객1님,</p><p>등급이 SILVER 에서 GOLD(으)로 바뀌었습니다.</p>"
            "<p><a href='http://127.0.0.1:8000/u/1:abcdefghijklmnopqrstuvwxyz0/'>수신거부</a></p>")
    return build_message(MessageParts("no_reply@company.com", "관리자",
                                      [("고객1", "user000001@example.com")],
                                      "고객1님, GOLD 등급 안내", html, html_to_text(html),
                                      "<20261122000000000000.1@bench>"))


def run(concurrency: int = 2) -> dict:
    from mailer.models import FINAL_STATUSES, Recipient, SendRequest

    clean_slate()
    _project, access_key, secret = bench_project("b1")
    with processes() as running:
        sink = start_sink(running)
        base_rate = baseline(sink, _sample_message())
        env = {"EMAIL_URL": f"smtp://127.0.0.1:{sink}"}
        web = start_web(running, **env)
        start_worker(running, concurrency=concurrency, **env)
        time.sleep(3)
        body = _body()
        started = time.perf_counter()
        status, answer = api_call(web, "POST", "/api/v1/mails", access_key, secret, body)
        accepted = time.perf_counter() - started
        assert status == 201, answer
        send_request = SendRequest.objects.get(request_id=answer["requestId"])
        prepared_at = None
        while True:
            send_request.refresh_from_db()
            if prepared_at is None and send_request.status not in ("P",):
                prepared_at = time.perf_counter() - started
            if send_request.status in FINAL_STATUSES:
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        sent = Recipient.objects.filter(send_request=send_request, result_code="MAIL_SENT").count()
    rate = RECIPIENTS / elapsed
    return {
        "benchmark": "B1", "recipients": RECIPIENTS, "worker_processes": concurrency,
        "accept_seconds": round(accepted, 2), "prepared_after_seconds": round(prepared_at, 1),
        "total_seconds": round(elapsed, 1), "mails_per_second": round(rate),
        "sent": sent, "status": send_request.status,
        "baseline_smtplib_messages_per_second": round(base_rate),
        "ratio_to_baseline": round(rate / base_rate, 2),
    }


def main() -> None:
    save("b1", run())
