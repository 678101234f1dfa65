"""One-time codes: six digits, short-lived, single-use, stored as a keyed hash.

A new code for the same destination and purpose replaces the older ones (only the latest works).
A code stops working after ``ACCOUNTS_CODE_ATTEMPTS`` wrong guesses, so guessing a six-digit code
within its lifetime is hopeless even before the per-number and per-address limits apply."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lms.conf import lms_settings

from .digits import ascii_digits
from .models import OneTimeCode

CODE_DIGITS = 6


def code_seconds() -> int:
    return int(lms_settings.ACCOUNTS_CODE_SECONDS)


def _hash(salt: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in ascii_digits(code or "") if ch.isascii() and ch.isdigit())


@transaction.atomic
def issue_code(*, user: AbstractBaseUser, purpose: str, destination: str) -> str:
    """A new code for ``user`` sent to ``destination``; earlier unused codes for it stop working."""
    now = timezone.now()
    OneTimeCode.objects.filter(destination=destination, purpose=purpose, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        destination=destination,
        salt=salt,
        code_hash=_hash(salt, code),
        expires_at=now + timedelta(seconds=code_seconds()),
    )
    return code


@transaction.atomic
def redeem_code(
    *, purpose: str, destination: str, code: str, user: AbstractBaseUser | None = None
) -> OneTimeCode | None:
    """The code's row, now used, if ``code`` is the live code for ``destination``; else None. A wrong
    guess counts against the live code, which dies after ``ACCOUNTS_CODE_ATTEMPTS`` of them."""
    now = timezone.now()
    live = OneTimeCode.objects.select_for_update().filter(
        destination=destination, purpose=purpose, used_at__isnull=True, expires_at__gt=now
    )
    if user is not None:
        live = live.filter(user=user)
    row = live.order_by("-created_at").first()
    if row is None:
        return None
    if not hmac.compare_digest(row.code_hash, _hash(row.salt, normalise_code(code))):
        attempts = int(lms_settings.ACCOUNTS_CODE_ATTEMPTS)
        OneTimeCode.objects.filter(pk=row.pk).update(failed_attempts=F("failed_attempts") + 1)
        if row.failed_attempts + 1 >= attempts:
            OneTimeCode.objects.filter(pk=row.pk).update(used_at=now)
        return None
    row.used_at = now
    row.save(update_fields=["used_at"])
    return row
