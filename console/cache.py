"""Django's Redis cache with one client object a connection pool: Django builds a new
`redis.Redis` at every call (about 0.1 ms, most of what setting a flag costs the web process
beside its round trip). The client holds no connection of its own (it takes one from the pool
for each command, and the pool starts afresh in a forked process), so one can serve them all."""

from __future__ import annotations

from django.core.cache.backends import redis


class _Client(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _Client
