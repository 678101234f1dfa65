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
from whitenoise.compress import Compressor

from learning_suite import defaults as suite_defaults

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
    "foundation",
    "courses",
    "lms",
    "certification",
    "api",
    "learning_site",
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
    "foundation.security_headers.SecurityHeadersMiddleware",  # hardening: CSP, private pages not stored
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "learning_site.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lms.accounts.shared.SharedComputerMiddleware",  # accounts: shared-computer sessions end when idle
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "courses.routing.PageRoutingMiddleware",  # finds a page in two queries instead of two per level
]

ROOT_URLCONF = "learning_site.urls"
WSGI_APPLICATION = "learning_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- accounts (lms.accounts, docs/accounts.md) -------------------------------------------------
# Every sign-in goes through the lockout backend first (per account and per client address).
AUTHENTICATION_BACKENDS = ["lms.accounts.lockout.LockoutBackend"]  # Django's ModelBackend, with the lockout
ACCOUNTS_SIGN_IN_ACCOUNT_RATE = os.environ.get("ACCOUNTS_SIGN_IN_ACCOUNT_RATE", "5/15m")
ACCOUNTS_SIGN_IN_ADDRESS_RATE = os.environ.get("ACCOUNTS_SIGN_IN_ADDRESS_RATE", "30/15m")
ACCOUNTS_RESET_DESTINATION_RATE = os.environ.get("ACCOUNTS_RESET_DESTINATION_RATE", "3/h")
ACCOUNTS_RESET_ADDRESS_RATE = os.environ.get("ACCOUNTS_RESET_ADDRESS_RATE", "10/h")
ACCOUNTS_CODE_SECONDS = int(os.environ.get("ACCOUNTS_CODE_SECONDS", "600"))
ACCOUNTS_CODE_ATTEMPTS = int(os.environ.get("ACCOUNTS_CODE_ATTEMPTS", "5"))
ACCOUNTS_LINK_SECONDS = int(os.environ.get("ACCOUNTS_LINK_SECONDS", str(24 * 3600)))
ACCOUNTS_SHARED_IDLE_SECONDS = int(os.environ.get("ACCOUNTS_SHARED_IDLE_SECONDS", "900"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "3600"))
# Text messages: like EMAIL_BACKEND. Production: lms.accounts.sms.HttpGatewayBackend with the URL and token.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "lms.accounts.sms.ConsoleBackend")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "10"))
SMS_SENDER_ID = os.environ.get("SMS_SENDER_ID", "")
# How many reverse proxies stand in front of the site (foundation.client_address); DRF's throttles too.
LEARNING_TRUSTED_PROXY_COUNT = int(os.environ.get("LEARNING_TRUSTED_PROXY_COUNT", "0"))
# Wagtail's admin sign-in counts failures like the site's; its password reset is for staff only.
WAGTAILADMIN_USER_LOGIN_FORM = "lms.accounts.admin_auth.AdminLoginForm"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "lms.accounts.admin_auth.StaffPasswordResetForm"  # noqa: S105
# --- end accounts -------------------------------------------------------------------------------

# Languages: English, Bengali and Dzongkha, for the UI (gettext) and for content (Wagtail locales).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("bn", "বাংলা"), ("dz", "རྫོང་ཁ")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# --- Digits and formats in the reader's script (foundation.numerals; docs/languages.md) ---
FORMAT_MODULE_PATH = ["foundation.formats"]  # Dzongkha's date formats, which Django lacks
FOUNDATION_ASCII_DIGIT_PATHS = ("/admin/", "/django-admin/")  # the admins keep ASCII digits
MIDDLEWARE.insert(
    MIDDLEWARE.index("learning_site.middleware.SiteLocaleMiddleware") + 1, "foundation.numerals.NativeDigitsMiddleware"
)
# --- end digits and formats ---
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS: list = []  # each app carries its own catalogue (<app>/locale/); tools/apply_locale_drafts.py
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
# collectstatic compresses every text file twice (Brotli and gzip, hashed copy and original); source
# maps (7 MB of the API docs' and players' bundles, the largest files) are read only by a developer's
# browser tools, so they are served as they are. That was 14 of collectstatic's 32 s here.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
if os.environ.get("MEDIA_STORAGE_OPTIONS"):
    STORAGES["default"]["OPTIONS"] = json.loads(os.environ["MEDIA_STORAGE_OPTIONS"])

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# H5P uploads: limits on what one package may cost (see docs/h5p.md).
H5P_MAX_PACKAGE_BYTES = int(os.environ.get("H5P_MAX_PACKAGE_BYTES", str(100 * 1024 * 1024)))
H5P_MAX_EXPANDED_BYTES = int(os.environ.get("H5P_MAX_EXPANDED_BYTES", str(250 * 1024 * 1024)))
H5P_MAX_FILE_BYTES = int(os.environ.get("H5P_MAX_FILE_BYTES", str(50 * 1024 * 1024)))
H5P_MAX_MEMBERS = int(os.environ.get("H5P_MAX_MEMBERS", "5000"))
H5P_MAX_COMPRESSION_RATIO = float(os.environ.get("H5P_MAX_COMPRESSION_RATIO", "100"))

# Course packs (docs/packs.md): signed with the key that signs certificates; packs from other sites
# import without a confirmation when their signer's key is listed (comma-separated ed25519:... keys).
COURSES_PACK_SIGNER = os.environ.get("COURSES_PACK_SIGNER", "certification.pack_signer.site_signer")
COURSES_PACK_TRUSTED_SIGNERS = env_list("COURSES_PACK_TRUSTED_SIGNERS")
# How often (seconds) an H5P activity saves a changed learner state ("content user data").
H5P_STATE_SAVE_SECONDS = int(os.environ.get("H5P_STATE_SAVE_SECONDS", "15"))
H5P_CORE_API = "1.27"  # the H5P core API version h5p-standalone's bundled core provides

# --- SCORM packages and upload scanning (docs/scorm.md) ---
SCORM_MAX_PACKAGE_BYTES = int(os.environ.get("SCORM_MAX_PACKAGE_BYTES", str(200 * 1024 * 1024)))
SCORM_MAX_EXPANDED_BYTES = int(os.environ.get("SCORM_MAX_EXPANDED_BYTES", str(500 * 1024 * 1024)))
SCORM_MAX_FILE_BYTES = int(os.environ.get("SCORM_MAX_FILE_BYTES", str(100 * 1024 * 1024)))
SCORM_MAX_MEMBERS = int(os.environ.get("SCORM_MAX_MEMBERS", "10000"))
SCORM_MAX_COMPRESSION_RATIO = float(os.environ.get("SCORM_MAX_COMPRESSION_RATIO", "100"))
# ClamAV's clamd scans H5P and SCORM uploads when one of these is set (a Unix socket, or host and port).
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", "60"))
# --- end SCORM ---

WAGTAIL_SITE_NAME = "Shikkha: digital skills for government"
# --- The site's address (docs/site.md) ---------------------------------------------------------
# Every absolute URL (certificate QR codes, the issuer DID, wallet offers, activity IRIs, learner and
# workflow emails) starts from this one setting; `make serve` derives it from HOST, production must
# set it. SITE_URL is the older name of the same variable.
WAGTAILADMIN_BASE_URL = (
    os.environ.get("LEARNING_SITE_URL") or os.environ.get("SITE_URL") or "http://127.0.0.1:8000"
).rstrip("/")
# Staff avatars: never ask gravatar.com (a request leaving the site carrying a hash of the email).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor releases.wagtail.org for the admin dashboard's "new version" banner: no admin page reaches out.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# --- end of the site's address -----------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "vtt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # hardening: the admin loads nothing from other origins (CSP)

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
# --- hardening: a task whose worker died is delivered again (docs/security.md, "Celery recovery") ---
# Redis re-queues an unacknowledged message after the visibility timeout (its default is an hour);
# a running worker looks for such messages every 10 s. Longer than any task's run or countdown.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900"))}
# The sweep that issues any certificate a completed enrolment still lacks (certification.tasks).
CERTIFICATION_SWEEP_SECONDS = int(os.environ.get("CERTIFICATION_SWEEP_SECONDS", "30"))
CERTIFICATION_SWEEP_GRACE_SECONDS = int(os.environ.get("CERTIFICATION_SWEEP_GRACE_SECONDS", "30"))
CERTIFICATION_SWEEP_BATCH = int(os.environ.get("CERTIFICATION_SWEEP_BATCH", "200"))
CERTIFICATION_RECERTIFICATION_SECONDS = int(os.environ.get("CERTIFICATION_RECERTIFICATION_SECONDS", str(24 * 60 * 60)))
if os.environ.get("CERTIFICATION_EXPIRY_REMINDER_DAYS"):
    CERTIFICATION_EXPIRY_REMINDER_DAYS = tuple(
        int(days) for days in os.environ["CERTIFICATION_EXPIRY_REMINDER_DAYS"].split(",") if days.strip()
    )
CELERY_TIMEZONE = TIME_ZONE
# Learner reminders (lms.tasks): each runs daily; a notice goes out at most once per enrolment and kind.
CELERY_BEAT_SCHEDULE = {
    "lms-due-reminders": {"task": "lms.tasks.send_due_reminders", "schedule": 24 * 60 * 60},
    "lms-overdue-notices": {"task": "lms.tasks.send_overdue_notices", "schedule": 24 * 60 * 60},
    "certification-missing-certificates": {  # hardening
        "task": "certification.tasks.issue_missing_certificates",
        "schedule": CERTIFICATION_SWEEP_SECONDS,
    },
    # reminders before certificates expire, and recertification windows opening (certification.tasks)
    "certification-expiry-reminders": {
        "task": "certification.tasks.send_expiry_reminders",
        "schedule": CERTIFICATION_RECERTIFICATION_SECONDS,
    },
    "certification-recertifications": {
        "task": "certification.tasks.open_recertifications",
        "schedule": CERTIFICATION_RECERTIFICATION_SECONDS,
    },
}
LMS_REMINDER_DAYS = int(os.environ.get("LMS_REMINDER_DAYS", "7"))

CACHES = {
    "default": {
        "BACKEND": "foundation.cache.RedisCache",  # Django's, keeping its client (foundation/cache.py)
        "LOCATION": os.environ["CACHE_URL"],
    }
    if os.environ.get("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Sessions are read from the cache and written through to the database: a signed-in page view reads
# no session row (Redis in production; the embedded default's local memory cache).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "learning@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL


# The suite's own defaults (learning_suite/defaults.py, what a host site starts from), with the rates,
# proxy count and token lifetime read from the environment.
REST_FRAMEWORK = {
    **suite_defaults.REST_FRAMEWORK,
    "NUM_PROXIES": LEARNING_TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        scope: os.environ.get(f"API_THROTTLE_{scope.upper()}", rate)
        for scope, rate in suite_defaults.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].items()
    },
}
OAUTH2_PROVIDER_APPLICATION_MODEL = suite_defaults.OAUTH2_PROVIDER_APPLICATION_MODEL
OAUTH2_PROVIDER = {
    **suite_defaults.OAUTH2_PROVIDER,
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("API_OAUTH_TOKEN_SECONDS", "3600")),
}
SPECTACULAR_SETTINGS = suite_defaults.SPECTACULAR_SETTINGS

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

# --- integrations (docs/integrations.md): registries of accredited issuers --------------------------
# The registries the verifier asks, most authoritative first, as JSON:
# [{"name": "Ministry registry", "url": "https://.../registry.json", "ttl": 3600},
#  {"name": "Offline copy", "path": "/srv/registries/dcc.json"}]
CERTIFICATION_ISSUER_REGISTRIES = json.loads(os.environ.get("CERTIFICATION_ISSUER_REGISTRIES", "") or "[]")
CERTIFICATION_REGISTRY_TTL = int(os.environ.get("CERTIFICATION_REGISTRY_TTL", "3600"))
CERTIFICATION_REGISTRY_TIMEOUT = float(os.environ.get("CERTIFICATION_REGISTRY_TIMEOUT", "5"))
# The registry this site publishes (its accredited issuers): its name, and whether the site's own
# verifier trusts it too (a ministry's site vouching for the bodies it accredits).
CERTIFICATION_REGISTRY_NAME = os.environ.get("CERTIFICATION_REGISTRY_NAME", "")
CERTIFICATION_TRUST_OWN_REGISTRY = env_bool("CERTIFICATION_TRUST_OWN_REGISTRY", False)

# --- integrations (docs/integrations.md): OpenID Connect sign-in ------------------------------------
# "Sign in with <OIDC_PROVIDER_NAME>" appears when OIDC_ISSUER and OIDC_CLIENT_ID are set; endpoints
# and keys come from the issuer's discovery document. Authorisation code flow with PKCE (S256).
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "lms.sso.oidc_backend.OIDCBackend"]  # after the lockout
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile email phone")
OIDC_CLAIM_ORGANISATION = os.environ.get("OIDC_CLAIM_ORGANISATION", "organisation")
OIDC_CLAIM_DESIGNATION = os.environ.get("OIDC_CLAIM_DESIGNATION", "designation")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # for signing out at the provider (id_token_hint)
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:oidc_callback"
OIDC_RP_SIGN_ALGO = "RS256"

# --- integrations (docs/integrations.md): the site as an LTI 1.3 tool --------------------------------
# Registrations and deployments are django-lti's (lti_tool) models, entered in the Django admin; a
# deployment is inactive until an admin activates it. Pages of a session an LTI launch started may
# be framed by that platform only (lms.lti.middleware). Framing across sites needs cookies with
# SameSite=None; Secure (HTTPS): set LTI_EMBEDDING=1 in production.
INSTALLED_APPS += ["lti_tool"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.clickjacking.XFrameOptionsMiddleware") + 1,
    "lms.lti.middleware.LtiFrameMiddleware",
)
if env_bool("LTI_EMBEDDING", False):
    SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "None"
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
CELERY_BEAT_SCHEDULE["lms-lti-grades"] = {"task": "lms.tasks.send_lti_grades", "schedule": 5 * 60}
