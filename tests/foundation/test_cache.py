"""foundation.cache.RedisCache against a real Redis: Django's behaviour, one client kept per pool.

Against the Redis of ``CACHE_URL`` (CI's second run); skipped, saying so, on the embedded default."""

import os
import threading

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from foundation.cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("CACHE_URL"), reason="needs Redis: CACHE_URL is not set")


@pytest.fixture
def redis_cache():
    from django.conf import settings

    location = settings.CACHES["default"]["LOCATION"]  # this worker's own Redis database
    cache = RedisCache(location, {"KEY_PREFIX": "test-foundation-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_the_site_uses_it_when_redis_is_configured():
    from django.core.cache import caches

    assert isinstance(caches["default"], RedisCache)


def test_every_operation_answers_as_djangos_backend(redis_cache):
    from django.conf import settings

    django_cache = DjangoRedisCache(settings.CACHES["default"]["LOCATION"], {"KEY_PREFIX": "test-foundation-cache"})
    redis_cache.set("a", {"value": [1, 2]}, 60)
    assert django_cache.get("a") == redis_cache.get("a") == {"value": [1, 2]}
    assert redis_cache.add("a", "other") is False and redis_cache.add("b", 1) is True
    assert redis_cache.incr("b", 5) == 6
    redis_cache.set_many({"c": "three", "d": "four"}, 60)
    assert redis_cache.get_many(["a", "c", "d", "missing"]) == {"a": {"value": [1, 2]}, "c": "three", "d": "four"}
    assert redis_cache.delete("c") is True and redis_cache.get("c", "gone") == "gone"
    assert redis_cache.touch("d", 1) is True and redis_cache.has_key("d")
    with pytest.raises(ValueError, match="not found"):
        redis_cache.incr("missing")


def test_one_client_is_kept_per_pool_and_threads_get_their_own_backend(redis_cache):
    redis_cache.set("k", "v")
    first = redis_cache._cache.get_client("k")
    assert redis_cache._cache.get_client("k", write=True) is first  # one server: reads and writes share it
    assert redis_cache.get("k") == "v" and redis_cache._cache.get_client("k") is first

    from django.core.cache import caches

    seen = []
    thread = threading.Thread(target=lambda: seen.append(caches["default"]))
    thread.start()
    thread.join()
    assert seen[0] is not caches["default"]  # Django's handler: a backend (and client) per thread
