"""The certification app's settings, with their defaults (docs/settings.md lists each one).

The signing key itself is never a setting: it comes from the environment
(``CERTIFICATION_SIGNING_KEY``, ``CERTIFICATION_RETIRED_KEYS``) or from the key file named here.
"""

from foundation.app_settings import AppSettings

certification_settings = AppSettings(
    "certification",
    {
        # The site's public address; credentials name it forever (did:web, verification URLs).
        "WAGTAILADMIN_BASE_URL": "",
        # Name of the default issuer created on first issuance.
        "WAGTAIL_SITE_NAME": "Learning suite",
        # A JSON key file (python manage.py generate_signing_key --key-file PATH); empty: none.
        "CERTIFICATION_KEY_FILE": "",
        # Create the key file on first use when it does not exist (development only).
        "CERTIFICATION_CREATE_KEY_FILE": False,
        # Rate limits per client address for the verification page and the wallet exchanges.
        "CERTIFICATION_VERIFY_RATE": "60/m",
        "CERTIFICATION_EXCHANGE_RATE": "60/m",
        # Seconds a learner's "add to a wallet" offer lives (it is used once).
        "CERTIFICATION_EXCHANGE_TTL": 600,
        # Registries of accredited issuers (certification.registries, docs/certification.md): a
        # list, most authoritative first; how long an answer is kept, and how long a fetch may take.
        "CERTIFICATION_ISSUER_REGISTRIES": [],
        "CERTIFICATION_REGISTRY_TTL": 3600,
        "CERTIFICATION_REGISTRY_TIMEOUT": 5,
        # Trust the site's own published registry for its own issuer (development and tests).
        "CERTIFICATION_TRUST_OWN_REGISTRY": False,
        # The name the site's own published registry gives itself; empty: WAGTAIL_SITE_NAME.
        "CERTIFICATION_REGISTRY_NAME": "",
        # Days before a certificate expires that its holder is reminded (each offset once).
        "CERTIFICATION_EXPIRY_REMINDER_DAYS": (60, 30, 7),
    },
)
