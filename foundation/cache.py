"""Django's Redis cache backend, keeping its ``redis.Redis`` client instead of building one per call.

Django 5.2's ``RedisCacheClient.get_client`` returns ``redis.Redis(connection_pool=pool)`` on every
cache operation. The pool (and its connections) is reused, but building the client object is not
free: redis-py 8 fills a table of several hundred response callbacks in ``Redis.__init__``, about
0.2 ms of CPU each time, more than the round trip to a Redis server on the same machine. A signed-in
lesson page makes about fifteen cache calls and a statement POST four, so that was 1 to 3 ms of every
request. This backend keeps one client per connection pool (a ``redis.Redis`` is safe to share, and
Django's cache handler gives each thread its own backend anyway); everything else is Django's.

    CACHES = {"default": {"BACKEND": "foundation.cache.RedisCache", "LOCATION": "redis://…"}}
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
