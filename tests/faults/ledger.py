"""What every fault scenario asserts once the dust settles, and the figures it writes down.

The sink's Sandbox inbox is the ledger of what reached the relay: the sink commits a message
before it answers 250, so an address it holds was delivered. Against it, the database's recipients:

- lost: a recipient whose request is not final, or still pending, or one reported MAIL_SENT that
  the sink never received — a recipient nobody will ever send to, or a success that is not one;
- duplicated: an address the sink received more than once; every such recipient must be marked
  `possible_duplicate` (the in-flight window of DESIGN §4: a mail whose worker died after the relay
  took it but before the result was written); an unmarked duplicate fails the scenario;
- failed in flight: a recipient final with a failure because the relay vanished after the whole
  message was out (CONNECTION_ERROR, READ_TIMED_OUT) — recorded, not lost, and allowed only where
  the scenario takes the relay away.

Each scenario's figures go to $TEST_ARTIFACTS/faults/<scenario>.json; docs/reliability.md quotes
the last run's.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db.models import Max, Min

from console.models import SandboxMessage
from mailer.models import FINAL_STATUSES, Recipient, SendRequest
from mailer.result_codes import PENDING_CODES, ResultCode
from tests.integration.conftest import BASE, wait_for

IN_FLIGHT_FAILURES = {ResultCode.CONNECTION_ERROR, ResultCode.READ_TIMED_OUT}


def post(api, count: int, prefix: str = "user", **body) -> SendRequest:
    """A personalised individual request to `count` distinct addresses (distinct across the
    scenario's requests by their prefix: the ledger counts deliveries by address)."""
    payload = {"senderAddress": "shop@company.com", "title": "Hi ${n}",
               "body": "<p>Hello #{RECIPIENT_NAME}, ${n}</p>",
               "recipients": [{"address": f"{prefix}{n:05d}@example.com",
                               "parameters": {"n": str(n)}} for n in range(count)]}
    payload.update(body)
    response = api.post("/api/v1/mails", payload)
    assert response.status_code == 201, response.content
    return SendRequest.objects.get(request_id=response.json()["requestId"])


def sent_so_far(send_request: SendRequest) -> int:
    return Recipient.objects.filter(send_request=send_request).exclude(
        result_code__in=PENDING_CODES).count()


def wait_final(send_requests: list[SendRequest], timeout: float, process=None) -> None:
    pks = [r.pk for r in send_requests]

    def final() -> bool:
        return not SendRequest.objects.filter(pk__in=pks).exclude(
            status__in=FINAL_STATUSES).exists()

    wait_for(final, timeout, f"{len(pks)} request(s) final", process)


@dataclass
class Figures:
    scenario: str
    recipients: int
    delivered: int  # distinct addresses the sink received
    lost: int
    duplicated: int  # addresses received more than once
    marked: int  # recipients marked possible_duplicate
    unmarked_duplicates: int
    failed_in_flight: int
    seconds_to_final: float  # the first acceptance to the last request final

    def write(self) -> None:
        folder = Path(os.environ.get("TEST_ARTIFACTS") or BASE / "var" / "test-artifacts")
        folder = folder / "faults"
        folder.mkdir(parents=True, exist_ok=True)
        measured_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        document = {**asdict(self), "measured_at": measured_at}
        (folder / f"{self.scenario}.json").write_text(json.dumps(document, indent=2) + "\n")


def settle(scenario: str, send_requests: list[SendRequest], *,
           relay_lost: bool = False) -> Figures:
    """Assert nothing lost, no unmarked duplicate and every request final; write the figures.
    `relay_lost`: the scenario took the relay away, so a mail in flight may fail for good."""
    pks = [r.pk for r in send_requests]
    requests = SendRequest.objects.filter(pk__in=pks)
    assert not requests.exclude(status__in=FINAL_STATUSES).exists(), "a request is not final"
    recipients = Recipient.objects.filter(send_request_id__in=pks)
    rows = list(recipients.values_list("address", "result_code", "possible_duplicate"))
    received: Counter = Counter()
    for rcpt_tos in SandboxMessage.objects.values_list("rcpt_tos", flat=True):
        received.update(rcpt_tos)
    addresses = {address for address, _code, _marked in rows}
    assert set(received) <= addresses, "the sink received mail nobody asked for"

    pending = [a for a, code, _m in rows if code in PENDING_CODES]
    false_success = [a for a, code, _m in rows
                     if code == ResultCode.MAIL_SENT and a not in received]
    failures = Counter(code for _a, code, _m in rows if code != ResultCode.MAIL_SENT)
    in_flight = sum(n for code, n in failures.items() if code in IN_FLIGHT_FAILURES)
    marked = {a for a, _code, is_marked in rows if is_marked}
    twice = {a for a, n in received.items() if n > 1}
    timing = requests.aggregate(first=Min("created"), last=Max("finished_at"))
    figures = Figures(
        scenario=scenario, recipients=len(rows), delivered=len(received),
        lost=len(pending) + len(false_success), duplicated=len(twice), marked=len(marked),
        unmarked_duplicates=len(twice - marked), failed_in_flight=in_flight,
        seconds_to_final=round((timing["last"] - timing["first"]).total_seconds(), 1))
    figures.write()

    assert not pending, f"{len(pending)} recipients never final, e.g. {pending[:3]}"
    assert not false_success, f"reported sent, never received: {false_success[:3]}"
    assert all(n <= 2 for n in received.values()), "an address was received three times"
    assert not twice - marked, f"delivered twice and not marked: {sorted(twice - marked)[:3]}"
    allowed = IN_FLIGHT_FAILURES if relay_lost else set()
    assert set(failures) <= allowed, f"recipients that failed: {dict(failures)}"
    if not relay_lost:
        assert figures.delivered == figures.recipients  # every recipient received, once or so
    return figures
