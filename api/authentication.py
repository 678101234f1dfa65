"""OAuth 2.0 client credentials for organisations' systems, on top of django-oauth-toolkit."""

from django.contrib.auth.models import AbstractBaseUser
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from oauth2_provider.scopes import BaseScopes
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from .models import ORGANISATION_SCOPES, OrganisationClient


class OrganisationClientAuthentication(OAuth2Authentication):
    """A client-credentials token has no user of its own: it acts as its application's service account,
    an admin of the organisation, so every permission check is the site's own."""

    def authenticate(self, request) -> tuple[AbstractBaseUser, AccessToken] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is None and token.application_id is not None:
            user = token.application.user
        if user is None or not user.is_active:
            raise AuthenticationFailed("This client has no active account.")
        return user, token


class OrganisationClientScopes(BaseScopes):
    """django-oauth-toolkit scopes backend: a client may ask only for the scopes its organisation granted."""

    def get_all_scopes(self) -> dict:
        return {name: str(label) for name, label in ORGANISATION_SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        client = OrganisationClient.objects.filter(application=application).first() if application else None
        return client.scope_list if client else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return self.get_available_scopes(application=application, request=request)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def required_scope(view, method: str) -> str | None:
    """The scope an OAuth client's token needs for ``method`` on ``view``: the view's ``client_scopes``
    entry if it declares one (None: not open to OAuth clients), else ``read`` to read, ``enrol`` to change."""
    declared = getattr(view, "client_scopes", {})
    if method in declared:
        return declared[method]
    return "read" if method in SAFE_METHODS else "enrol"


class ClientScopes(BasePermission):
    """The one scope check, on every API view an OAuth client can reach (the default permission and
    every view's own list): an OAuth token must carry ``required_scope(view, method)``. Sessions and
    learners' tokens are not scoped (they are people acting as themselves). The schema documents
    each operation's scope from the same function (``api.schema.OrganisationClientScheme``)."""

    message = "This client's token lacks the scope for this request."

    def has_permission(self, request, view) -> bool:
        if not isinstance(request.auth, AccessToken):
            return True
        needed = required_scope(view, request.method)
        return needed is not None and request.auth.is_valid([needed])
