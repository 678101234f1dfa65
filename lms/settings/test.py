"""Tests: the embedded default, or PostgreSQL and Redis when DATABASE_URL and CELERY_BROKER_URL say so."""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY

SECRET_KEY = _SECRET_KEY or "test-only-not-secret-5c1e7a2b"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Throttling has its own tests with their own rates; the rest of the suite must never trip it.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/minute"),  # noqa: F405
}

for _folder in (VAR_DIR, STATIC_ROOT, MEDIA_ROOT):  # noqa: F405
    _folder.mkdir(parents=True, exist_ok=True)
