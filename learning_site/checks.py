"""System checks of the site's wiring: the address every absolute URL starts from."""

from django.conf import settings
from django.core import checks

from foundation.site_address import address_problem


@checks.register(checks.Tags.urls)
def check_site_address(app_configs, **kwargs):
    """Refuse to start with an address no certificate or email could use (docs/site.md)."""
    value = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    problem = address_problem(value)
    if problem:
        return [
            checks.Error(
                f"The site's address (LEARNING_SITE_URL, setting WAGTAILADMIN_BASE_URL): {problem}.",
                hint="Set LEARNING_SITE_URL to the origin visitors use, e.g. https://learning.example.gov.bd",
                id="learning_site.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_site_address_is_https(app_configs, **kwargs):
    if str(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).startswith("http://"):
        return [
            checks.Warning(
                "LEARNING_SITE_URL is http://: certificates and wallet offers will carry an unencrypted address.",
                id="learning_site.W001",
            )
        ]
    return []
