"""System checks for what the api app needs from the host site (ids ``api.E...``/``W...``)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from foundation.app_settings import missing_apps, positive_number

from .conf import api_settings

REQUIRED_APPS = {
    "courses": "the catalogue",
    "lms": "enrolments, progress and learning records",
    "certification": "certificates and their verification",
    "rest_framework": "the API is Django REST Framework",
    "rest_framework.authtoken": "learners' API tokens",
    "oauth2_provider": "organisation clients authenticate with OAuth 2.0 client credentials",
    "drf_spectacular": "the OpenAPI schema",
    "drf_spectacular_sidecar": "the API documentation pages, served without a CDN",
}
SCOPES = ("verify", "bulk", "sign_in")
CLIENT_SCOPES = "api.authentication.ClientScopes"
SCOPED = "rest_framework.throttling.ScopedRateThrottle"
CLIENT_AUTHENTICATION = "api.authentication.OrganisationClientAuthentication"
EXCEPTION_HANDLER = "api.exceptions.api_exception_handler"
DEFAULTS_HINT = "Start from learning_suite.defaults.REST_FRAMEWORK (see docs/settings.md)."


@register()
def check_apps(app_configs=None, **kwargs):
    return missing_apps(REQUIRED_APPS, app_label="api", check_id="api.E001")


@register()
def check_rest_framework(app_configs=None, **kwargs):
    config = getattr(settings, "REST_FRAMEWORK", {})
    errors = []
    if CLIENT_AUTHENTICATION not in config.get("DEFAULT_AUTHENTICATION_CLASSES", []):
        errors.append(
            Error(
                f"REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'] lacks {CLIENT_AUTHENTICATION!r}: organisation "
                "clients cannot authenticate.",
                hint=DEFAULTS_HINT,
                id="api.E002",
            )
        )
    if SCOPED in config.get("DEFAULT_THROTTLE_CLASSES", []):
        missing = [scope for scope in SCOPES if scope not in config.get("DEFAULT_THROTTLE_RATES", {})]
        if missing:
            errors.append(
                Error(
                    f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no rate for {', '.join(missing)}: those endpoints "
                    "would fail on every request.",
                    hint=DEFAULTS_HINT,
                    id="api.E003",
                )
            )
    else:
        errors.append(
            Warning(
                "ScopedRateThrottle is not in REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']: credential verification "
                "is not rate-limited.",
                hint=DEFAULTS_HINT,
                id="api.W001",
            )
        )
    if config.get("EXCEPTION_HANDLER") != EXCEPTION_HANDLER:
        errors.append(
            Warning(
                f"REST_FRAMEWORK['EXCEPTION_HANDLER'] is not {EXCEPTION_HANDLER!r}: error responses will not have "
                "the documented shape.",
                hint=DEFAULTS_HINT,
                id="api.W002",
            )
        )
    if CLIENT_SCOPES not in config.get("DEFAULT_PERMISSION_CLASSES", []):
        errors.append(
            Warning(
                f"REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES'] lacks {CLIENT_SCOPES!r}: an organisation client's "
                "token is not held to its OAuth scopes (a read-only token could enrol).",
                hint=DEFAULTS_HINT,
                id="api.W003",
            )
        )
    if not hasattr(settings, "OAUTH2_PROVIDER_APPLICATION_MODEL"):
        errors.append(
            Error(
                "OAUTH2_PROVIDER_APPLICATION_MODEL is not set: the api app's migrations depend on it.",
                hint='Set OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application" (or your own model).',
                id="api.E005",
            )
        )
    errors += positive_number(api_settings.XAPI_MORE_LINK_SECONDS, name="XAPI_MORE_LINK_SECONDS", check_id="api.E004")
    return errors
