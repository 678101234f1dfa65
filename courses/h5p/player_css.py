"""The H5P player's core style sheet, as the site serves it: without the player's text fonts.

h5p-standalone's ``styles/h5p.css`` declares Inter and Open Sans faces (Latin, Cyrillic, Greek,
Vietnamese in one file each, about 110 KB apiece); opening one activity fetched several of them,
183 KB in English and 405 KB in Bengali, and none of them can draw Bengali. The site serves the
same style sheet with those ``@font-face`` rules taken out, so the player's text falls to the
site's own fonts: the system's font for Latin text and Noto Sans Bengali (``courses/h5p-bengali.css``,
restricted by ``unicode-range`` to Bengali code points) for Bengali. The icon fonts stay. Relative
URLs are made absolute static URLs, so the sheet can be served from anywhere on the site.

The sheet is derived from the installed package when first asked for and kept for the process's
life; its URL carries a hash of the result, so browsers may keep it for a year.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.templatetags.static import static

SOURCE = "h5p-standalone/styles/h5p.css"
TEXT_FAMILIES = {"inter", "open sans"}
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
FAMILY = re.compile(r"font-family\s*:\s*['\"]?([^;'\"]+)", re.IGNORECASE)
RELATIVE_URL = re.compile(r"url\(\s*['\"]?\.\./([^'\")?#]+)([^'\")]*)['\"]?\s*\)")


def _is_text_face(rule: str) -> bool:
    family = FAMILY.search(rule)
    return bool(family) and family.group(1).strip().lower() in TEXT_FAMILIES


def derive(css: str) -> str:
    """``css`` without its text-font faces, with ``../`` URLs pointing at the player's static files."""
    css = FONT_FACE.sub(lambda m: "" if _is_text_face(m.group(0)) else m.group(0), css)
    return RELATIVE_URL.sub(lambda m: f"url('{static('h5p-standalone/' + m.group(1))}{m.group(2)}')", css)


@lru_cache(maxsize=1)
def player_css() -> tuple[str, str]:
    """The derived sheet and a short hash of it (for the URL)."""
    path = finders.find(SOURCE)
    if not path:
        raise FileNotFoundError(f"{SOURCE} is not installed (npm ci)")
    with open(path, encoding="utf-8") as source:
        css = derive(source.read())
    return css, hashlib.sha256(css.encode()).hexdigest()[:12]
