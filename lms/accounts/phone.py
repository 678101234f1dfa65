"""What a sign-in name is: an email (lower-cased) or a Bangladeshi mobile number as +8801XXXXXXXXX.

The normalised form is the username, so either can be typed at sign-in with Django's own
authentication. Numbers may be typed with Bengali or Tibetan digits, spaces, dashes or brackets."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .digits import ascii_digits

BANGLADESH_MOBILE = re.compile(r"^(?:\+?880|0)?(1[3-9][0-9]{8})$")


def normalise_phone(value: str) -> str | None:
    """``+8801XXXXXXXXX`` for a Bangladeshi mobile number written any usual way, else None."""
    digits = re.sub(r"[\s\-().]", "", ascii_digits((value or "").strip()))
    match = BANGLADESH_MOBILE.match(digits)
    return f"+880{match[1]}" if match else None


def normalise_email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("Enter a valid email address."), code="invalid") from None
    if len(value) > 150:
        raise ValidationError(_("This email address is too long."), code="max_length")
    return value.lower()


def normalise_sign_in_name(value: str) -> str:
    phone = normalise_phone(value)
    if phone:
        return phone
    try:
        return normalise_email(value)
    except ValidationError as exc:
        if exc.code == "max_length":
            raise
        raise ValidationError(
            _("Enter an email address or a Bangladeshi mobile number such as 01712345678."), code="invalid"
        ) from None


def is_phone(sign_in_name: str) -> bool:
    return sign_in_name.startswith("+")
