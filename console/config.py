"""Parsing and checking of the environment variables that configure Outbound.

Each parser turns one variable into settings values or raises ImproperlyConfigured with a message
that names the variable, shows the bad value (without passwords) and says what would be accepted.
"""

from __future__ import annotations

import secrets
import zoneinfo
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

DATABASE_SCHEMES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def _fail(name: str, value: str, problem: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{name}={_redact(value)!r} is not valid: {problem}. Expected {expected}."
    )


def database(value: str, base_dir: Path) -> dict:
    """DATABASE_URL → a Django DATABASES entry (PostgreSQL or SQLite)."""
    expected = "postgres://user:password@host:5432/name or sqlite:////absolute/path.sqlite3"
    scheme = urlsplit(value).scheme
    if scheme not in DATABASE_SCHEMES:
        raise _fail("DATABASE_URL", value, f"unsupported scheme {scheme!r}", expected)
    config = environ.Env.db_url_config(value)
    if not config.get("NAME"):
        raise _fail("DATABASE_URL", value, "no database name", expected)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        if not path.is_absolute():
            path = base_dir / path
        config["NAME"] = str(path)
        # WAL lets the web, worker and sink processes read while one of them writes.
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        if not config.get("HOST"):
            raise _fail("DATABASE_URL", value, "no host", expected)
        config["ENGINE"] = "console.postgresql"  # the health check without a round trip
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    return config


def redis(value: str) -> str:
    """REDIS_URL: redis://[user:password@]host:port/db (rediss:// for TLS)."""
    expected = "redis://host:6379/0 or rediss://host:6380/0"
    parts = urlsplit(value)
    if parts.scheme not in ("redis", "rediss"):
        raise _fail("REDIS_URL", value, f"unsupported scheme {parts.scheme!r}", expected)
    if not parts.hostname:
        raise _fail("REDIS_URL", value, "no host", expected)
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise _fail("REDIS_URL", value, "the port is not a number", expected) from None
    db = parts.path.lstrip("/")
    if db and not db.isdigit():
        raise _fail("REDIS_URL", value, f"database {db!r} is not a number", expected)
    return value


# Scheme → (default port, security). django-environ reads smtps:// as STARTTLS; RFC 8314 and
# every relay's documentation mean TLS from the first byte on 465, so we read it so.
EMAIL_SCHEMES = {"smtp": (25, "none"), "smtp+tls": (587, "starttls"),
                 "submission": (587, "starttls"), "smtps": (465, "ssl"), "smtp+ssl": (465, "ssl")}
_TLS_OPTIONS = {"starttls": "starttls", "1": "starttls", "true": "starttls", "ssl": "ssl",
                "0": "none", "false": "none", "none": "none"}


def email(value: str) -> dict:
    """EMAIL_URL → the relay Outbound delivers through, parsed by django-environ.

    smtp://host:25 (plain, STARTTLS when ?tls=starttls), smtp+tls:// or submission:// (STARTTLS,
    port 587 by default), smtps:// or smtp+ssl:// (TLS from the first byte, port 465 by
    default). A user and password in the URL turn on SMTP AUTH; ?timeout=seconds sets the socket
    timeout; ?cafile= a PEM file of certificate authorities to trust besides the system's.
    """
    expected = "smtp://user:password@host:587?tls=starttls, smtps://host:465 or smtp://127.0.0.1:2525"
    parts = urlsplit(value)
    if parts.scheme not in EMAIL_SCHEMES:
        raise _fail("EMAIL_URL", value, f"unsupported scheme {parts.scheme!r}", expected)
    if not parts.hostname:
        raise _fail("EMAIL_URL", value, "no host", expected)
    default_port, security = EMAIL_SCHEMES[parts.scheme]
    try:
        parsed = environ.Env.email_url_config(parts._replace(scheme="smtp", query="").geturl())
    except ValueError:
        raise _fail("EMAIL_URL", value, "the port is not a number", expected) from None
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    tls = query.pop("tls", None)
    if tls is not None:
        if tls.lower() not in _TLS_OPTIONS:
            raise _fail("EMAIL_URL", value, f"tls={tls!r} is unknown", "tls=starttls|ssl|none")
        security = _TLS_OPTIONS[tls.lower()]
    timeout = query.pop("timeout", "30")
    try:
        timeout_seconds = float(timeout)
    except ValueError:
        raise _fail("EMAIL_URL", value, f"timeout={timeout!r} is not a number", expected) from None
    cafile = query.pop("cafile", "")
    if cafile and not Path(cafile).is_file():
        raise _fail("EMAIL_URL", value, f"cafile {cafile!r} is not a file", expected)
    if query:
        raise _fail("EMAIL_URL", value, f"unknown option {sorted(query)[0]!r}", expected)
    return {
        "EMAIL_BACKEND": parsed["EMAIL_BACKEND"],
        "EMAIL_HOST": parsed["EMAIL_HOST"],
        "EMAIL_PORT": parsed["EMAIL_PORT"] or default_port,
        "EMAIL_HOST_USER": parsed["EMAIL_HOST_USER"] or "",
        "EMAIL_HOST_PASSWORD": parsed["EMAIL_HOST_PASSWORD"] or "",
        "EMAIL_USE_TLS": security == "starttls",
        "EMAIL_USE_SSL": security == "ssl",
        "EMAIL_TIMEOUT": timeout_seconds,
        "EMAIL_CA_FILE": cafile,
    }


def time_zone(value: str, name: str = "TIME_ZONE") -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _fail(name, value, "unknown time zone", "an IANA name such as Asia/Seoul") from None
    return value


def public_base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail("PUBLIC_BASE_URL", value, "not an http(s) URL",
                    "the address users reach the console at, such as https://mail.example.com")
    return value.rstrip("/")


def allowed_hosts(value: str) -> list[str]:
    hosts = [h.strip() for h in value.split(",") if h.strip()]
    if not hosts:
        raise _fail("ALLOWED_HOSTS", value, "empty",
                    "a comma-separated list such as mail.example.com")
    return hosts


def secret_key(value: str | None, key_file: Path) -> str:
    """SECRET_KEY, or a random key kept in var/ so the embedded default keeps sessions and keys."""
    if value is not None:
        if len(value) < 32:
            raise ImproperlyConfigured(
                "SECRET_KEY is too short: use at least 32 random characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
        return value
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
