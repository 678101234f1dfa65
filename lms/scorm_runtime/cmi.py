"""The CMI data model's rules for the elements the site stores, with the SCORM error code of each refusal.

scorm-again checks every ``SetValue`` in the browser; the site checks a commit again, because a commit
is only an HTTP request. A value of the wrong type is error 405 in SCORM 1.2 ("Incorrect Data Type")
and 406 in SCORM 2004 ("Data Model Element Type Mismatch"); a number out of its range is 405 in 1.2
(which has no range error) and 407 in 2004 ("Data Model Element Value Out Of Range"). Elements the
site does not read are kept as sent, within the commit's size limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..errors import LearningError

MAX_ELEMENTS = 5_000
MAX_VALUE_CHARS = 64_000
TIMESPAN_12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d(?:\.\d{1,2})?)$")
DURATION_2004 = re.compile(
    r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)
ELEMENT_NAME = re.compile(r"^cmi(\.[A-Za-z0-9_]{1,64}){1,6}$")


class InvalidCMI(LearningError):
    """A committed value breaks the data model; ``scorm_code`` is SCORM's error code for it."""

    status = 400

    def __init__(self, message: str, *, element: str, scorm_code: int):
        super().__init__(message, code="invalid_cmi", field=element)
        self.scorm_code = scorm_code

    def as_dict(self) -> dict:
        return {**super().as_dict(), "result": False, "errorCode": self.scorm_code}


@dataclass(frozen=True)
class Elements:
    """The names of the elements the site reads, in one SCORM version."""

    completion: str
    success: str | None
    location: str
    suspend_data: str
    exit: str
    session_time: str
    total_time: str
    score_raw: str
    score_min: str
    score_max: str
    score_scaled: str | None
    entry: str
    learner_id: str
    learner_name: str


SCORM_12 = Elements(
    completion="cmi.core.lesson_status",
    success=None,
    location="cmi.core.lesson_location",
    suspend_data="cmi.suspend_data",
    exit="cmi.core.exit",
    session_time="cmi.core.session_time",
    total_time="cmi.core.total_time",
    score_raw="cmi.core.score.raw",
    score_min="cmi.core.score.min",
    score_max="cmi.core.score.max",
    score_scaled=None,
    entry="cmi.core.entry",
    learner_id="cmi.core.student_id",
    learner_name="cmi.core.student_name",
)
SCORM_2004 = Elements(
    completion="cmi.completion_status",
    success="cmi.success_status",
    location="cmi.location",
    suspend_data="cmi.suspend_data",
    exit="cmi.exit",
    session_time="cmi.session_time",
    total_time="cmi.total_time",
    score_raw="cmi.score.raw",
    score_min="cmi.score.min",
    score_max="cmi.score.max",
    score_scaled="cmi.score.scaled",
    entry="cmi.entry",
    learner_id="cmi.learner_id",
    learner_name="cmi.learner_name",
)
VOCABULARIES = {
    "1.2": {
        "cmi.core.lesson_status": {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"},
        "cmi.core.exit": {"time-out", "suspend", "logout", ""},
    },
    "2004": {
        "cmi.completion_status": {"completed", "incomplete", "not attempted", "unknown"},
        "cmi.success_status": {"passed", "failed", "unknown"},
        "cmi.exit": {"time-out", "suspend", "logout", "normal", ""},
    },
}
LENGTHS = {
    "1.2": {"cmi.core.lesson_location": 255, "cmi.suspend_data": 4096},
    "2004": {"cmi.location": 1000, "cmi.suspend_data": 64000},
}


def elements(version: str) -> Elements:
    return SCORM_2004 if version == "2004" else SCORM_12


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{"cmi": {"core": {"lesson_status": ...}}}`` as ``{"cmi.core.lesson_status": ...}``; lists by index."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = ((str(index), value) for index, value in enumerate(data))
    else:
        return {prefix: data}
    flat: dict[str, Any] = {}
    for key, value in items:
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, (dict, list)) and value:
            flat.update(flatten(value, name))
        elif not isinstance(value, (dict, list)):
            flat[name] = value
    return flat


def commit_elements(payload: Any) -> dict[str, Any]:
    """The committed elements, from scorm-again's ``json`` or ``flattened`` commit formats."""
    if not isinstance(payload, dict):
        raise InvalidCMI(_("A commit is a JSON object."), element="cmi", scorm_code=201)
    cmi = payload.get("cmi") if isinstance(payload.get("cmi"), dict) else None
    if cmi is not None:
        flat = flatten({"cmi": cmi})
    else:  # collections may still be nested ("cmi.interactions": {"0": ...}); an empty one says nothing
        flat = {}
        for key, value in payload.items():
            if str(key).startswith("cmi."):
                flat.update(flatten(value, str(key)) if isinstance(value, (dict, list)) else {str(key): value})
    if len(flat) > MAX_ELEMENTS:
        raise InvalidCMI(
            _("A commit holds at most %(n)d elements.") % {"n": MAX_ELEMENTS}, element="cmi", scorm_code=201
        )
    return flat


def _type_code(version: str) -> int:
    return 406 if version == "2004" else 405


def _range_code(version: str) -> int:
    return 407 if version == "2004" else 405


def _decimal(version: str, element: str, value: Any) -> Decimal | None:
    if value in ("", None):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidCMI(_("%(e)s must be a number.") % {"e": element}, element=element, scorm_code=_type_code(version))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidCMI(
            _("%(e)s must be a number.") % {"e": element}, element=element, scorm_code=_type_code(version)
        ) from None
    if not number.is_finite() or len(str(value)) > 40:
        raise InvalidCMI(_("%(e)s must be a number.") % {"e": element}, element=element, scorm_code=_type_code(version))
    return number


def seconds(version: str, element: str, value: Any) -> float:
    """A CMITimespan (1.2, ``HHHH:MM:SS.SS``) or ISO 8601 duration (2004) in seconds; refused with the code."""
    if value in ("", None):
        return 0.0
    text = str(value).strip()
    if version == "2004":
        match = DURATION_2004.match(text)
        if match is None:
            raise InvalidCMI(
                _("%(e)s must be an ISO 8601 duration such as PT1M30S.") % {"e": element},
                element=element,
                scorm_code=406,
            )
        years, months, days, hours, minutes, secs = (float(part or 0) for part in match.groups())
        return years * 31_557_600 + months * 2_629_800 + days * 86_400 + hours * 3_600 + minutes * 60 + secs
    match = TIMESPAN_12.match(text)
    if match is None:
        raise InvalidCMI(
            _("%(e)s must be a time span such as 0000:01:30.00.") % {"e": element}, element=element, scorm_code=405
        )
    return int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])


def format_seconds(version: str, total: float) -> str:
    hours, rest = divmod(max(total, 0.0), 3600)
    minutes, secs = divmod(rest, 60)
    if version == "2004":
        return f"PT{int(hours)}H{int(minutes)}M{secs:.2f}S"
    return f"{int(hours):04d}:{int(minutes):02d}:{secs:05.2f}"


@dataclass
class Reading:
    """What the site reads from a commit (None: the commit did not send that element)."""

    completion: str | None
    success: str | None
    location: str | None
    suspend_data: str | None
    exit: str | None
    session_seconds: float | None
    score_scaled: Decimal | None
    has_score: bool


def read(version: str, flat: dict[str, Any]) -> Reading:
    """Check the committed elements against the data model; raise InvalidCMI with SCORM's error code."""
    names = elements(version)
    scalars = {value for value in vars(names).values() if value}
    for element, value in flat.items():
        if not ELEMENT_NAME.match(element):
            raise InvalidCMI(_("%(e)s is not a CMI element.") % {"e": element[:80]}, element="cmi", scorm_code=401)
        parts = element.split(".")
        inside = next((".".join(parts[:i]) for i in range(2, len(parts)) if ".".join(parts[:i]) in scalars), None)
        if inside:  # a list or object sent for a single value ("cmi.success_status": ["passed"])
            raise InvalidCMI(
                _("%(e)s has a value of the wrong type or size.") % {"e": inside},
                element=inside,
                scorm_code=_type_code(version),
            )
        if isinstance(value, (dict, list)) or (isinstance(value, str) and len(value) > MAX_VALUE_CHARS):
            raise InvalidCMI(
                _("%(e)s has a value of the wrong type or size.") % {"e": element},
                element=element,
                scorm_code=_type_code(version),
            )
    for element, allowed in VOCABULARIES[version].items():
        if element in flat and str(flat[element]) not in allowed:
            raise InvalidCMI(
                _("%(e)s cannot be %(v)r.") % {"e": element, "v": str(flat[element])[:40]},
                element=element,
                scorm_code=_type_code(version),
            )
    for element, limit in LENGTHS[version].items():
        if element in flat and len(str(flat[element])) > limit:
            raise InvalidCMI(
                _("%(e)s holds at most %(n)d characters.") % {"e": element, "n": limit},
                element=element,
                scorm_code=_type_code(version) if version == "1.2" else 407,
            )
    raw = _decimal(version, names.score_raw, flat.get(names.score_raw))
    low = _decimal(version, names.score_min, flat.get(names.score_min))
    high = _decimal(version, names.score_max, flat.get(names.score_max))
    scaled = _decimal(version, names.score_scaled, flat.get(names.score_scaled)) if names.score_scaled else None
    if version == "1.2":
        for element, number in ((names.score_raw, raw), (names.score_min, low), (names.score_max, high)):
            if number is not None and not 0 <= number <= 100:
                raise InvalidCMI(_("%(e)s must be from 0 to 100.") % {"e": element}, element=element, scorm_code=405)
    if scaled is not None and not -1 <= scaled <= 1:
        raise InvalidCMI(
            _("%(e)s must be from -1 to 1.") % {"e": names.score_scaled}, element=names.score_scaled, scorm_code=407
        )
    if scaled is None and raw is not None:
        bottom = low if low is not None else Decimal(0)
        top = high if high is not None else Decimal(100)
        scaled = (raw - bottom) / (top - bottom) if top > bottom else None
        if scaled is not None:
            scaled = min(max(scaled, Decimal(-1)), Decimal(1))
    session = flat.get(names.session_time)
    return Reading(
        completion=str(flat[names.completion]) if names.completion in flat else None,
        success=str(flat[names.success]) if names.success and names.success in flat else None,
        location=str(flat[names.location]) if names.location in flat else None,
        suspend_data=str(flat[names.suspend_data]) if names.suspend_data in flat else None,
        exit=str(flat[names.exit]) if names.exit in flat else None,
        session_seconds=seconds(version, names.session_time, session) if session not in (None, "") else None,
        score_scaled=scaled.quantize(Decimal("0.0001")) if scaled is not None else None,
        has_score=scaled is not None,
    )
