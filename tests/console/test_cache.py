"""console.cache: Django's Redis cache with its client object made once."""

from __future__ import annotations

import os

from django.core.cache import cache


def test_one_client_object_serves_every_call_and_works():
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert cache.add("test-cache-flag", 1, 5)
    assert not cache.add("test-cache-flag", 1, 5)  # set already: the dispatch flags rely on it
    assert cache.get("test-cache-flag") == 1
    cache.delete("test-cache-flag")
    assert cache.get("test-cache-flag") is None


def test_a_forked_process_uses_connections_of_its_own():
    """gunicorn and Celery fork after Django has started: the shared client must not hand the
    child its parent's sockets (redis-py's pool starts afresh when the process id changes)."""
    cache.set("test-cache-fork", "parent", 5)
    pid = os.fork()
    if pid == 0:  # the child: exits 0 only if it reads and writes through the same client
        ok = False
        try:
            ok = cache.get("test-cache-fork") == "parent" and cache.add("test-cache-child", 1, 5)
        finally:
            os._exit(0 if ok else 1)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("test-cache-child") == 1
    assert cache.get("test-cache-fork") == "parent"  # the parent's connection still good
    cache.delete_many(["test-cache-fork", "test-cache-child"])
