"""Tests: the embedded default, or PostgreSQL and Redis when DATABASE_URL and CELERY_BROKER_URL say so."""

import os

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY

SECRET_KEY = _SECRET_KEY or "test-only-not-secret-5c1e7a2b"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "lms.accounts.sms.MemoryBackend"  # accounts: lms.accounts.sms.outbox, like mail.outbox
# Throttling has its own tests with their own rates; the rest of the suite must never trip it.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/minute"),  # noqa: F405
}

for _folder in (VAR_DIR, STATIC_ROOT, MEDIA_ROOT):  # noqa: F405
    _folder.mkdir(parents=True, exist_ok=True)

# Under pytest-xdist each worker has its own test database (pytest-django suffixes its name); give it
# its own Celery queue (so a real worker started by one test process never takes another's tasks),
# cache key prefix and media folder too.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405
if _XDIST_WORKER:
    # a worker process a test starts names its own queue and media folder in the environment
    CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE") or f"learning-tests-{_XDIST_WORKER}"
    if not os.environ.get("MEDIA_ROOT"):
        MEDIA_ROOT = MEDIA_ROOT / _XDIST_WORKER  # noqa: F405
        MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    if os.environ.get("CACHE_URL"):
        # Tests clear the cache (a FLUSHDB on Redis): each xdist worker gets a Redis database of its own.
        from urllib.parse import urlsplit, urlunsplit

        _parts = urlsplit(os.environ["CACHE_URL"])
        _base = int(_parts.path.strip("/") or 0)
        _index = int(_XDIST_WORKER.removeprefix("gw") or 0)
        CACHES["default"]["LOCATION"] = urlunsplit(_parts._replace(path=f"/{(_base + 1 + _index) % 16}"))  # noqa: F405
