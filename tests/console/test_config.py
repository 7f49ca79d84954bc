from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from console import config

BASE = Path(__file__).resolve().parents[2]


def test_it_reads_a_postgres_url():
    db = config.database("postgres://mail:secret@db.internal:5433/outbound", BASE)
    assert db["ENGINE"] == "console.postgresql"  # Django's, with a cheaper health check
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal", 5433, "outbound", "mail")


def test_it_makes_a_relative_sqlite_path_absolute_and_turns_on_wal():
    db = config.database("sqlite:///var/x.sqlite3", BASE)
    assert db["NAME"] == str(BASE / "var" / "x.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


@pytest.mark.parametrize("url", ["mysql://h/db", "foo://x", "postgres:///", "not a url"])
def test_it_refuses_a_bad_database_url(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        config.database(url, BASE)


def test_it_hides_the_password_in_the_message():
    with pytest.raises(ImproperlyConfigured) as info:
        config.database("mysql://user:hunter2@h/db", BASE)
    assert "hunter2" not in str(info.value)
    assert "***" in str(info.value)


@pytest.mark.parametrize("url", ["http://h:6379/0", "redis:///0", "redis://h:port/0",
                                 "redis://h:6379/zero"])
def test_it_refuses_a_bad_redis_url(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        config.redis(url)


def test_it_reads_an_email_url_with_starttls_and_auth():
    email = config.email("smtp://user%40corp:p%40ss@relay.example.com:587?tls=starttls")
    assert email["EMAIL_HOST"] == "relay.example.com"
    assert email["EMAIL_PORT"] == 587
    assert email["EMAIL_HOST_USER"] == "user@corp"
    assert email["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert email["EMAIL_USE_TLS"] is True
    assert email["EMAIL_USE_SSL"] is False


def test_it_reads_smtps_as_implicit_tls_on_465():
    email = config.email("smtps://relay.example.com")
    assert (email["EMAIL_PORT"], email["EMAIL_USE_SSL"], email["EMAIL_USE_TLS"]) == (
        465, True, False)


def test_it_reads_smtps_unlike_django_environ():
    """Why config.email() overrides one answer of django-environ's parser: environ takes
    smtps:// for STARTTLS on no port; relays mean TLS from the first byte on 465 (RFC 8314)."""
    assert environ.Env.email_url_config("smtps://relay.example.com")["EMAIL_USE_TLS"] is True
    assert config.email("smtps://relay.example.com")["EMAIL_USE_TLS"] is False


def test_it_reads_the_timeout():
    assert config.email("smtp://h:25?timeout=5")["EMAIL_TIMEOUT"] == 5.0


@pytest.mark.parametrize("url", ["http://h", "smtp://", "smtp://h:25?tls=maybe",
                                 "smtp://h:25?timeout=soon", "smtp://h:25?colour=blue"])
def test_it_refuses_a_bad_email_url(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        config.email(url)


def test_it_refuses_an_unknown_time_zone():
    with pytest.raises(ImproperlyConfigured, match=r"TIME_ZONE.*Asia/Seoul"):
        config.time_zone("Mars/Olympus")


def test_it_refuses_a_public_base_url_without_scheme():
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_BASE_URL"):
        config.public_base_url("mail.example.com")


def test_it_strips_the_trailing_slash_of_the_public_base_url():
    assert config.public_base_url("https://mail.example.com/") == "https://mail.example.com"


def test_it_refuses_a_short_secret_key(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        config.secret_key("short", tmp_path / "key")


def test_it_keeps_a_generated_secret_key(tmp_path):
    first = config.secret_key(None, tmp_path / "key")
    assert len(first) >= 50
    assert config.secret_key(None, tmp_path / "key") == first


@pytest.mark.parametrize(
    ("name", "value"),
    [("DATABASE_URL", "mysql://h/db"), ("TIME_ZONE", "Nowhere/Town"), ("REDIS_URL", "redis:/"),
     ("EMAIL_URL", "pop3://h"), ("ALLOWED_HOSTS", " , ")],
)
def test_it_stops_at_start_with_a_one_line_message(name, value, tmp_path):
    env = {**os.environ, name: value, "VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "console.settings"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Configuration error: {name}=")
    assert "Traceback" not in result.stderr
