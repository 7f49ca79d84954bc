"""Sending domains: DKIM keys, the records to publish, signed mail that verifies."""

from __future__ import annotations

import dkim

from console.models import seal
from mailer import domains
from mailer.models import Recipient, SendingDomain
from mailer.result_codes import ResultCode
from tests.mailer.factories import delivered_to, sent_request


def _verify(raw: bytes, domain: SendingDomain) -> bool:
    def dns(name, timeout=5):
        expected = f"{domain.selector}._domainkey.{domain.domain}.".encode()
        return domains.dkim_record(domain) if name == expected else None

    return dkim.verify(raw, dnsfunc=dns)


def test_adding_a_domain_makes_a_2048_bit_key_and_the_records(project):
    import base64

    from cryptography.hazmat.primitives.serialization import load_der_public_key

    domain = domains.add_domain(project, "mail.example.com")
    key = load_der_public_key(base64.b64decode(domain.public_key))
    assert key.key_size == 2048
    records = {r.purpose: r for r in domains.dns_records(domain)}
    assert records["DKIM"].name == f"{domain.selector}._domainkey.mail.example.com"
    assert records["DKIM"].value == f"v=DKIM1; k=rsa; p={domain.public_key}"
    assert records["SPF"].value.startswith("v=spf1")
    assert records["DMARC"].name == "_dmarc.mail.example.com"


def test_mail_from_the_domain_is_signed_and_verifies(sink, project):
    domain = domains.add_domain(project, "shop.example.com")
    sent_request(project, senderAddress="news@shop.example.com", title="서명된 메일",
                 recipients=[{"address": "kim@example.com", "name": "김민수"}])
    raw = bytes(delivered_to("kim@example.com")[0].raw)
    assert raw.startswith(b"DKIM-Signature:")
    assert _verify(raw, domain)


def test_mail_from_a_subdomain_is_signed_by_the_parent(sink, project):
    domain = domains.add_domain(project, "example.com")
    sent_request(project, senderAddress="news@mail.example.com",
                 recipients=[{"address": "kim@example.com"}])
    assert _verify(bytes(delivered_to("kim@example.com")[0].raw), domain)


def test_a_changed_message_no_longer_verifies(sink, project):
    domain = domains.add_domain(project, "shop.example.com")
    sent_request(project, senderAddress="news@shop.example.com",
                 recipients=[{"address": "kim@example.com"}])
    raw = bytes(delivered_to("kim@example.com")[0].raw).replace(b"Hello", b"Jello")
    assert not _verify(raw, domain)


def test_mail_from_another_domain_is_not_signed(sink, project):
    domains.add_domain(project, "shop.example.com")
    sent_request(project, senderAddress="news@other.example.org",
                 recipients=[{"address": "kim@example.com"}])
    assert not bytes(delivered_to("kim@example.com")[0].raw).startswith(b"DKIM-Signature")


def test_a_signing_failure_is_dkim_fail(sink, project):
    domain = domains.add_domain(project, "shop.example.com")
    SendingDomain.objects.filter(pk=domain.pk).update(
        encrypted_private_key=seal(b"-----BEGIN RSA PRIVATE KEY-----\nbroken\n"))
    done = sent_request(project, senderAddress="news@shop.example.com",
                        recipients=[{"address": "kim@example.com"}])
    assert Recipient.objects.get(send_request=done).result_code == ResultCode.DKIM_FAIL
    assert not delivered_to("kim@example.com")
