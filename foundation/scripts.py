"""Which script a piece of text is written in, so a page can mark text in another script than its
own with ``lang`` and the browser (or WeasyPrint) draws it with the right font.

A Bengali holder name on an English verification page, a Dzongkha course title on a Bengali
dashboard: the page's ``lang`` picks the page's font stack, and ``lang`` on the element picks the
stack for that text (``:lang(bn)``, ``:lang(dz)`` in site.css). User and content text comes from
the database with no language of its own, so the script of its letters decides.
"""

from django.utils.translation import get_language

# Unicode blocks of the scripts the site's languages are written in, and the language each stands for.
SCRIPT_BLOCKS = (
    (0x0980, 0x09FF, "bn"),  # Bengali
    (0x0F00, 0x0FFF, "dz"),  # Tibetan (Dzongkha)
)
LATIN_LANGUAGE = "en"


def _letter_language(char: str) -> str | None:
    code = ord(char)
    for first, last, language in SCRIPT_BLOCKS:
        if first <= code <= last:
            return language
    if char.isalpha() and (code < 0x0250 or 0x1E00 <= code <= 0x1EFF):
        return LATIN_LANGUAGE
    return None


def script_language(text: str) -> str | None:
    """The language whose script most letters of ``text`` are in (None for digits, punctuation or
    empty text). Counts letters, so "Nusrat জাহান" counts both and the majority wins."""
    counts: dict[str, int] = {}
    for char in str(text or ""):
        language = _letter_language(char)
        if language:
            counts[language] = counts.get(language, 0) + 1
    if not counts:
        return None
    return max(counts, key=counts.get)


def foreign_script_language(text: str, page_language: str | None = None) -> str | None:
    """``script_language(text)`` when it differs from the page's language, else None."""
    page_language = (page_language or get_language() or LATIN_LANGUAGE).split("-")[0].lower()
    language = script_language(text)
    return language if language and language != page_language else None
