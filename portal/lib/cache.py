"""Django's Redis cache, with one client per connection pool, and a Redis that is down read as an empty cache.

One client per pool: Django's RedisCacheClient makes a new `redis.Redis` for every operation, and each one builds its
table of some 170 response callbacks: about 0.1 ms of CPU per cache call, and a signed-in page makes several (the
session, the rate limits, the fragments). A `redis.Redis` is safe to share between threads (each command borrows a
connection from the pool), so one per pool does.

Down means empty: no request may depend on the cache being up (sessions, rate limits, used second-factor codes and
fragments all live in it). An operation that meets a Redis error answers as an empty cache that keeps nothing would:
a miss, "added", "not there"; the session is read from and written to the database (cached_db) meanwhile. A Redis
that stops answering would make each call wait its socket timeout, several per page, so after a failure the cache is
not tried again for CACHE_RETRY_SECONDS (per process, for every thread: one waits, the others go on without it).
"""

import logging
import threading
import time

import redis as redis_py
from django.conf import settings
from django.core.cache.backends import redis

log = logging.getLogger(__name__)

# LOCATION -> time.monotonic() until which that cache is not tried. Module-level: Django makes a cache object per
# thread, and what one thread learnt about the server holds for all.
_down_until = {}
_lock = threading.Lock()


def _guarded(empty):
    """Run the client's operation; on a Redis error, or while the server is known down, answer `empty(*args)`."""
    def wrap(operation):
        def guarded(self, *args):
            if time.monotonic() < _down_until.get(self._servers[0], 0):
                return empty(*args)
            try:
                return operation(self, *args)
            except redis_py.RedisError as exc:
                with _lock:
                    _down_until[self._servers[0]] = time.monotonic() + settings.CACHE_RETRY_SECONDS
                log.warning("cache unavailable (%s): going on without it for %s s", exc,
                            settings.CACHE_RETRY_SECONDS)
                return empty(*args)
        return guarded
    return wrap


def _missing(key, delta):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable).")


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    # What an empty cache that keeps nothing answers. `add` is True: nothing was there to conflict (a second-factor
    # code is accepted, a rate limit's lock taken), as after Redis restarted empty.
    add = _guarded(lambda key, value, timeout: True)(redis.RedisCacheClient.add)
    get = _guarded(lambda key, default: default)(redis.RedisCacheClient.get)
    set = _guarded(lambda key, value, timeout: None)(redis.RedisCacheClient.set)
    touch = _guarded(lambda key, timeout: False)(redis.RedisCacheClient.touch)
    delete = _guarded(lambda key: False)(redis.RedisCacheClient.delete)
    get_many = _guarded(lambda keys: {})(redis.RedisCacheClient.get_many)
    has_key = _guarded(lambda key: False)(redis.RedisCacheClient.has_key)
    incr = _guarded(_missing)(redis.RedisCacheClient.incr)
    set_many = _guarded(lambda data, timeout: None)(redis.RedisCacheClient.set_many)
    delete_many = _guarded(lambda keys: None)(redis.RedisCacheClient.delete_many)
    clear = _guarded(lambda: False)(redis.RedisCacheClient.clear)


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
