"""Production: refuses to start without a secret key; secure cookies, HSTS, proxy headers."""

from .base import *  # noqa: F403
from .base import env_bool, env_list, require_env

DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    require_env("ALLOWED_HOSTS")
# The site's address: certificates carry it for good, so it is never guessed (docs/site.md).
WAGTAILADMIN_BASE_URL = (
    os.environ.get("LEARNING_SITE_URL") or os.environ.get("SITE_URL") or require_env("LEARNING_SITE_URL")  # noqa: F405
).rstrip("/")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CERTIFICATION_CREATE_KEY_FILE = env_bool("CERTIFICATION_CREATE_KEY_FILE", False)

# Site search (courses/search.py): Wagtail's database backend is PostgreSQL full-text search on
# PostgreSQL. The "simple" configuration indexes every script (Bengali, Dzongkha) without an
# English stemmer; set WAGTAIL_SEARCH_CONFIG to another text search configuration to change it.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": os.environ.get("WAGTAIL_SEARCH_CONFIG", "simple"),  # noqa: F405
    }
}
