"""Delivery through relays that need STARTTLS, TLS from the first byte, and SMTP AUTH."""

from __future__ import annotations

import datetime
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mailer.result_codes import ResultCode
from mailer.smtp import RelayConnection, RelaySettings
from tests.factories import free_port
from tests.scripted_smtp import Script, ScriptedHandler

MESSAGE = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nbody\r\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and its file, the relay's private CA."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "relay.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(
            __import__("ipaddress").ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"relay-user" and auth_data.password == b"relay-pass"
    return AuthResult(success=ok, handled=False)  # a refusal answers 535


def _relay(port, *, tls=False, ssl_=False, user="", password="", cafile="") -> RelaySettings:
    return RelaySettings("127.0.0.1", port, tls, ssl_, user, password, 5, str(cafile))


def test_it_sends_through_starttls_with_auth(certificate):
    script = Script()
    port = free_port()
    controller = Controller(ScriptedHandler(script), hostname="127.0.0.1", port=port,
                            tls_context=_server_context(certificate), require_starttls=True,
                            authenticator=_authenticator, auth_require_tls=True)
    controller.start()
    try:
        relay = _relay(port, tls=True, user="relay-user", password="relay-pass",
                       cafile=certificate[0])
        with RelayConnection(relay) as connection:
            outcomes = connection.send("a@example.com", ["b@example.com"], MESSAGE)
    finally:
        controller.stop()
    assert outcomes["b@example.com"].code == ResultCode.MAIL_SENT
    assert script.received[0][1] == ["b@example.com"]


def test_a_wrong_password_keeps_the_mail_for_a_retry(certificate):
    port = free_port()
    controller = Controller(ScriptedHandler(Script()), hostname="127.0.0.1", port=port,
                            tls_context=_server_context(certificate),
                            authenticator=_authenticator, auth_require_tls=True)
    controller.start()
    try:
        relay = _relay(port, tls=True, user="relay-user", password="wrong",
                       cafile=certificate[0])
        with RelayConnection(relay) as connection:
            outcome = connection.send("a@example.com", ["b@example.com"], MESSAGE)[
                "b@example.com"]
    finally:
        controller.stop()
    assert outcome.code == ResultCode.CONNECTION_ABNORMAL
    assert outcome.temporary
    assert "refused the login" in outcome.reply_text


def test_an_untrusted_certificate_is_not_accepted(certificate):
    port = free_port()
    controller = Controller(ScriptedHandler(Script()), hostname="127.0.0.1", port=port,
                            tls_context=_server_context(certificate))
    controller.start()
    try:
        with RelayConnection(_relay(port, tls=True)) as connection:  # no cafile
            outcome = connection.send("a@example.com", ["b@example.com"], MESSAGE)[
                "b@example.com"]
    finally:
        controller.stop()
    assert outcome.temporary
    assert "certificate" in outcome.reply_text.lower()


def test_it_sends_over_tls_from_the_first_byte(certificate):
    script = Script()
    port = free_port()
    controller = Controller(ScriptedHandler(script), hostname="127.0.0.1", port=port,
                            ssl_context=_server_context(certificate))
    controller.start()
    try:
        with RelayConnection(_relay(port, ssl_=True, cafile=certificate[0])) as connection:
            outcomes = connection.send("a@example.com", ["b@example.com"], MESSAGE)
    finally:
        controller.stop()
    assert outcomes["b@example.com"].code == ResultCode.MAIL_SENT


def test_email_url_takes_a_ca_file(certificate):
    from console import config

    email = config.email(f"smtp://u:p@relay.example.com:587?tls=starttls&cafile={certificate[0]}")
    assert email["EMAIL_CA_FILE"] == str(certificate[0])
