"""Settings a host site starts from when it adds the suite (docs/packaging.md shows them in use).

Plain values, nothing read from the environment: the host decides where its values come from.
The suite's own settings (``H5P_*``, ``LMS_*``, ``CERTIFICATION_*``, ...) need no entry here: each
app reads them through ``django.conf`` with a default (docs/settings.md).
"""

# The suite's apps and the apps they need, in an order that lets the suite's templates win.
SUITE_APPS = ["foundation", "courses", "lms", "certification", "api"]
REQUIRED_APPS = [
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "rest_framework",
    "rest_framework.authtoken",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "lti_tool",  # django-lti: the LTI 1.3 tool's registrations and deployments (lms.lti)
]

LOCALE_MIDDLEWARE = "learning_suite.middleware.SuiteLocaleMiddleware"  # after SessionMiddleware
ROUTING_MIDDLEWARE = "courses.routing.PageRoutingMiddleware"  # last: finds a page in two queries

LOGIN_URL = "learner:sign_in"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "api.authentication.OrganisationClientAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        "api.authentication.ClientScopes",  # OAuth scopes on every endpoint
    ],
    # Every JSON body through foundation.json_input (limits on size, depth and numbers: 400/413, not 500).
    "DEFAULT_PARSER_CLASSES": [
        "foundation.json_input.JsonParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Throttles key on the client address this many proxies from the right of X-Forwarded-For: keep it
    # equal to LEARNING_TRUSTED_PROXY_COUNT (0: the connection's own address, never the header).
    "NUM_PROXIES": 0,
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/minute",
        "user": "600/minute",
        "verify": "60/minute",
        "bulk": "30/minute",
        "sign_in": "30/minute",  # the token endpoints (lms.accounts)
    },
}

# The api app's migrations name it (django-oauth-toolkit reads it from the settings, with no default there).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "api.authentication.OrganisationClientScopes",
    "SCOPES": {"read": "Read the organisation's records", "enrol": "Enrol members and assign courses"},
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
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
        "api.schema.nullable_references",  # OpenAPI 3.0 has no nullable beside $ref (the LRS's schemas)
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/api/v1/oauth/token/",
    "OAUTH2_SCOPES": {"read": "Read the organisation's records", "enrol": "Enrol members and assign courses"},
}
