"""Every app's catalogues: complete in Bengali and Dzongkha, Dzongkha marked machine-drafted, and the
compiled form the one committed (each app carries its own, so an installed app brings it along)."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["foundation", "courses", "lms", "certification", "api"]
CATALOGUES = [(app, lang) for app in APPS for lang in ("bn", "dz")]


def _folder(app: str, lang: str) -> Path:
    return ROOT / app / "locale" / lang / "LC_MESSAGES"


@pytest.mark.parametrize(("app", "lang"), CATALOGUES)
def test_every_ui_string_is_translated(app, lang):
    catalogue = polib.pofile(str(_folder(app, lang) / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) > 5


@pytest.mark.parametrize("app", APPS)
def test_dzongkha_covers_bengali_and_says_it_is_machine_drafted(app):
    dzongkha = polib.pofile(str(_folder(app, "dz") / "django.po"))
    bengali = polib.pofile(str(_folder(app, "bn") / "django.po"))
    assert {(e.msgctxt, e.msgid) for e in bengali} <= {(e.msgctxt, e.msgid) for e in dzongkha}
    assert dzongkha.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "MACHINE-DRAFTED" in dzongkha.header and "native Dzongkha reviewer" in dzongkha.header


@pytest.mark.parametrize(("app", "lang"), CATALOGUES)
def test_compiled_catalogue_matches_the_source(app, lang):
    folder = _folder(app, lang)
    source = {(e.msgid, e.msgctxt): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(folder / "django.po"))}
    compiled = {
        (e.msgid, e.msgctxt): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(folder / "django.mo"))
    }
    compiled.pop(("", None), None)
    assert compiled == {key: value for key, value in source.items() if key[0]}
