"""Scores as learning records carry them: numbers checked, and the scaled score worked out."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..errors import InvalidStatement

MAX_DIGITS = 30  # a score is a handful of digits; a 4,000-digit one is an attack on the parser


def number(value: Any, field: str) -> Decimal | None:
    """A finite number of at most MAX_DIGITS digits as a Decimal, None for None, else InvalidStatement."""
    if value is None:
        return None
    refused = InvalidStatement(_("%(field)s must be a number.") % {"field": field}, code="invalid_score", field=field)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise refused
    text = str(value)
    if len(text) > MAX_DIGITS + 10:
        raise refused
    try:
        parsed = Decimal(text)
    except (InvalidOperation, ValueError):
        raise refused from None
    if not parsed.is_finite() or len(parsed.as_tuple().digits) > MAX_DIGITS:
        raise refused
    return parsed


def scaled_from(*, score_raw, score_max, score_scaled) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Raw, maximum and scaled score checked against each other; scaled worked out when missing."""
    raw = number(score_raw, "score_raw")
    maximum = number(score_max, "score_max")
    scaled = number(score_scaled, "score_scaled")
    if scaled is not None and not Decimal(-1) <= scaled <= Decimal(1):
        raise InvalidStatement(
            _("The scaled score must be between -1 and 1."), code="score_out_of_range", field="score_scaled"
        )
    if maximum is not None and maximum <= 0:
        raise InvalidStatement(_("The maximum score must be above 0."), code="score_out_of_range", field="score_max")
    if raw is not None and maximum is not None and not 0 <= raw <= maximum:
        raise InvalidStatement(
            _("The raw score must be between 0 and the maximum score."), code="score_out_of_range", field="score_raw"
        )
    if scaled is None and raw is not None and maximum is not None:
        scaled = raw / maximum
    if scaled is not None:
        scaled = scaled.quantize(Decimal("0.0001"))
    return raw, maximum, scaled
