"""``{% sso_sign_in next %}``: "Sign in with <provider>" when an OpenID Connect provider is configured."""

from django import template
from django.urls import reverse

from ..sso.provider import configured, provider_name

register = template.Library()


@register.inclusion_tag("lms/includes/sso_sign_in.html")
def sso_sign_in(next_url: str = ""):
    if not configured():
        return {"enabled": False}
    return {"enabled": True, "provider": provider_name(), "start": reverse("sso:oidc_start"), "next": next_url}
