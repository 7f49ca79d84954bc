"""A known workload through the real pipeline (acceptance, preparation, delivery over SMTP to the
built-in sink and its simulator, retries, opens, unsubscribes, cancellations), in this process,
and the figures it must give."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mailer import delivery, lifecycle
from mailer.models import Mail, Recipient, SendRequest, Template, Unsubscriber
from mailer.tasks import prepare_request
from mailer.tracking import record_open
from mailer.unsubscribe import unsubscribe_url
from stats import rollups
from tests.mailer.conftest import sink  # noqa: F401 - the fixture
from tests.mailer.factories import accepted_request

SIM = "simulator.outbound.test"


def catch_up() -> None:
    """The rollups read everything that landed until now (the margin is for commits in
    flight, and nothing is in flight here)."""
    rollups.advance(timezone.now() + rollups.MARGIN)


def _deliver(send_request: SendRequest) -> SendRequest:
    prepare_request.apply(kwargs={"request_pk": send_request.pk})
    delivery.deliver(send_request.pk)
    send_request.refresh_from_db()
    return send_request


def _retry_now(send_request: SendRequest) -> None:
    Mail.objects.filter(send_request=send_request).update(next_attempt_at=timezone.now())
    delivery.deliver(send_request.pk)


class Workload:
    """What `run` sent, and the figures of it (all requested today)."""

    requested = 11  # 5 + 3 + 1 + 2
    sent = 8  # every recipient handed to the receiving server: delivered or bounced
    opened = 1
    unsubscribed = 1
    usage = 9  # 11 counted, 2 given back by the cancellation
    by_template = {"A": (5, 5, 0, 0), "B": (3, 2, 1, 1)}  # requested, sent, opened, unsub
    results = {
        (SIM, "MAIL_SENT"): 2, (SIM, "MAILBOX_ERROR"): 1, (SIM, "SECURITY_AND_POLICY_ERROR"): 1,
        ("example.com", "MAIL_SENT"): 3, ("example.com", "UNSUBSCRIBE_ADDRESS"): 1,
        ("example.com", "CANCELED_MAIL"): 2, ("other.org", "MAIL_SENT"): 1,
    }

    def __init__(self, project) -> None:
        self.project = project
        self.a = Template.objects.create(project=project, name="A", title="A", body="<p>A</p>",
                                         sender_address="a@company.com")
        self.b = Template.objects.create(project=project, name="B", title="B", body="<p>B</p>",
                                         sender_address="b@company.com")

    def run(self, between=lambda step: None) -> None:
        """The workload; `between(step)` is called after each part (e.g. to advance)."""
        project = self.project
        self.first = _deliver(accepted_request(project, templateSid=self.a.pk, recipients=[
            {"address": f"success@{SIM}"}, {"address": f"bounce@{SIM}"},
            {"address": f"blocked@{SIM}"}, {"address": "ann@example.com"},
            {"address": "bob@other.org"}]))
        between("first")
        Unsubscriber.objects.create(project=project, address="gone@example.com")
        self.ads = _deliver(accepted_request(project, templateSid=self.b.pk, advertising=True,
                                             recipients=[{"address": "carol@example.com"},
                                                         {"address": "dan@example.com"},
                                                         {"address": "gone@example.com"}]))
        between("ads")
        carol = Recipient.objects.get(send_request=self.ads, address="carol@example.com")
        record_open(carol.pk)
        dan = Recipient.objects.get(send_request=self.ads, address="dan@example.com")
        Client().post("/" + unsubscribe_url(dan.pk).split("://", 1)[-1].split("/", 1)[1])
        between("reactions")
        self.retried = _deliver(accepted_request(project, recipients=[
            {"address": f"tempfail@{SIM}"}]))
        between("temporary failure")
        _retry_now(self.retried)
        between("retried")
        later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
        self.cancelled = accepted_request(project, reservationDateTime=later, recipients=[
            {"address": "early@example.com"}, {"address": "late@example.com"}])
        prepare_request.apply(kwargs={"request_pk": self.cancelled.pk})
        between("scheduled")
        self.cancelled.refresh_from_db()
        lifecycle.cancel(self.cancelled)
        between("cancelled")


@pytest.fixture
def workload(project, sink):  # noqa: F811 - the fixture imported above
    return Workload(project)
