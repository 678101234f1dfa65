"""Who uses the LRS: learners with their session or token (about themselves only), and trusted
systems with HTTP Basic and a key and secret from ``create_lrs_client``, limited by xAPI scopes."""

import base64
import binascii

from oauth2_provider.models import AccessToken
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from lms.statements.models import LrsClient

READ_EVERYTHING = {"all", "all/read"}


class LrsBasicAuthentication(BaseAuthentication):
    """HTTP Basic with an LRS client's key and secret; the request acts as the client's service account
    and ``request.auth`` is the client."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:6].lower() != "basic ":
            return None
        try:
            key, _sep, secret = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise AuthenticationFailed("The Basic credentials are not valid base64.") from None
        client = LrsClient.objects.select_related("user").filter(key=key, active=True).first()
        if client is None or not client.secret_matches(secret) or not client.user.is_active:
            raise AuthenticationFailed("Unknown LRS key or wrong secret.")
        return client.user, client

    def authenticate_header(self, request) -> str:
        return 'Basic realm="xAPI"'


def lrs_client(request) -> LrsClient | None:
    return request.auth if isinstance(request.auth, LrsClient) else None


class LrsScopes(BasePermission):
    """A learner (session or token) acts as themselves, which each resource checks; an LRS client
    needs one of the scopes its view names for the method; organisations' OAuth tokens are not for
    the LRS."""

    message = "These credentials lack the xAPI scope for this request."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated) or isinstance(request.auth, AccessToken):
            return False
        client = lrs_client(request)
        if client is None:
            return True
        reading = request.method in ("GET", "HEAD", "OPTIONS")
        needed = set(view.read_scopes if reading else view.write_scopes) | {"all"}
        if reading:
            needed |= READ_EVERYTHING
        return bool(client.scope_set & needed)
