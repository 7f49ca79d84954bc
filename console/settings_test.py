"""Test settings: the base settings with a separate var/ directory and embedded Redis port, a
shared SQLite test database file (so worker subprocesses see it) and a fast password hasher."""

import os
from pathlib import Path

_BASE = Path(__file__).resolve().parent.parent
os.environ.setdefault("VAR_DIR", str(_BASE / "var" / "test"))
os.environ.setdefault("EMBEDDED_REDIS_URL", "redis://127.0.0.1:6391/0")

from console.settings import *  # noqa: E402, F403
from console.settings import DATABASES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
