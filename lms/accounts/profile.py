"""The learner's profile: name and preferred language at once; a new email or mobile number only
once it is confirmed through a link or code sent to the new one (so a typo or someone else's number
never becomes the way into the account). A sign-in name that was the old email or number follows."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.conf import lms_settings

from ..models import LearnerKind, LearnerProfile
from .codes import code_seconds, issue_code, redeem_code
from .models import CodePurpose
from .sms import queue_sms

EMAIL_SALT = "lms.accounts.confirm-email"


class AlreadyTaken(Exception):
    """Another account holds this email or number."""


def profile_of(user: AbstractBaseUser) -> LearnerProfile:
    profile, _created = LearnerProfile.objects.get_or_create(user=user, defaults={"kind": LearnerKind.CITIZEN})
    return profile


def email_taken(email: str, *, by_other_than: AbstractBaseUser) -> bool:
    users = get_user_model().objects.exclude(pk=by_other_than.pk)
    return users.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def phone_taken(phone: str, *, by_other_than: AbstractBaseUser) -> bool:
    users = get_user_model().objects.exclude(pk=by_other_than.pk)
    return users.filter(Q(username=phone) | Q(learner_profile__phone=phone)).exists()


@transaction.atomic
def update_profile(*, user: AbstractBaseUser, full_name: str, preferred_language: str) -> None:
    first, _sep, last = full_name.strip().partition(" ")
    user.first_name, user.last_name = first[:150], last.strip()[:150]
    user.save(update_fields=["first_name", "last_name"])
    profile = profile_of(user)
    profile.preferred_language = preferred_language
    profile.save(update_fields=["preferred_language"])


def send_email_confirmation(*, request: HttpRequest, user: AbstractBaseUser, email: str) -> None:
    """Mail a link to ``email`` that makes it the account's email; it works while the account's
    email is still the one it had when the link was made, so once used it cannot be used again."""
    if email_taken(email, by_other_than=user):
        raise AlreadyTaken
    token = signing.dumps({"u": user.pk, "old": user.email, "new": email}, salt=EMAIL_SALT)
    link = request.build_absolute_uri(reverse("learner:confirm_email", args=[token]))
    send_mail(
        subject=_("Confirm your new email address"),
        message=render_to_string("lms/email/confirm_email.txt", {"user": user, "link": link}),
        from_email=None,
        recipient_list=[email],
    )


@transaction.atomic
def confirm_email(*, user: AbstractBaseUser, token: str) -> str | None:
    """The new email, now the account's, if ``token`` is a live link for ``user``; else None."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=int(lms_settings.ACCOUNTS_LINK_SECONDS))
    except signing.BadSignature:
        return None
    if data.get("u") != user.pk or data.get("old") != user.email:
        return None
    new = data["new"]
    if email_taken(new, by_other_than=user):
        raise AlreadyTaken
    if user.get_username().lower() == (user.email or "").lower() and user.email:
        user.username = new
    user.email = new
    user.save(update_fields=["username", "email"])
    return new


def send_phone_confirmation(*, user: AbstractBaseUser, phone: str) -> None:
    if phone_taken(phone, by_other_than=user):
        raise AlreadyTaken
    code = issue_code(user=user, purpose=CodePurpose.CONFIRM_PHONE, destination=phone)
    body = _("Your code to confirm this mobile number is %(code)s. It works once, for %(minutes)d minutes.") % {
        "code": code,
        "minutes": code_seconds() // 60,
    }
    queue_sms(to=phone, body=body)


@transaction.atomic
def confirm_phone(*, user: AbstractBaseUser, phone: str, code: str) -> bool:
    """Make ``phone`` the account's mobile number if ``code`` is the live code sent to it for ``user``."""
    if phone_taken(phone, by_other_than=user):
        raise AlreadyTaken
    if redeem_code(purpose=CodePurpose.CONFIRM_PHONE, destination=phone, code=code, user=user) is None:
        return False
    profile = profile_of(user)
    if profile.phone and user.get_username() == profile.phone:
        user.username = phone
        user.save(update_fields=["username"])
    profile.phone = phone
    try:
        with transaction.atomic():
            profile.save(update_fields=["phone"])
    except IntegrityError:
        raise AlreadyTaken from None
    return True
