"""Sending domains: their DKIM keys, the DNS records to publish, and signing mail with them."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from console.models import Project, seal, unseal
from mailer.models import SendingDomain

KEY_BITS = 2048
SIGNED_HEADERS = [b"From", b"To", b"Cc", b"Subject", b"Date", b"Message-ID", b"References",
                  b"MIME-Version", b"Content-Type", b"List-Unsubscribe",
                  b"List-Unsubscribe-Post"]
_DOMAIN = re.compile(r"^(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")


class SigningFailed(Exception):
    """The message could not be DKIM-signed (recorded as DKIM_FAIL)."""


def valid_domain(domain: str) -> bool:
    return bool(_DOMAIN.match(domain))


def add_domain(project: Project, domain: str) -> SendingDomain:
    """Register a domain with a fresh 2048-bit RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return SendingDomain.objects.create(
        project=project, domain=domain, selector=f"outbound{timezone.now():%Y%m}",
        encrypted_private_key=seal(private), public_key=base64.b64encode(public).decode())


@dataclass(frozen=True)
class DnsRecord:
    purpose: str
    name: str
    value: str


def dns_records(domain: SendingDomain) -> list[DnsRecord]:
    return [
        DnsRecord("DKIM", f"{domain.selector}._domainkey.{domain.domain}",
                  f"v=DKIM1; k=rsa; p={domain.public_key}"),
        DnsRecord("SPF", domain.domain,
                  "v=spf1 a mx include:<your relay's SPF domain> ~all"),
        DnsRecord("DMARC", f"_dmarc.{domain.domain}",
                  f"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain.domain}"),
    ]


def dkim_record(domain: SendingDomain) -> bytes:
    """The DKIM TXT record's value, as a DNS resolver would hand it to a verifier."""
    return f"v=DKIM1; k=rsa; p={domain.public_key}".encode()


def signer_for(project_id: int, sender_address: str) -> Callable[[bytes], bytes] | None:
    """A function that DKIM-signs a message from this sender, if the project has the sender's
    domain (or a parent of it) among its sending domains; None otherwise."""
    sender_domain = sender_address.rpartition("@")[2].lower()
    candidates = {sender_domain}
    parts = sender_domain.split(".")
    candidates |= {".".join(parts[i:]) for i in range(1, len(parts) - 1)}
    domains = sorted(SendingDomain.objects.filter(project_id=project_id,
                                                  domain__in=candidates),
                     key=lambda d: -len(d.domain))
    if not domains:
        return None
    domain = domains[0]
    private = unseal(bytes(domain.encrypted_private_key))

    def sign(message: bytes) -> bytes:
        if private is None:
            raise SigningFailed("the DKIM key can no longer be read (SECRET_KEY changed)")
        try:
            signature = dkim.sign(message, domain.selector.encode(), domain.domain.encode(),
                                  private, include_headers=SIGNED_HEADERS)
        except (dkim.DKIMException, ValueError) as error:
            raise SigningFailed(str(error)) from None
        return signature + message

    return sign
