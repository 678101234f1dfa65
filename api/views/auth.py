"""Signing in from an app: a learner's API token, and an organisation's OAuth token.

Both are held to the site's sign-in rules (``lms.accounts.lockout``): failures count per account (the
sign-in name, or the OAuth client id) and per client address, and a locked sign-in is answered 429
with ``Retry-After`` and a message in the reader's language, the right password included. Both are
also throttled per address (scope ``sign_in``)."""

import base64
import binascii
import json

from django.http import HttpRequest, JsonResponse
from oauth2_provider import views as oauth_views
from rest_framework import exceptions
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser

from foundation.json_input import JsonParser
from lms.accounts import lockout

from ..throttling import AddressScopedRateThrottle

# --- authentication ----------------------------------------------------------------------------


class TokenView(ObtainAuthToken):
    """Exchange a sign-in name and password for the learner's API token (one per learner, kept until
    they sign out of the app). Send it as ``Authorization: Token <key>``."""

    throttle_classes = (AddressScopedRateThrottle,)
    throttle_scope = "sign_in"
    parser_classes = (FormParser, MultiPartParser, JsonParser)

    def post(self, request, *args, **kwargs):
        name = request.data.get("username") if hasattr(request.data, "get") else None
        name = name if isinstance(name, str) else None
        wait = lockout.locked_for(request, name)
        if wait:
            raise exceptions.Throttled(wait=wait, detail=lockout.lockout_message(wait))
        try:
            response = super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            wait = lockout.locked_for(request, name)
            if wait:
                raise exceptions.Throttled(wait=wait, detail=lockout.lockout_message(wait)) from None
            raise
        if name:
            lockout.clear_account(name)
        return response


def _oauth_client_id(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            return base64.b64decode(header[6:]).decode("utf-8").split(":", 1)[0] or None
        except (binascii.Error, UnicodeDecodeError):
            return None
    return request.POST.get("client_id") or None


class OAuthTokenView(oauth_views.TokenView):
    """django-oauth-toolkit's token endpoint, with the sign-in lockout on the client id and address."""

    def post(self, request, *args, **kwargs):
        client_id = _oauth_client_id(request)
        account = f"oauth-client:{client_id}" if client_id else None
        wait = lockout.locked_for(request, account)
        if wait:
            message = lockout.lockout_message(wait)
            response = JsonResponse(
                {"error": "too_many_attempts", "error_description": message, "code": "throttled", "message": message},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        response = super().post(request, *args, **kwargs)
        if response.status_code in (400, 401):
            try:
                error = json.loads(response.content).get("error")
            except (ValueError, AttributeError):
                error = None
            if error == "invalid_client":
                lockout.record_failure(request, account)
        elif response.status_code == 200 and account:
            lockout.clear_account(account)
        return response
