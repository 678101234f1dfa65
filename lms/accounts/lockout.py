"""Sign-in throttling and lockout, the same for every way to sign in.

Each failed sign-in counts against the account (its normalised sign-in name, whether or not such an
account exists, so the answer says nothing about existence) and against the client's address
(``foundation.client_address``, which believes only the site's own proxies). When either count
reaches its limit within its window, every sign-in for that account or from that address is refused,
the right password included, until the window ends; the refusal says how many minutes are left, and
the password reset (which clears the account's count) is the way back in sooner.

The site's sign-in, Wagtail's ``/admin/login/`` and ``POST /api/v1/auth/token/`` all go through
Django's ``authenticate()``: ``LockoutBackend`` (first in ``AUTHENTICATION_BACKENDS``) refuses a
locked account or address there, and the ``user_login_failed`` signal counts each failure. The OAuth
token endpoint authenticates clients itself and calls ``check``/``record_failure`` directly."""

from __future__ import annotations

import math

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import ngettext

from foundation.client_address import client_address
from lms.conf import lms_settings

from . import limits
from .phone import normalise_sign_in_name

ACCOUNT_SCOPE = "sign-in-account"
ADDRESS_SCOPE = "sign-in-address"


def account_rate() -> limits.Rate:
    return limits.parse_rate(lms_settings.ACCOUNTS_SIGN_IN_ACCOUNT_RATE)


def address_rate() -> limits.Rate:
    return limits.parse_rate(lms_settings.ACCOUNTS_SIGN_IN_ADDRESS_RATE)


def account_key(name: str) -> str:
    """The same key for every spelling of one sign-in name (``017...``, ``+88017...``, Bengali digits)."""
    try:
        return normalise_sign_in_name(name)
    except ValidationError:
        return (name or "").strip().lower()


def locked_for(request: HttpRequest | None, name: str | None) -> int:
    """Seconds until a sign-in for ``name`` from ``request``'s client is allowed again (0: allowed)."""
    waits = []
    if name:
        key = account_key(name)
        if limits.count(ACCOUNT_SCOPE, key) >= account_rate().count:
            waits.append(limits.seconds_left(ACCOUNT_SCOPE, key))
    if request is not None:
        address = client_address(request)
        if limits.count(ADDRESS_SCOPE, address) >= address_rate().count:
            waits.append(limits.seconds_left(ADDRESS_SCOPE, address))
    return max(waits, default=0)


def record_failure(request: HttpRequest | None, name: str | None) -> None:
    if name:
        limits.hit(ACCOUNT_SCOPE, account_key(name), account_rate())
    if request is not None:
        limits.hit(ADDRESS_SCOPE, client_address(request), address_rate())


def clear_account(name: str) -> None:
    """After a sign-in or a password reset: the account's failures are forgiven (not the address's)."""
    limits.clear(ACCOUNT_SCOPE, account_key(name))


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def lockout_message(seconds: int) -> str:
    count = minutes(seconds)
    return ngettext(
        "Too many attempts to sign in. Try again in %(minutes)d minute, or reset your password.",
        "Too many attempts to sign in. Try again in %(minutes)d minutes, or reset your password.",
        count,
    ) % {"minutes": count}


class LockoutBackend(ModelBackend):
    """Django's model backend, which refuses a locked account or address before checking any password
    (``PermissionDenied`` stops ``authenticate()`` and counts as one more failure), and which knows a
    learner by any of their sign-in names: the username, the mobile number on their profile (in any
    spelling), or their email when one account alone has it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if locked_for(request, username):
            raise PermissionDenied
        if username:
            username = account_username(username)
        return super().authenticate(request, username=username, password=password, **kwargs)


def account_username(name: str) -> str:
    users = get_user_model()._default_manager
    if users.filter(username=name).exists():
        return name
    normalised = account_key(name)
    if normalised.startswith("+"):
        found = list(users.filter(Q(username=normalised) | Q(learner_profile__phone=normalised))[:2])
    elif "@" in normalised:
        found = list(users.filter(Q(username__iexact=normalised) | Q(email__iexact=normalised))[:2])
    else:
        found = []
    return found[0].get_username() if len(found) == 1 else name


@receiver(user_login_failed, dispatch_uid="lms.accounts.lockout.count_failure")
def _count_failure(sender, credentials, request=None, **kwargs):
    record_failure(request, credentials.get("username"))


@receiver(user_logged_in, dispatch_uid="lms.accounts.lockout.forgive")
def _forgive(sender, request, user, **kwargs):
    clear_account(user.get_username())
