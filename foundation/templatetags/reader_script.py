"""Template filters of the formatting layer (``{% load reader_script %}``).

Most numbers need none: Django's own formatting already answers in the page's digits (see
``foundation.numerals``). These are for text built elsewhere (a validation message with a number
in it), percentages and durations, and ``lang`` on text in another script than the page's.
"""

from django import template
from django.utils.html import format_html

from foundation import numerals, scripts

register = template.Library()


@register.filter
def native_digits(text):
    """The ASCII digits of an already formatted text (a message, a code shown to people) in the
    page's digits. Never for ids, URLs or attributes."""
    return numerals.to_native(text)


@register.filter
def percent(value):
    """``45`` as ``45%`` in the page's digits."""
    if value in (None, ""):
        return ""
    return numerals.format_percent(value)


@register.filter
def duration(value):
    """A timedelta or a number of seconds as hours and minutes, in the page's words and digits."""
    if value in (None, ""):
        return ""
    return numerals.format_duration(value)


@register.filter
def lang_attr(text, page_language=None):
    """`` lang="bn"`` (with its leading space) when ``text`` is in another script than the page's,
    else nothing: ``<span{{ name|lang_attr }}>{{ name }}</span>``."""
    language = scripts.foreign_script_language(text, page_language)
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def script_lang(text):
    """The language of ``text``'s script (``bn``, ``dz``, ``en``) or an empty string."""
    return scripts.script_language(text) or ""
