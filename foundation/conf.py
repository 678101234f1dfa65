"""The foundation app's settings, with their defaults (docs/settings.md)."""

from .app_settings import AppSettings

foundation_settings = AppSettings(
    "foundation",
    {
        # How many reverse proxies of the site's own stand in front of it (foundation.client_address).
        "LEARNING_TRUSTED_PROXY_COUNT": 0,
        # Uploads are scanned by clamd when one of these names it (foundation.clamav); none: no scan.
        "CLAMD_SOCKET": "",
        "CLAMD_HOST": "",
        "CLAMD_PORT": 3310,
        "CLAMD_TIMEOUT": 60,
        # JSON request bodies (foundation.json_input): largest size (0: DATA_UPLOAD_MAX_MEMORY_SIZE)
        # and deepest nesting accepted before a 413 or 400.
        "LEARNING_JSON_MAX_BYTES": 0,
        "LEARNING_JSON_MAX_DEPTH": 32,
        # URL names of the pages about one person, which no cache may store (foundation.security_headers).
        "LEARNING_PERSONAL_PAGES": (
            "learner:dashboard",
            "learner:notices",
            "learner:privacy",
            "learner:data_export",
            "learner:profile",
            "certification_pages:mine",
            "certification_pages:wallet",
        ),
        # The OpenID Connect provider (lms.sso): forms may continue there (the policy's form-action).
        "OIDC_ISSUER": "",
    },
)
