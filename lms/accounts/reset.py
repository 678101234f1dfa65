"""Forgotten passwords: a link by email, or a one-time code by SMS for learners who signed up with a
mobile number.

Whatever is typed, the answer is the same (an account or not, a number or an email), and a request
counts against the number or address typed and against the client's address whether or not an
account exists, so neither the answer nor the limits tell anyone who has an account here."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from foundation.client_address import client_address
from lms.conf import lms_settings

from . import limits, lockout
from .codes import code_seconds, issue_code, redeem_code
from .models import CodePurpose
from .phone import is_phone
from .sms import queue_sms

DESTINATION_SCOPE = "reset-destination"
ADDRESS_SCOPE = "reset-address"


def _rate(name: str) -> limits.Rate:
    return limits.parse_rate(getattr(lms_settings, name))


def request_limit_wait(request: HttpRequest, destination: str) -> int:
    """Count a reset request; seconds to wait if this one is over the per-destination or per-address limit."""
    address = client_address(request)
    per_destination = _rate("ACCOUNTS_RESET_DESTINATION_RATE")
    per_address = _rate("ACCOUNTS_RESET_ADDRESS_RATE")
    waits = []
    if limits.hit(DESTINATION_SCOPE, destination, per_destination) > per_destination.count:
        waits.append(limits.seconds_left(DESTINATION_SCOPE, destination))
    if limits.hit(ADDRESS_SCOPE, address, per_address) > per_address.count:
        waits.append(limits.seconds_left(ADDRESS_SCOPE, address))
    return max(waits, default=0)


def account_for(sign_in_name: str) -> AbstractBaseUser | None:
    """The active account that signs in with ``sign_in_name`` (a normalised email or number)."""
    users = get_user_model().objects.filter(is_active=True)
    if is_phone(sign_in_name):
        users = users.filter(Q(username=sign_in_name) | Q(learner_profile__phone=sign_in_name))
    else:
        users = users.filter(Q(username__iexact=sign_in_name) | Q(email__iexact=sign_in_name))
    return users.order_by("pk").first()


def email_reset_link(request: HttpRequest, user: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("learner:reset_link", args=[uid, token]))


def send_reset(*, request: HttpRequest, sign_in_name: str) -> None:
    """Send a reset link or code if ``sign_in_name`` is an account's; otherwise do nothing, silently."""
    user = account_for(sign_in_name)
    if user is None:
        return
    if is_phone(sign_in_name):
        code = issue_code(user=user, purpose=CodePurpose.RESET, destination=sign_in_name)
        body = _("Your password reset code is %(code)s. It works once, for %(minutes)d minutes. Never share it.") % {
            "code": code,
            "minutes": code_seconds() // 60,
        }
        queue_sms(to=sign_in_name, body=body)
        return
    if not user.email or not user.has_usable_password():
        return
    context = {"user": user, "link": email_reset_link(request, user), "site_name": settings.WAGTAIL_SITE_NAME}
    send_mail(
        subject=_("Reset your password"),
        message=render_to_string("lms/email/password_reset.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def reset_by_code(*, phone: str, code: str, password: str) -> AbstractBaseUser | None:
    """Set a new password if ``code`` is the live reset code sent to ``phone``; None if it is not."""
    row = redeem_code(purpose=CodePurpose.RESET, destination=phone, code=code)
    if row is None:
        return None
    user = row.user
    user.set_password(password)
    user.save(update_fields=["password"])
    lockout.clear_account(user.get_username())
    return user
