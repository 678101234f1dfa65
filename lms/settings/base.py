"""Settings shared by every way of running the site.

The embedded default (SQLite under ``var/``, Celery eager, local media) needs nothing but the
requirements. Environment variables switch each part to its production counterpart; see the
README's production section for the full list.
"""

import json
import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "courses",
    "lms",
    "certification",
    "api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "learner:sign_in"  # learners sign in on the site; staff use /admin/login/

# Languages: English and Bengali, for the UI (gettext) and for content (Wagtail locales).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("bn", "বাংলা")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Dhaka")

STATIC_URL = "/static/"
# The H5P player (h5p-standalone, pinned in package.json) is served from the site: `npm ci` puts it here.
STATICFILES_DIRS = [("h5p-standalone", BASE_DIR / "node_modules" / "h5p-standalone" / "dist")]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# MEDIA_STORAGE names any Django storage backend class (for example
# "storages.backends.s3.S3Storage"); its options come from MEDIA_STORAGE_OPTIONS as JSON.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("MEDIA_STORAGE_OPTIONS"):
    STORAGES["default"]["OPTIONS"] = json.loads(os.environ["MEDIA_STORAGE_OPTIONS"])

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# H5P uploads: limits on what one package may cost (see docs/h5p.md).
H5P_MAX_PACKAGE_BYTES = int(os.environ.get("H5P_MAX_PACKAGE_BYTES", str(100 * 1024 * 1024)))
H5P_MAX_EXPANDED_BYTES = int(os.environ.get("H5P_MAX_EXPANDED_BYTES", str(250 * 1024 * 1024)))
H5P_MAX_FILE_BYTES = int(os.environ.get("H5P_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
H5P_MAX_MEMBERS = int(os.environ.get("H5P_MAX_MEMBERS", "5000"))
H5P_MAX_COMPRESSION_RATIO = float(os.environ.get("H5P_MAX_COMPRESSION_RATIO", "100"))
# How often (seconds) an H5P activity saves a changed learner state ("content user data").
H5P_STATE_SAVE_SECONDS = int(os.environ.get("H5P_STATE_SAVE_SECONDS", "15"))
H5P_CORE_API = "1.27"  # the H5P core API version h5p-standalone's bundled core provides

WAGTAIL_SITE_NAME = "Shikkha: digital skills for government"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "vtt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Celery: tasks run eagerly in the web process unless a broker is configured.
# xAPI statements can be forwarded to an external LRS (empty: not forwarded).
XAPI_FORWARD_URL = os.environ.get("XAPI_FORWARD_URL", "")
XAPI_FORWARD_USERNAME = os.environ.get("XAPI_FORWARD_USERNAME", "")
XAPI_FORWARD_PASSWORD = os.environ.get("XAPI_FORWARD_PASSWORD", "")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Learner reminders (lms.tasks): each runs daily; a notice goes out at most once per enrolment and kind.
CELERY_BEAT_SCHEDULE = {
    "lms-due-reminders": {"task": "lms.tasks.send_due_reminders", "schedule": 24 * 60 * 60},
    "lms-overdue-notices": {"task": "lms.tasks.send_overdue_notices", "schedule": 24 * 60 * 60},
}
LMS_REMINDER_DAYS = int(os.environ.get("LMS_REMINDER_DAYS", "7"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }
    if os.environ.get("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "learning@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "api.authentication.OrganisationClientAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
        "verify": os.environ.get("API_THROTTLE_VERIFY", "60/minute"),
        "bulk": os.environ.get("API_THROTTLE_BULK", "30/minute"),
    },
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "api.authentication.OrganisationClientScopes",
    "SCOPES": {"read": "Read the organisation's records", "enrol": "Enrol members and assign courses"},
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("API_OAUTH_TOKEN_SECONDS", "3600")),
    # Only client credentials are used; the OAuth 2.0 Security BCP (RFC 9700) behaviour throughout.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Learning suite API",
    "DESCRIPTION": "Catalogue, progress, learning records and certificates.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DEFAULT_GENERATOR_CLASS": "api.schema.ApiSchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/api/v1/oauth/token/",
    "OAUTH2_SCOPES": {"read": "Read the organisation's records", "enrol": "Enrol members and assign courses"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


def require_env(name: str) -> str:
    """Return an environment variable, or stop the process with a one-line message naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"Refusing to start: set the {name} environment variable (production settings).")
    return value


# Certificates: the signing key comes from CERTIFICATION_SIGNING_KEY or this key file, never the
# database or the repository. The embedded default creates a key file under var/ on first use.
CERTIFICATION_KEY_FILE = os.environ.get("CERTIFICATION_KEY_FILE", str(VAR_DIR / "keys" / "certification.json"))
CERTIFICATION_CREATE_KEY_FILE = env_bool("CERTIFICATION_CREATE_KEY_FILE", True)
CERTIFICATION_VERIFY_RATE = os.environ.get("CERTIFICATION_VERIFY_RATE", "60/m")
# "Add to a wallet": a learner's offer (a VC-API exchange) lives this many seconds and is used once;
# the public exchange endpoints are rate-limited per address.
CERTIFICATION_EXCHANGE_TTL = int(os.environ.get("CERTIFICATION_EXCHANGE_TTL", "600"))
CERTIFICATION_EXCHANGE_RATE = os.environ.get("CERTIFICATION_EXCHANGE_RATE", "60/m")
