"""Sign in with the configured OpenID Connect provider: start, callback, and sign-out there too."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .provider import ProviderError, configured, current_provider, provider_name
from .tokens import TokenError

ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 (a session key, not a secret)


def _settings(attr, *args):
    if attr == "OIDC_OP_AUTHORIZATION_ENDPOINT":
        return current_provider().authorization_endpoint if configured() else ""
    if attr == "LOGIN_REDIRECT_URL":
        return reverse("learner:dashboard")
    if attr == "LOGIN_REDIRECT_URL_FAILURE":
        return reverse("learner:sign_in")
    return import_from_settings(attr, *args)


def _refused(request: HttpRequest, reason: str, status: int = 403) -> HttpResponse:
    return render(request, "lms/sso_refused.html", {"provider": provider_name(), "reason": reason}, status=status)


class StartView(OIDCAuthenticationRequestView):
    """Redirect to the provider with state, nonce and a PKCE S256 challenge kept in the session."""

    get_settings = staticmethod(_settings)

    def dispatch(self, request, *args, **kwargs):
        if not configured():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        try:
            super().__init__(*args, **kwargs)
        except ProviderError:
            self.OIDC_OP_AUTH_ENDPOINT = ""

    def get(self, request):
        if not self.OIDC_OP_AUTH_ENDPOINT:
            return _refused(request, _("The identity provider cannot be reached; try again later."), status=503)
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the learner back with a code: exchanged, the ID token checked, then in."""

    get_settings = staticmethod(_settings)

    def get(self, request):
        if not configured():
            raise Http404
        try:
            response = super().get(request)
        except TokenError as exc:
            return _refused(request, _("Sign-in refused: %(reason)s.") % {"reason": exc.reason})
        except ProviderError:
            return _refused(request, _("The identity provider cannot be reached; try again later."), status=503)
        if request.user.is_authenticated:
            return response
        if request.GET.get("error"):
            return _refused(
                request,
                _("The identity provider did not sign you in (%(error)s).") % {"error": request.GET["error"][:100]},
            )
        return response


def provider_sign_out_url(request: HttpRequest) -> str:
    """Where to send a learner who signed in through the provider so they are signed out there too
    (RP-initiated logout); "" for everyone else. Read it before the session is flushed."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not (configured() and id_token):
        return ""
    try:
        endpoint = current_provider().end_session_endpoint
    except ProviderError:
        return ""
    if not endpoint:
        return ""
    back = request.build_absolute_uri(reverse("learner:sign_in"))
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"
