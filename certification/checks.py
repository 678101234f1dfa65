"""System checks for what the certification app needs (ids ``certification.E...``/``W...``).

Certificates name the site's address forever (did:web, verification URLs), so a production site
with a local or plain-http address is an error under ``manage.py check --deploy``.
"""

import os
from urllib.parse import urlsplit

from django.core.checks import Error, Tags, Warning, register

from foundation.app_settings import missing_apps

from .conf import certification_settings

REQUIRED_APPS = {
    "foundation": "shared helpers of the suite",
    "courses": "certificates are for courses",
    "lms": "certificates are issued on completion",
}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}  # noqa: S104 - names, not a bind


@register()
def check_apps(app_configs=None, **kwargs):
    return missing_apps(REQUIRED_APPS, app_label="certification", check_id="certification.E001")


@register()
def check_settings(app_configs=None, **kwargs):
    from .keys import key_file_path, signing_configured
    from .throttling import parse_rate

    errors = []
    for name in ("CERTIFICATION_VERIFY_RATE", "CERTIFICATION_EXCHANGE_RATE"):
        value = getattr(certification_settings, name)
        try:
            parse_rate(str(value))
        except (KeyError, ValueError):
            errors.append(Error(f'{name} is {value!r}; it must read "N/s", "N/m" or "N/h".', id="certification.E002"))
    try:
        ttl = int(certification_settings.CERTIFICATION_EXCHANGE_TTL)
    except (TypeError, ValueError):
        ttl = 0
    if ttl < 60:
        message = "CERTIFICATION_EXCHANGE_TTL must be a number of seconds, at least 60."
        errors.append(Error(message, id="certification.E003"))
    offsets = certification_settings.CERTIFICATION_EXPIRY_REMINDER_DAYS
    if not isinstance(offsets, (list, tuple)) or not all(
        isinstance(days, int) and not isinstance(days, bool) and 0 <= days <= 730 for days in offsets
    ):
        message = f"CERTIFICATION_EXPIRY_REMINDER_DAYS is {offsets!r}; it must be a list of days from 0 to 730."
        errors.append(Error(message, id="certification.E005"))
    if not signing_configured():
        path = key_file_path()
        where = f"the key file {path} does not exist" if path else "CERTIFICATION_KEY_FILE is not set"
        errors.append(
            Warning(
                f"No certificate signing key: CERTIFICATION_SIGNING_KEY is not in the environment and {where}; "
                "completions will not get certificates.",
                hint="Run `python manage.py generate_signing_key` and set what it prints, or "
                "`generate_signing_key --key-file PATH` and set CERTIFICATION_KEY_FILE = PATH.",
                id="certification.W001",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_production(app_configs=None, **kwargs):
    errors = []
    address = urlsplit(str(certification_settings.WAGTAILADMIN_BASE_URL or ""))
    if address.scheme != "https" or (address.hostname or "") in LOCAL_HOSTS:
        errors.append(
            Error(
                f"WAGTAILADMIN_BASE_URL is {certification_settings.WAGTAILADMIN_BASE_URL!r}: certificates name the "
                "site's public https address forever (did:web, verification links).",
                hint='Set WAGTAILADMIN_BASE_URL = "https://<your public host>" before issuing any certificate.',
                id="certification.E004",
            )
        )
    if certification_settings.CERTIFICATION_CREATE_KEY_FILE and not os.environ.get("CERTIFICATION_SIGNING_KEY"):
        errors.append(
            Warning(
                "CERTIFICATION_CREATE_KEY_FILE is on: a production site would sign with a key it made itself.",
                hint="Generate the key once (generate_signing_key) and set CERTIFICATION_CREATE_KEY_FILE = False.",
                id="certification.W002",
            )
        )
    return errors
