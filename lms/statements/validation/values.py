"""The value types of xAPI 1.0.3 (Data section, 4.x "Data types"): IRIs, UUIDs, timestamps, durations,
language tags and maps, extensions; and the rules that hold for every value of a statement (no null
outside extensions, no NUL character, finite numbers in a range a database column holds).

Each check takes the value and its path in the statement (``result.score.max``) and raises
``InvalidStatement`` naming that path, so a client is told which property to fix.
"""

import math
import re
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ...errors import InvalidStatement

#: The largest magnitude a number in a statement may have here: a score or an extension number beyond
#: it is refused rather than overflowing a column (a 4,000-digit score is an attack, not a result).
LARGEST_NUMBER = 10**15
#: Durations longer than this are refused: nothing learnt takes a century, and longer ones overflow.
LONGEST_DURATION = timedelta(days=36_525)
MAX_DEPTH = 32
MAX_STRING = 100_000

IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+")
UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
TIMESTAMP = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?"
)
_NUMBER = r"(\d+(?:[.,]\d+)?)"
DURATION = re.compile(
    rf"P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?"
)
WEEKS = re.compile(rf"P{_NUMBER}W")
#: RFC 5646 language tags (language, extlang, script, region, variants, extensions, private use) and
#: the grandfathered/private forms that stand alone.
LANGUAGE_TAG = re.compile(
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?"
    r"|x(?:-[A-Za-z0-9]{1,8})+"
    r"|i-[A-Za-z]{2,8}"
)
#: RFC 3339 section 4.3: "-00:00" means "offset unknown", which xAPI 1.0.3 forbids.
UNKNOWN_OFFSETS = {"-00", "-0000", "-00:00"}


def invalid(path: str, message: str, code: str = "invalid_statement") -> InvalidStatement:
    return InvalidStatement(f"{path}: {message}", code=code, field=path)


def check_values(value: Any, path: str, *, in_extension: bool = False, depth: int = 0) -> None:
    """The rules for every value: no null (except inside extensions), no NUL character (PostgreSQL
    cannot store one), finite numbers of a size a column holds, and a bounded depth."""
    if depth > MAX_DEPTH:
        raise invalid(path, f"nested deeper than {MAX_DEPTH} levels.", "too_deep")
    if value is None:
        if not in_extension:
            raise invalid(path, "must not be null.", "null_value")
    elif isinstance(value, str):
        if "\x00" in value:
            raise invalid(path, "must not contain the NUL character.", "nul_character")
        if len(value) > MAX_STRING:
            raise invalid(path, f"is longer than {MAX_STRING} characters.", "too_long")
    elif isinstance(value, bool):
        return
    elif isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise invalid(path, "must be a finite number.", "invalid_number")
        if abs(value) >= LARGEST_NUMBER:
            raise invalid(path, f"must be smaller than {LARGEST_NUMBER:.0e} in magnitude.", "number_out_of_range")
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                raise invalid(path, "has a property name with the NUL character.", "nul_character")
            child = f"{path}.{key}" if path else key
            check_values(item, child, in_extension=in_extension or key == "extensions", depth=depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_values(item, f"{path}[{index}]", in_extension=in_extension, depth=depth + 1)


def require_object(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise invalid(path, "must be a JSON object.")
    return value


def only_properties(value: dict, path: str, allowed: set[str]) -> None:
    """Property names are case-sensitive and fixed: ``Verb`` or an unknown name is refused."""
    for key in value:
        if key not in allowed:
            raise invalid(
                f"{path}.{key}" if path else key, "is not a property xAPI 1.0.3 defines here.", "unknown_property"
            )


def require(value: dict, path: str, name: str) -> Any:
    if name not in value:
        raise invalid(f"{path}.{name}" if path else name, "is required.", f"missing_{name}")
    return value[name]


def check_string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise invalid(path, "must be a string.")
    return value


def check_iri(value: Any, path: str) -> str:
    if not isinstance(value, str) or not IRI.fullmatch(value):
        raise invalid(path, "must be an absolute IRI (scheme:...).", "invalid_iri")
    return value


def check_uuid(value: Any, path: str) -> str:
    """A UUID in its canonical 8-4-4-4-12 form with the RFC 4122 variant (xAPI 4.1.1)."""
    if not isinstance(value, str) or not UUID_TEXT.fullmatch(value):
        raise invalid(path, "must be a UUID (8-4-4-4-12 hexadecimal digits).", "invalid_uuid")
    if uuid.UUID(value).variant != uuid.RFC_4122:
        raise invalid(path, "must be an RFC 4122 UUID (variant 10xx).", "invalid_uuid")
    return value.lower()


def check_timestamp(value: Any, path: str) -> datetime:
    """ISO 8601 date and time (RFC 3339 profile); the unknown offset ``-00:00`` is refused."""
    match = TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None or (match["zone"] or "") in UNKNOWN_OFFSETS:
        raise invalid(path, "must be an ISO 8601 timestamp such as 2026-11-23T09:15:00Z.", "invalid_timestamp")
    text = value.replace("Z", "+00:00")
    if match["zone"] and len(match["zone"]) == 3:
        text += ":00"
    if match["zone"] is None:
        text += "+00:00"  # xAPI: without a zone, UTC is assumed
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise invalid(path, "is not a real date and time.", "invalid_timestamp") from None


def _amount(text: str | None) -> float:
    return float(text.replace(",", ".")) if text else 0.0


def check_duration(value: Any, path: str) -> timedelta:
    """An ISO 8601 duration (P4W, P3Y1M29DT4H35M59.14S, PT1M30S); years count 365 days and months 30
    for the timedelta progress keeps. Over LONGEST_DURATION it is refused."""
    if not isinstance(value, str):
        raise invalid(path, "must be an ISO 8601 duration such as PT1M30S.", "invalid_duration")
    weeks = WEEKS.fullmatch(value)
    match = DURATION.fullmatch(value)
    if weeks:
        days = _amount(weeks[1]) * 7
        seconds = 0.0
    elif match and value not in ("P", "PT") and not value.endswith("T"):
        years, months, day_count, hours, minutes, secs = (_amount(part) for part in match.groups())
        days = years * 365 + months * 30 + day_count
        seconds = hours * 3600 + minutes * 60 + secs
    else:
        raise invalid(path, "must be an ISO 8601 duration such as PT1M30S.", "invalid_duration")
    total = days * 86_400 + seconds
    if not math.isfinite(total) or total > LONGEST_DURATION.total_seconds():
        raise invalid(path, "is longer than this store keeps (100 years).", "duration_out_of_range")
    return timedelta(seconds=total)


def check_language_tag(value: Any, path: str) -> str:
    if not isinstance(value, str) or not LANGUAGE_TAG.fullmatch(value):
        raise invalid(path, "must be an RFC 5646 language tag such as en-US.", "invalid_language")
    return value


def check_language_map(value: Any, path: str) -> dict:
    """A language map: RFC 5646 tags to strings (xAPI 4.1.2)."""
    require_object(value, path)
    for tag, text in value.items():
        check_language_tag(tag, f"{path}.{tag}")
        check_string(text, f"{path}.{tag}")
    return value


def check_extensions(value: Any, path: str) -> dict:
    """Extensions: an object whose keys are IRIs; their values may be anything JSON holds (xAPI 4.1.3)."""
    require_object(value, path)
    for key in value:
        check_iri(key, f"{path}.{key}")
    return value
