"""The Bengali catalogue is complete and its compiled form is the one committed."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "bn" / "LC_MESSAGES"


def test_every_ui_string_has_a_bengali_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) > 50


def test_compiled_catalogue_matches_the_source():
    source = {(e.msgid, e.msgctxt): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(LOCALE / "django.po"))}
    compiled = {
        (e.msgid, e.msgctxt): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(LOCALE / "django.mo"))
    }
    compiled.pop(("", None), None)
    assert compiled == {key: value for key, value in source.items() if key[0]}
