"""README command 1: `manage.py run` brings up web, worker, beat and sink on the embedded
default (SQLite and the embedded Redis), prints a login that works, restarts a child that dies,
and Ctrl-C (SIGINT to its whole process group, as a terminal sends it) stops it all."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from console.signature import signed_headers
from tests.factories import free_port
from tests.integration.conftest import wait_for

BASE = Path(__file__).resolve().parents[2]


STARTED = re.compile(r"started (\w+) \(pid (\d+)\)")


def _started(log: Path) -> dict[str, list[int]]:
    """The pids of the children, by name, in the order they were started."""
    pids: dict[str, list[int]] = {}
    for name, pid in STARTED.findall(log.read_text()):
        pids.setdefault(name, []).append(int(pid))
    return pids


def _left_over(sessions: set[int]) -> list[str]:
    """Live processes in these sessions (each child is a session of its own)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        state, _ppid, _pgid, session = text.rsplit(")", 1)[1].split()[:4]
        if int(session) in sessions and state != "Z":
            found.append(text.split(")")[0] + ")")
    return found


def _refuses(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def running_console(tmp_path):
    web, sink, redis = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(VAR_DIR=str(tmp_path), SINK_PORT=str(sink),
               EMBEDDED_REDIS_URL=f"redis://127.0.0.1:{redis}/0")
    log = tmp_path / "run.log"
    with log.open("w") as out:
        # A session of its own, as in a terminal: the test can signal its whole process group.
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run", "--port", str(web), "--concurrency", "1"],
            cwd=BASE, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    yield process, {"web": web, "sink": sink, "redis": redis}, log
    for session in [process.pid, *(pid for pids in _started(log).values() for pid in pids)]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(session, signal.SIGKILL)
    process.wait()


def _health(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/?format=json",
                                    timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _status(url: str, data: bytes | None = None, headers: dict | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _log_in(port: int, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data,  # noqa: S310
                                     headers={"Referer": f"{base}/accounts/login/"})
    return opener.open(request, timeout=10).geturl()


def test_it_runs_everything_until_ctrl_c(running_console):
    process, ports, log = running_console
    wait_for(lambda: _health(ports["web"]) == 200, 90, "the console healthy", process)

    output = log.read_text()
    login = re.search(r"login:\s+(\S+) / (\S+)", output)
    assert re.search(r"ACCESS_KEY=\w{20}", output)
    assert re.search(r"SECRET_KEY=\w{40}", output)
    assert _log_in(ports["web"], login[1], login[2]).endswith("/projects/demo/mails/")

    with smtplib.SMTP("127.0.0.1", ports["sink"], timeout=5) as smtp:
        assert smtp.noop()[0] == 250

    # The demo's mail arrives in the sink, its links pointing at the port the console serves.
    database = log.parent / "outbound.sqlite3"

    def demo_mail_links() -> bool:
        with contextlib.closing(sqlite3.connect(database, timeout=5)) as db:
            rows = db.execute("SELECT raw FROM console_sandboxmessage").fetchall()
        bodies = [message_from_bytes(bytes(raw), policy=policy.default).get_body(
            preferencelist=("html",)) for (raw,) in rows]
        return any(f"127.0.0.1:{ports['web']}/o/" in body.get_content()
                   for body in bodies if body is not None)

    wait_for(demo_mail_links, 90, "demo mail with links to the console's port", process)

    # The request ID of a request is on the web's lines, and on the worker's for its task (a
    # small request's batch task carries the ID of the request that sent its message).
    keys = dict(re.findall(r"(ACCESS_KEY|SECRET_KEY)=(\w+)", output))
    assert _status(f"http://127.0.0.1:{ports['web']}/no-such-page/",
                   headers={"X-Request-ID": "run-404"}) == 404
    mail = {"senderAddress": "shop@company.com", "title": "Hi", "body": "<p>Hi</p>",
            "recipients": [{"address": "someone@example.com"}]}
    assert _status(f"http://127.0.0.1:{ports['web']}/api/v1/mails", json.dumps(mail).encode(),
                   {"X-Request-ID": "run-mail", "Content-Type": "application/json",
                    **signed_headers("POST", "/api/v1/mails", keys["ACCESS_KEY"],
                                     keys["SECRET_KEY"])}) == 201
    wait_for(lambda: re.search(r"level=INFO logger=celery\S* request_id=run-mail .*"
                               r"mailer\.prepare_small_requests.* succeeded", log.read_text()),
             60, "the worker's line for the request's task", process)
    assert "request_id=run-404 Not Found: /no-such-page/" in log.read_text()

    # Ctrl-C in a terminal: SIGINT to every process of the foreground process group.
    os.killpg(process.pid, signal.SIGINT)
    process.wait(60)
    assert process.returncode == 0
    for name, port in ports.items():
        assert _refuses(port), f"{name} is still listening on {port}"
    children = _started(log)
    assert set(children) == {"redis", "sink", "worker", "beat", "web"}
    assert _left_over({process.pid, *(pids[0] for pids in children.values())}) == []


def test_it_restarts_a_child_that_dies_and_stays_healthy(running_console):
    process, ports, log = running_console
    wait_for(lambda: _health(ports["web"]) == 200, 90, "the console healthy", process)
    first = _started(log)

    for name in ("worker", "sink"):
        os.killpg(first[name][0], signal.SIGKILL)  # the child and its own children
    wait_for(lambda: all(len(_started(log).get(name, [])) == 2 for name in ("worker", "sink")),
             30, "the worker and the sink started again", process)
    assert re.search(r"worker exited with code -9; restarting it in 1 s", log.read_text())
    assert re.search(r"sink exited with code -9; restarting it in 1 s", log.read_text())
    wait_for(lambda: _health(ports["web"]) == 200, 60, "the console healthy again", process)
    with smtplib.SMTP("127.0.0.1", ports["sink"], timeout=5) as smtp:
        assert smtp.noop()[0] == 250
    assert [len(pids) for name, pids in _started(log).items() if name not in ("worker", "sink")
            ] == [1, 1, 1]  # redis, beat and web kept running

    process.send_signal(signal.SIGTERM)
    process.wait(60)
    assert process.returncode == 0
    for name, port in ports.items():
        assert _refuses(port), f"{name} is still listening on {port}"
    sessions = {process.pid, *(pid for pids in _started(log).values() for pid in pids)}
    assert _left_over(sessions) == []


def test_it_refuses_to_start_on_a_busy_port(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(VAR_DIR=str(tmp_path), EMBEDDED_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
        result = subprocess.run(
            [sys.executable, "manage.py", "run", "--port", str(port)],
            cwd=BASE, env=env, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode != 0
    assert "already in use" in result.stderr
