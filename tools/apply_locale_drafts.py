"""Refresh each app's catalogues and fill them from the translators' drafts.

Every app of the suite carries its own catalogue (``<app>/locale/<lang>/LC_MESSAGES/django.po``), so
an installed app brings its translations with it. This runs ``makemessages`` inside each app (only
strings the code still uses are kept), copies each translation found in
``locale_drafts/<topic>/<lang>.po`` into an entry that has none (or a fuzzy one), and compiles.
A catalogue that ``makemessages`` has just created gets its header from ``CATALOGUE_HEADERS``: its
plural rule and, for Dzongkha, the warning that it is machine-drafted.
Run it after changing UI strings (``make messages``):
``.venv/bin/python tools/apply_locale_drafts.py [lang ...]`` (default: every language with drafts).
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS = ["foundation", "courses", "lms", "certification", "api", "learning_site"]
IGNORED = ["migrations/*", "static/*/vendor/*", "node_modules/*"]
PLACEHOLDER_PLURALS = "nplurals=INTEGER; plural=EXPRESSION;"
CATALOGUE_HEADERS = {
    "bn": {"plural_forms": "nplurals=2; plural=(n != 1);", "header": None},
    "dz": {
        "plural_forms": "nplurals=1; plural=0;",  # Dzongkha does not inflect nouns for number
        "header": (
            "Dzongkha (རྫོང་ཁ) catalogue of the learning suite: MACHINE-DRAFTED, NOT YET REVIEWED.\n"
            "Every entry was drafted by a machine from the English (and the Bengali catalogue's msgids).\n"
            "A native Dzongkha reviewer must check every entry before the language is offered to the public."
        ),
    },
}


def fill_header(catalogue: polib.POFile, lang: str) -> None:
    """Give a freshly created catalogue its language's plural rule and header (never overwrite)."""
    known = CATALOGUE_HEADERS.get(lang)
    if known is None:
        return
    if catalogue.metadata.get("Plural-Forms", PLACEHOLDER_PLURALS) == PLACEHOLDER_PLURALS:
        catalogue.metadata["Plural-Forms"] = known["plural_forms"]
    catalogue.metadata["Language"] = lang
    if known["header"] and catalogue.header.startswith("SOME DESCRIPTIVE TITLE"):
        catalogue.header = known["header"]
        catalogue.metadata_is_fuzzy = False


def languages() -> list[str]:
    found = {path.stem for path in (ROOT / "locale_drafts").glob("*/*.po")}
    for app in APPS:
        found |= {path.name for path in (ROOT / app / "locale").glob("*") if path.is_dir()}
    return sorted(found)


def drafts(lang: str) -> dict:
    translated = {}
    legacy = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"  # the site-wide catalogue of old
    sources = [legacy] if legacy.exists() else []
    for draft_path in sorted((ROOT / "locale_drafts").glob(f"*/{lang}.po")) + sources:
        for entry in polib.pofile(str(draft_path)):
            if entry.msgstr or any(entry.msgstr_plural.values()):
                translated[(entry.msgctxt, entry.msgid)] = entry
    return translated


def refresh(app: str, lang: str) -> Path:
    (ROOT / app / "locale").mkdir(exist_ok=True)
    command = [sys.executable, str(ROOT / "manage.py"), "makemessages", "--locale", lang, "--no-obsolete"]
    for pattern in IGNORED:
        command += ["--ignore", pattern]
    subprocess.run(command, cwd=ROOT / app, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    return ROOT / app / "locale" / lang / "LC_MESSAGES" / "django.po"


def apply(app: str, lang: str, translated: dict) -> tuple[int, int]:
    catalogue_path = refresh(app, lang)
    if not catalogue_path.exists():
        return 0, 0
    catalogue = polib.pofile(str(catalogue_path))
    fill_header(catalogue, lang)
    filled = 0
    for entry in catalogue:
        draft = translated.get((entry.msgctxt, entry.msgid))
        if draft is None or (entry.translated() and "fuzzy" not in entry.flags):
            continue
        entry.msgstr = draft.msgstr
        if draft.msgstr_plural:
            entry.msgstr_plural = dict(draft.msgstr_plural)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    catalogue.save(str(catalogue_path))
    catalogue.save_as_mofile(str(catalogue_path.with_suffix(".mo")))
    missing = sum(1 for entry in catalogue if not entry.translated() and not entry.obsolete)
    return filled, missing


if __name__ == "__main__":
    for language in sys.argv[1:] or languages():
        translated = drafts(language)
        for app_name in APPS:
            filled, missing = apply(app_name, language, translated)
            print(f"{app_name} {language}: {filled} filled from drafts, {missing} untranslated")
