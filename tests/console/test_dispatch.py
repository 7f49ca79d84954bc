"""console.dispatch.enqueue: work asked for by task name, sent when the transaction commits."""

from __future__ import annotations

from addressbook.models import AddressImport
from console import dispatch
from console.celery import app
from console.models import Export
from mailer import delivery, preparation


def test_it_sends_by_name_once_the_transaction_commits(db, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, kwargs, countdown: sent.append(
        (name, kwargs, countdown)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dispatch.enqueue("mailer.deliver_request", request_pk=7, copies=2, countdown=3)
        assert sent == []  # not before the commit
    assert len(callbacks) == 1
    assert sent == [("mailer.deliver_request", {"request_pk": 7}, 3)] * 2


def test_every_task_asked_for_by_name_exists():
    app.loader.import_default_modules()
    for name in (delivery.DELIVER_TASK, preparation.PREPARE_TASK, Export.TASK,
                 AddressImport.TASK, "mailer.sweep", "console.sweep_exports",
                 "addressbook.sweep_imports"):
        assert name in app.tasks, name
