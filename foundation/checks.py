"""System checks for the foundation app's settings (ids ``foundation.E...``)."""

from django.core.checks import register

from .app_settings import positive_number
from .conf import foundation_settings


@register()
def check_settings(app_configs=None, **kwargs):
    return positive_number(
        foundation_settings.LEARNING_TRUSTED_PROXY_COUNT,
        name="LEARNING_TRUSTED_PROXY_COUNT",
        check_id="foundation.E001",
        allow_zero=True,
    )
