"""Django's Redis cache, with one client per connection pool instead of one per call.

Django's RedisCacheClient makes a new `redis.Redis` for every operation, and each one builds its table of some 170
response callbacks: about 0.1 ms of CPU per cache call, and a signed-in page makes several (the session, the
rate limits, the fragments). A `redis.Redis` is safe to share between threads (each command borrows a connection
from the pool), so one per pool does.
"""

from django.core.cache.backends import redis


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


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
