"""Numbers in the reader's script: Bengali digits (০-৯) on Bengali pages, Tibetan digits (༠-༩) on
Dzongkha ones, and ASCII digits back from whatever a reader types.

This is the one formatting layer. ``install()`` (called from ``FoundationConfig.ready``) wraps
Django's own ``number_format``, ``date_format`` and ``time_format``, so everything that already goes
through Django's localisation comes out in the page's digits without a filter: ``{{ value }}`` of a
number or a date, ``floatformat``, ``date``/``time``, the counts of ``{% blocktranslate count %}``,
emails and certificate PDFs rendered while a language is active. Month and weekday names come
from the catalogue (Django's for Bengali, ours for Dzongkha).

Machine text keeps ASCII digits by construction, because it never goes through Django's display
formatting: URLs (``reverse``, ``pageurl``), ids (``str(pk)``), signed credentials (``json.dumps``
and ``isoformat``), API responses (the JSON renderer). In templates a number printed into an HTML
attribute must say so with Django's ``|unlocalize`` (or the ``iso`` date format ``|date:"c"``, which
is left alone here); ``tests/foundation/test_numerals_http.py`` parses the Bengali and Dzongkha pages
and fails on any native digit inside an attribute meant for machines.

The Wagtail and Django admins keep ASCII digits (their templates print ids into attributes that
their scripts read): ``NativeDigitsMiddleware`` switches the layer off for the paths in
``FOUNDATION_ASCII_DIGIT_PATHS``. ``native_digits_off()`` does the same for any other block of code.
"""

import contextvars
import datetime
import functools
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, ngettext

NATIVE_DIGITS = {
    "bn": "০১২৩৪৫৬৭৮৯",  # Bengali, U+09E6-U+09EF
    "dz": "༠༡༢༣༤༥༦༧༨༩",  # Tibetan, U+0F20-U+0F29
}
_TO_NATIVE = {language: str.maketrans("0123456789", digits) for language, digits in NATIVE_DIGITS.items()}
# Date formats whose output is for machines (ISO 8601, Unix time, RFC 5322): never translated.
MACHINE_DATE_FORMATS = frozenset({"c", "U", "r"})

_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("native_digits", default=True)


def language_digits(language: str | None = None) -> str | None:
    """The ten digits of ``language`` (default: the active language), or None when it writes ASCII."""
    language = (language or get_language() or "").lower()
    return NATIVE_DIGITS.get(language) or NATIVE_DIGITS.get(language.split("-")[0])


def to_native(text, language: str | None = None, *, force: bool = False):
    """``text`` with its ASCII digits in the language's script. Keeps a safe string safe (digits are
    never markup). Does nothing while the layer is off, unless ``force``."""
    if text is None or not (force or _enabled.get()):
        return text
    language = (language or get_language() or "").lower()
    table = _TO_NATIVE.get(language) or _TO_NATIVE.get(language.split("-")[0])
    if table is None:
        return text
    converted = str(text).translate(table)
    return mark_safe(converted) if isinstance(text, SafeData) else converted  # noqa: S308


def to_ascii(text: str) -> str:
    """Every decimal digit of any script (Bengali, Tibetan, Devanagari, Arabic-Indic, full-width...)
    as its ASCII digit; anything else unchanged. What forms apply before they parse a number."""
    if not isinstance(text, str) or text.isascii():
        return text
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)


def enabled() -> bool:
    return _enabled.get()


@contextmanager
def native_digits_off() -> Iterator[None]:
    """ASCII digits for everything formatted inside the block (admin pages, machine-readable text)."""
    token = _enabled.set(False)
    try:
        yield
    finally:
        _enabled.reset(token)


@contextmanager
def native_digits_on() -> Iterator[None]:
    token = _enabled.set(True)
    try:
        yield
    finally:
        _enabled.reset(token)


def format_number(value: int | float | Decimal, decimal_pos: int | None = None) -> str:
    from django.utils import formats

    return formats.number_format(value, decimal_pos)


def format_percent(value: int | float | Decimal) -> str:
    """A whole percentage such as ``৪৫%``: rounded down, so 99.6 never reads as 100 before it is."""
    return f"{format_number(int(value))}%"


def format_date(value: datetime.date, format_name: str = "DATE_FORMAT") -> str:
    from django.utils import formats

    return formats.date_format(value, format_name)


def format_duration(value: datetime.timedelta | int | float) -> str:
    """A duration (a timedelta or seconds) as hours and minutes in the reader's words and digits."""
    seconds = int(value.total_seconds() if isinstance(value, datetime.timedelta) else value)
    hours, minutes = divmod(max(seconds, 0) // 60, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": format_number(hours)})
    if minutes or not hours:
        parts.append(ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": format_number(minutes)})
    return " ".join(parts)


def format_count(count: int, singular: str, plural: str) -> str:
    """``ngettext(singular, plural, count)`` with ``%(count)s`` filled in the reader's digits."""
    return ngettext(singular, plural, count) % {"count": format_number(count)}


def _wrap(original: Callable, *, date_like: bool) -> Callable:
    @functools.wraps(original)
    def formatted(value, *args, **kwargs):
        text = original(value, *args, **kwargs)
        if kwargs.get("use_l10n") is False:
            return text
        if date_like and args and args[0] in MACHINE_DATE_FORMATS:
            return text
        return to_native(text)

    formatted.native_digits = True
    return formatted


def install() -> None:
    """Route Django's display formatting through this layer (idempotent)."""
    from django.utils import formats

    for name, date_like in (("number_format", False), ("date_format", True), ("time_format", True)):
        original = getattr(formats, name)
        if not getattr(original, "native_digits", False):
            setattr(formats, name, _wrap(original, date_like=date_like))


def ascii_digit_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "FOUNDATION_ASCII_DIGIT_PATHS", ("/admin/", "/django-admin/")))


class NativeDigitsMiddleware:
    """Switches native digits off for the admin paths (``FOUNDATION_ASCII_DIGIT_PATHS``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ascii_digit_paths()):
            with native_digits_off():
                return self.get_response(request)
        return self.get_response(request)
