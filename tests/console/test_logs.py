"""console/logs.py: the request ID on the lines of a request and of the task it caused, as the
settings' LOGGING writes them, and refusals on one line."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from kombu import Connection

from console import logs
from console.celery import app
from console.models import Membership
from tests.factories import add_member, make_user

task_logger = logging.getLogger("tests.console.test_logs")


@app.task(name="tests.console.log_a_line")
def log_a_line() -> None:
    task_logger.warning("a line from the task")


@pytest.fixture
def console_log():
    """What the settings' console handler writes, with its filters and formatter."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_it_puts_the_callers_request_id_on_the_lines_of_the_request(client, console_log):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "req-42.a"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-42.a"
    assert re.search(r"level=WARNING logger=django.request request_id=req-42.a "
                     r"Not Found: /no-such-page/$", console_log.getvalue(), re.MULTILINE)


def test_it_makes_a_request_id_when_the_caller_sends_none_or_a_bad_one(client, console_log):
    made = client.get("/no-such-page/")["X-Request-ID"]
    replaced = client.get("/no-such-page/", headers={"X-Request-ID": "two words"})
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])
    assert "two words" not in console_log.getvalue()
    assert f"request_id={made} Not Found" in console_log.getvalue()


def test_it_logs_a_refusal_on_one_line_without_a_traceback(client, project, console_log):
    viewer = make_user("viewer")
    add_member(project, viewer, Membership.Role.VIEWER)
    client.force_login(viewer)
    response = client.get(f"/projects/{project.slug}/settings/members/",
                          headers={"X-Request-ID": "refused"})
    assert response.status_code == 403
    lines = [line for line in console_log.getvalue().splitlines() if "request_id=refused" in line]
    assert len(lines) == 1
    assert lines[0].endswith("Forbidden (Permission denied): "
                             f"/projects/{project.slug}/settings/members/")
    assert "Traceback" not in console_log.getvalue()


def test_it_keeps_the_traceback_of_a_server_error(console_log):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("django.request").error("Internal Server Error: /x", exc_info=True,
                                                  extra={"status_code": 500})
    assert "Traceback" in console_log.getvalue()


def test_it_passes_the_request_id_to_the_tasks_a_request_enqueues():
    with Connection("memory://") as connection:
        token = logs.request_id.set("req-7")
        try:
            app.send_task("tests.console.log_a_line", connection=connection)
        finally:
            logs.request_id.reset(token)
        app.send_task("tests.console.log_a_line", connection=connection)  # outside a request
        queue = connection.SimpleQueue("celery")
        first, second = queue.get(timeout=1), queue.get(timeout=1)
        queue.close()
    assert first.headers[logs.TASK_HEADER] == "req-7"
    assert logs.TASK_HEADER not in second.headers


def test_it_puts_the_request_id_on_the_lines_of_the_task(console_log):
    log_a_line.apply(headers={logs.TASK_HEADER: "req-7"})
    log_a_line.apply()
    lines = [line for line in console_log.getvalue().splitlines() if "from the task" in line]
    assert [re.search(r"request_id=(\S+)", line)[1] for line in lines] == ["req-7", "-"]
    assert logs.request_id.get() is None  # unbound when the task ended


def test_it_writes_json_lines_on_request():
    record = logging.LogRecord("mailer", logging.INFO, __file__, 1, "sent %d", (3,), None)
    logs.RequestIdFilter().filter(record)
    line = json.loads(logs.JsonFormatter().format(record))
    assert line.pop("time")
    assert line == {"level": "INFO", "logger": "mailer", "request_id": "-", "message": "sent 3"}
