"""Which script a text is in, and the lang attribute that follows from it."""

from django.template import Context, Template
from django.utils import translation

from foundation.scripts import foreign_script_language, script_language


def test_the_script_of_names_and_titles():
    assert script_language("নুসরাত জাহান") == "bn"
    assert script_language("བཀྲ་ཤིས་རྡོ་རྗེ་") == "dz"
    assert script_language("Nusrat Jahan") == "en"
    assert script_language("Nusrat জাহান জাহান") == "bn"  # the majority of letters
    assert script_language("12 - 34") is None


def test_lang_only_for_text_in_another_script_than_the_page():
    assert foreign_script_language("নুসরাত", "en") == "bn"
    assert foreign_script_language("নুসরাত", "bn") is None
    assert foreign_script_language("Nusrat", "bn") == "en"
    template = Template("{% load reader_script %}<span{{ name|lang_attr }}>{{ name }}</span>")
    with translation.override("en"):
        assert template.render(Context({"name": "নুসরাত"})) == '<span lang="bn">নুসরাত</span>'
        assert template.render(Context({"name": "Nusrat"})) == "<span>Nusrat</span>"
