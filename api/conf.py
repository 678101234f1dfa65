"""The api app's settings, with their defaults (docs/settings.md lists each one)."""

from foundation.app_settings import AppSettings

api_settings = AppSettings(
    "api",
    {
        # Seconds a "more" link of the xAPI statements resource stays valid.
        "XAPI_MORE_LINK_SECONDS": 24 * 60 * 60,
        # Largest attachment the Learning Record Store accepts in a multipart/mixed request, in bytes.
        "XAPI_MAX_ATTACHMENT_BYTES": 20 * 1024 * 1024,
    },
)
