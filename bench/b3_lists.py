"""B3: the console's Mailing list pages and the API's request and mail pages over a year of
history, 10,000,000 recipients and 300,000 requests (bench/history.py); target p95 ≤ 150 ms.

Measured from one sequential client through gunicorn (3 sync workers) on loopback, signed in
with a session made directly. The URLs are asked in turns, one of each per round (3 rounds to
warm up, then SAMPLES), so that the swings of the shared machine fall on every figure alike,
the baselines included: a trivial console page through the same session (the members page),
and a trivial signed API endpoint (the address book of a project that has none) for the API
figures.
"""

from __future__ import annotations

import http.client
import statistics
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from bench.harness import processes, save, start_web
from bench.history import PROJECT_SLUG, SEARCH_WORD, load_history

SAMPLES = 30
WARMUPS = 3
WEB_WORKERS = 3
# Rows of the whole history the deep pages start after.
DEEP_RECIPIENT = 1_000_000
DEEP_REQUEST = 100_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _session_cookie(user) -> str:
    """A signed-in session, as django.contrib.auth.login leaves one."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _one(cursor, sql: str, params: list) -> tuple:
    cursor.execute(sql, params)
    return cursor.fetchone()


def _values(project) -> dict:
    """Search values that match rows of the history, read from it: recent ones, so that they
    match within a default date range too."""
    import zoneinfo

    from django.db import connection
    from django.utils import timezone

    zone = zoneinfo.ZoneInfo(project.time_zone)
    today = timezone.localdate(timezone=zone)
    requests = "FROM mailer_sendrequest WHERE project_id = %s"
    with connection.cursor() as cursor:
        first = _one(cursor, f"SELECT min(created) {requests}", [project.pk])[0]
        recent = _one(cursor, f"SELECT request_id, sender_address {requests} AND status = 'S' "
                              "ORDER BY created DESC OFFSET 1000 LIMIT 1", [project.pk])
        address = _one(cursor, "SELECT address FROM mailer_recipient WHERE project_id = %s "
                               "ORDER BY requested_at DESC OFFSET 2000 LIMIT 1", [project.pk])[0]
        template = _one(cursor, f"SELECT template_id {requests} AND template_id IS NOT NULL "
                                "ORDER BY created DESC LIMIT 1", [project.pk])[0]
        large = _one(cursor, f"SELECT request_id, recipient_count {requests} "
                             "ORDER BY recipient_count DESC, created DESC LIMIT 1", [project.pk])
        deep_recipient = _one(cursor, "SELECT requested_at, id FROM mailer_recipient "
                                      "WHERE project_id = %s ORDER BY requested_at DESC, id DESC "
                                      "OFFSET %s LIMIT 1", [project.pk, DEEP_RECIPIENT - 1])
        deep_request = _one(cursor, f"SELECT created, id {requests} ORDER BY created DESC, id DESC "
                                    "OFFSET %s LIMIT 1", [project.pk, DEEP_REQUEST - 1])
    return {
        "start": (today - timedelta(days=364)).isoformat(), "end": today.isoformat(),
        "year_start": timezone.localtime(first, zone).date().isoformat(),
        "request_id": recent[0], "sender": recent[1], "recipient": address,
        "template": template, "subject": SEARCH_WORD,
        "large_request": large[0], "large_recipients": large[1],
        "after_recipient": f"{_microseconds(deep_recipient[0])}-{deep_recipient[1]}",
        "after_request": f"{_microseconds(deep_request[0])}-{deep_request[1]}",
        "after_seq": large[1] * 9 // 10,
    }


def _targets(values: dict) -> list[tuple[str, str, bool]]:
    """(name, path with query, signed API call) for every figure; the baselines first."""
    lists = f"/projects/{PROJECT_SLUG}/mails/"
    year = {"start": values["start"], "end": values["end"]}
    whole = {"start": values["year_start"], "end": values["end"]}
    criteria = [
        ("date range 365 days", year), ("status=F", {"status": "F"}),
        ("request_id", {"request_id": values["request_id"]}),
        ("recipient", {"recipient": values["recipient"]}),
        ("sender", {"sender": values["sender"]}),
        (f"subject={values['subject']}", {"subject": values["subject"]}),
        ("template", {"template": values["template"]}), ("tool=CONSOLE", {"tool": "CONSOLE"}),
    ]
    # The members page: the console's layout, the session and the membership check, a few
    # small queries (the general settings page renders a select of ~600 time zones: heavier
    # than the lists themselves).
    targets = [("baseline: members page", f"/projects/{PROJECT_SLUG}/settings/members/", False),
               ("baseline: API address book", "/api/v1/address-book", True),
               ("by request, first page", lists, False),
               ("by recipient, first page", f"{lists}?tab=recipient", False)]
    for label, extra in (("by request", {}), ("by recipient", {"tab": "recipient"})):
        targets += [(f"{label}: {name}", f"{lists}?{urlencode({**extra, **query})}", False)
                    for name, query in criteria]
    targets += [
        (f"by request: page after row {DEEP_REQUEST:,}",
         f"{lists}?{urlencode({**whole, 'after': values['after_request']})}", False),
        (f"by recipient: page after row {DEEP_RECIPIENT:,}",
         f"{lists}?{urlencode({'tab': 'recipient', **whole, 'after': values['after_recipient']})}",
         False),
    ]
    by_mail = f"{lists}requests/{values['large_request']}/"
    targets += [
        (f"by mail, request of {values['large_recipients']:,}", by_mail, False),
        (f"by mail: page after seq {values['after_seq']:,}",
         f"{by_mail}?{urlencode({'after': values['after_seq']})}", False),
    ]
    now_ms = int(time.time() * 1000)
    year_ms = 365 * 86_400_000
    targets += [
        ("API: requests of 365 days",
         f"/api/v1/mails/requests?{urlencode({'startUtc': now_ms - year_ms, 'endUtc': now_ms})}",
         True),
        (f"API: mails of the request of {values['large_recipients']:,}",
         f"/api/v1/mails/requests/{values['large_request']}/mails", True),
    ]
    return targets


class Client:
    """Sequential GETs: the console with the session cookie, the API signed afresh each time
    (a signature is valid for 5 minutes)."""

    def __init__(self, port: int, cookie: str, access_key: str, secret: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookie, self.access_key, self.secret = cookie, access_key, secret

    def get(self, path: str, signed: bool) -> tuple[int, int, float]:
        from console.signature import signed_headers

        headers = (signed_headers("GET", path, self.access_key, self.secret) if signed
                   else {"Cookie": self.cookie})
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # a worker killed mid-answer: counted, and on we go
            return 0, 0, time.perf_counter() - started
        return response.status, len(body), time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _measure(client: Client, targets: list[tuple[str, str, bool]]) -> list[dict]:
    seconds: dict[str, list[float]] = {name: [] for name, _path, _signed in targets}
    statuses: dict[str, dict[int, int]] = {name: {} for name, _path, _signed in targets}
    sizes: dict[str, int] = {}
    for round_ in range(WARMUPS + SAMPLES):
        for name, path, signed in targets:
            status, size, took = client.get(path, signed)
            if round_ < WARMUPS:
                continue
            seconds[name].append(took)
            statuses[name][status] = statuses[name].get(status, 0) + 1
            sizes[name] = size
        if round_ == WARMUPS - 1:
            print(f"warmed up; {SAMPLES} rounds of {len(targets)} URLs", flush=True)
    return [{"name": name, "path": path, "api": signed,
             "p50_ms": round(_percentile(seconds[name], 0.50) * 1000, 1),
             "p95_ms": round(_percentile(seconds[name], 0.95) * 1000, 1),
             "mean_ms": round(statistics.mean(seconds[name]) * 1000, 1),
             "statuses": {str(code): n for code, n in statuses[name].items()},
             "bytes": sizes[name]} for name, path, signed in targets]


def _with_ratios(figures: list[dict]) -> list[dict]:
    console, api = figures[0], figures[1]
    for figure in figures:
        base = api if figure["api"] else console
        figure["baseline"] = base["name"]
        figure["ratio_p50"] = round(figure["p50_ms"] / base["p50_ms"], 1)
        figure["ratio_p95"] = round(figure["p95_ms"] / base["p95_ms"], 1)
    return figures


def _table(figures: list[dict]) -> str:
    lines = ["| figure | p50 ms | p95 ms | p50 ÷ baseline | p95 ÷ baseline | answers |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for f in figures:
        answers = ", ".join(f"{n} x {code}" for code, n in sorted(f["statuses"].items()))
        lines.append(f"| {f['name']} | {f['p50_ms']} | {f['p95_ms']} | {f['ratio_p50']} | "
                     f"{f['ratio_p95']} | {answers} |")
    return "\n".join(lines)


def run() -> dict:
    from django.contrib.auth import get_user_model

    from bench.history import USERNAME
    from console.models import ApiKey

    project = load_history()
    user = get_user_model().objects.get(username=USERNAME)
    key, secret = ApiKey.issue(project, user, "b3")
    values = _values(project)
    targets = _targets(values)
    with processes() as running:
        # The default 30 s would kill a worker on a slow page: a slow page is a figure too.
        port = start_web(running, workers=WEB_WORKERS, threads=1, worker_class="sync",
                         GUNICORN_CMD_ARGS="--timeout 300")
        client = Client(port, _session_cookie(user), key.access_key, secret)
        status, _size, _took = client.get(targets[0][1], False)
        if status != 200:
            raise RuntimeError(f"the session is not accepted: {targets[0][1]} answered {status}")
        figures = _with_ratios(_measure(client, targets))
    key.revoke()
    return {
        "benchmark": "B3",
        "history": "300,000 requests, 10,000,000 mails and recipients over 365 days",
        "samples": SAMPLES, "warmups": WARMUPS, "client": "python http.client, sequential",
        "web": f"gunicorn, {WEB_WORKERS} sync worker processes",
        "values": values, "figures": figures,
        "worst_p95_ms": max(f["p95_ms"] for f in figures[2:]),
    }


def main() -> None:
    result = run()
    save("b3", result)
    print(_table(result["figures"]))
