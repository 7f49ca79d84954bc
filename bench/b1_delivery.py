"""B1: 100,000 personalised individual mails, API accept → every recipient final, delivered to
Postfix's smtp-sink (C), so that the sink is not what limits the run.

Target (shared/DESIGN.md §11): ≥ 0.5 times a bare smtplib loop to the same sink (one connection,
the same prebuilt message), measured in the same run before and after Outbound's run (the mean
is the baseline); ≥ 2,000 mails/s on a good day; 100,000 prepared in ≤ 5 s.

`python -m bench b1`: one run; BENCH_B1_HOSTS worker hosts (default 1, named bench-a@%h,
bench-b@%h, …) of BENCH_B1_PROCESSES worker processes each (default 2).
`python -m bench b1scale`: scale-out, one run for each of BENCH_B1_SCALE (default
"1x1,1x2,1x4,2x1,2x2": hosts x processes per host), into one JSON.
BENCH_B1_RECIPIENTS shrinks the send for a smoke run (default 100,000).

Each run checks that nothing was sent twice: every recipient MAIL_SENT, none marked
possible_duplicate, and the messages smtp-sink counted during the run equal the recipients
(each mail has one recipient). The cores each process group used are in "cpu_cores".
"""

from __future__ import annotations

import json
import os
import smtplib
import statistics
import time

from bench.cpu import CpuMeter
from bench.harness import (
    api_call,
    bench_project,
    clean_slate,
    processes,
    save,
    start_smtp_sink,
    start_web,
    start_worker,
    wait_workers,
    worker_hostname,
)

RECIPIENTS = 100_000
BASELINE_MESSAGES = 20_000
SCALE = "1x1,1x2,1x4,2x1,2x2"
TIMEOUT_SECONDS = 1800


def _recipients() -> int:
    return int(os.environ.get("BENCH_B1_RECIPIENTS", RECIPIENTS))


def _body(recipients: int = RECIPIENTS) -> bytes:
    return json.dumps({
        "senderAddress": "no_reply@company.com", "senderName": "관리자",
        "title": "#{RECIPIENT_NAME}님, ${GRADE} 등급 안내",
        "body": "<p>안녕하세요 #{RECIPIENT_NAME}님,</p><p>등급이 ${BEFORE} 에서 ${GRADE}(으)로 "
                "바뀌었습니다.</p><p><a href='#{UNSUBSCRIBE_URL}'>수신거부</a></p>",
        "recipients": [{"address": f"user{n:06d}@example.com", "name": f"고객{n}",
                        "parameters": {"BEFORE": "SILVER", "GRADE": "GOLD"}}
                       for n in range(recipients)],
        "individual": True,
    }, ensure_ascii=False).encode()


def baseline(sink_port: int, sample: bytes, messages: int = BASELINE_MESSAGES) -> float:
    """Messages per second of one plain smtplib connection sending the same message."""
    with smtplib.SMTP("127.0.0.1", sink_port) as smtp:
        started = time.perf_counter()
        for n in range(messages):
            smtp.sendmail("no_reply@company.com", [f"user{n:06d}@example.com"], sample)
        return messages / (time.perf_counter() - started)


def _sample_message() -> bytes:
    from mailer.mime import MessageParts, build_message, html_to_text

    html = ("<p>안녕하세요 고객1님,</p><p>등급이 SILVER 에서 GOLD(으)로 바뀌었습니다.</p>"
            "<p><a href='http://127.0.0.1:8000/u/1:abcdefghijklmnopqrstuvwxyz0/'>수신거부</a></p>")
    return build_message(MessageParts("no_reply@company.com", "관리자",
                                      [("고객1", "user000001@example.com")],
                                      "고객1님, GOLD 등급 안내", html, html_to_text(html),
                                      "<20261122000000000000.1@bench>"))


def _wait_final(send_request, started: float) -> float | None:
    """Poll until the request is final; the seconds after `started` when it left Preparing."""
    from mailer.models import FINAL_STATUSES, Status

    prepared_at = None
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        send_request.refresh_from_db(fields=["status"])
        if prepared_at is None and send_request.status != Status.PREPARING:
            prepared_at = time.perf_counter() - started
        if send_request.status in FINAL_STATUSES:
            break
        time.sleep(0.2)
    return prepared_at


def _sent_once(send_request, recipients: int, sink_messages: int) -> dict:
    """What shows that every recipient got exactly one message."""
    from django.db.models import Count

    from mailer.models import Mail, Recipient

    rows = Recipient.objects.filter(send_request=send_request)
    by_code = dict(rows.values_list("result_code").annotate(n=Count("id"))
                   .values_list("result_code", "n"))
    duplicates = rows.filter(possible_duplicate=True).count()
    redelivered = Mail.objects.filter(send_request=send_request, redelivered=True).count()
    return {
        "sent": by_code.get("MAIL_SENT", 0), "result_codes": by_code,
        "possible_duplicates": duplicates, "redelivered_mails": redelivered,
        "sink_messages": sink_messages,
        "sent_once": (by_code.get("MAIL_SENT", 0) == recipients == sink_messages
                      and duplicates == 0),
    }


def run(processes_per_host: int = 2, hosts: int = 1, recipients: int | None = None) -> dict:
    from mailer.models import SendRequest

    recipients = recipients or _recipients()
    worker_processes = hosts * processes_per_host
    baseline_messages = min(BASELINE_MESSAGES, max(5_000, recipients))
    clean_slate()
    _project, access_key, secret = bench_project("b1")
    body = _body(recipients)
    with processes() as running:
        sink = start_smtp_sink(running)
        sample = _sample_message()
        before_rate = baseline(sink.port, sample, baseline_messages)
        env = {"EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
               "MAILER_DELIVERY_TASKS": str(worker_processes)}
        web = start_web(running, **env)
        gunicorn = running.started[-1]
        workers = [start_worker(running, concurrency=processes_per_host,
                                hostname=worker_hostname(index), **env)
                   for index in range(hosts)]
        wait_workers(hosts)
        meter = CpuMeter({**{f"worker {worker_hostname(index)[:-3]}": [worker.pid]
                             for index, worker in enumerate(workers)},
                          "web (gunicorn)": [gunicorn.pid],
                          "smtp-sink": [sink.process.pid]})
        sink_before = sink.messages()
        meter.start()
        started = time.perf_counter()
        status, answer = api_call(web, "POST", "/api/v1/mails", access_key, secret, body)
        accepted = time.perf_counter() - started
        assert status == 201, answer
        send_request = SendRequest.objects.get(request_id=answer["requestId"])
        prepared_at = _wait_final(send_request, started)
        elapsed = time.perf_counter() - started
        cores = meter.stop()
        cores["workers"] = round(sum(value for name, value in cores.items()
                                     if name.startswith("worker ")), 2)
        sink_messages = sink.messages() - sink_before
        after_rate = baseline(sink.port, sample, baseline_messages)
    base_rate = statistics.mean([before_rate, after_rate])
    rate = recipients / elapsed
    return {
        "benchmark": "B1", "recipients": recipients, "sink": "Postfix smtp-sink",
        "worker_hosts": hosts, "processes_per_host": processes_per_host,
        "worker_processes": worker_processes,
        "accept_seconds": round(accepted, 2),
        "prepared_after_seconds": round(prepared_at, 1) if prepared_at is not None else None,
        "total_seconds": round(elapsed, 1), "mails_per_second": round(rate),
        "status": send_request.status,
        "baseline_smtplib_messages_per_second": round(base_rate),
        "baseline_before_and_after": [round(before_rate), round(after_rate)],
        "baseline_messages": baseline_messages,
        "ratio_to_baseline": round(rate / base_rate, 2),
        **_sent_once(send_request, recipients, sink_messages),
        "cpu_cores": cores,
    }


def main() -> None:
    save("b1", run(int(os.environ.get("BENCH_B1_PROCESSES", 2)),
                   int(os.environ.get("BENCH_B1_HOSTS", 1))))


def main_scale() -> None:
    """B1 at each size of BENCH_B1_SCALE, one after the other, each beside its own baseline."""
    runs = []
    for size in os.environ.get("BENCH_B1_SCALE", SCALE).split(","):
        hosts, per_host = (int(n) for n in size.strip().split("x"))
        result = run(per_host, hosts)
        print(f"{hosts} host(s) x {per_host} process(es): {result['mails_per_second']} mails/s,"
              f" {result['ratio_to_baseline']}x the baseline, sent once: {result['sent_once']}",
              flush=True)
        runs.append(result)
    save("b1scale", {
        "benchmark": "B1 scale-out", "recipients": runs[0]["recipients"],
        "cores": os.cpu_count(),
        "figures": [{key: result[key] for key in (
            "worker_hosts", "processes_per_host", "worker_processes", "mails_per_second",
            "baseline_smtplib_messages_per_second", "ratio_to_baseline", "sent_once")}
            for result in runs],
        "every_run_sent_once": all(result["sent_once"] for result in runs),
        "runs": runs,
    })
