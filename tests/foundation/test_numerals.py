"""The formatting layer on its own: digits in the page's script, never in machine formats."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from foundation import numerals
from foundation.forms import accepts_native_digits

TEMPLATE = Template(
    '{% load i18n l10n reader_script %}{{ n }}|{{ d|date:"j F Y" }}|{{ d|date:"c" }}|{{ x|floatformat:"-1" }}'
    "|{{ n|unlocalize }}|{% blocktranslate count counter=n %}{{ counter }} course{% plural %}{{ counter }} courses"
    '{% endblocktranslate %}|{{ 45|percent }}|{{ 3900|duration }}|{{ t|time:"H:i" }}'
)
CONTEXT = {"n": 1234, "d": datetime.date(2026, 12, 1), "x": Decimal("2.5"), "t": datetime.time(9, 5)}


def render(language: str) -> list[str]:
    with translation.override(language):
        return TEMPLATE.render(Context(CONTEXT)).split("|")


def test_bengali_pages_print_bengali_digits_and_month_names():
    number, date, iso, decimal, raw, count, percent, duration, time = render("bn")
    assert number == "১২৩৪" and decimal == "২.৫" and time == "০৯:০৫"
    assert date == "১ ডিসেম্বর ২০২৬"
    assert count.startswith("১২৩৪") and percent == "৪৫%"
    assert duration == "১ ঘণ্টা ৫ মিনিট"
    assert iso == "2026-12-01" and raw == "1234"  # machine formats stay ASCII


def test_dzongkha_pages_print_tibetan_digits_and_month_names():
    number, date, iso, decimal, raw, _count, percent, duration, _time = render("dz")
    assert number == "༡༢༣༤" and decimal == "༢.༥" and percent == "༤༥%"
    assert date == "༡ ཟླ་བཅུ་གཉིས་པ ༢༠༢༦"
    assert duration == "ཆུ་ཚོད་ ༡ སྐར་མ་ ༥"
    assert iso == "2026-12-01" and raw == "1234"


def test_english_pages_keep_ascii_digits():
    assert render("en")[:2] == ["1234", "1 December 2026"]


def test_the_layer_can_be_switched_off_for_a_block():
    with translation.override("bn"), numerals.native_digits_off():
        assert TEMPLATE.render(Context(CONTEXT)).split("|")[0] == "1234"
        assert numerals.to_native("12", force=True) == "১২"


def test_any_script_digits_read_as_ascii():
    assert numerals.to_ascii("০১৭১২-৩৪৫ ༦༧ ٨٩ १") == "01712-345 67 89 1"
    assert numerals.to_ascii("রহিম") == "রহিম"


@pytest.mark.parametrize(
    ("field", "accepts"),
    [
        (forms.IntegerField(), True),
        (forms.DecimalField(), True),
        (forms.DateField(), True),
        (forms.CharField(widget=forms.TextInput(attrs={"inputmode": "tel"})), True),
        (forms.CharField(), False),
        (forms.EmailField(), False),
    ],
)
def test_which_fields_read_native_digits(field, accepts):
    assert accepts_native_digits(field) is accepts


def test_a_form_reads_bengali_and_tibetan_digits():
    class Form(forms.Form):
        count = forms.IntegerField(max_value=200)
        hours = forms.DecimalField()
        due_on = forms.DateField()
        name = forms.CharField()

    form = Form({"count": "১২৩", "hours": "༢.༥", "due_on": "২০২৬-১২-০১", "name": "রহিম ১"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "count": 123,
        "hours": Decimal("2.5"),
        "due_on": datetime.date(2026, 12, 1),
        "name": "রহিম ১",  # free text keeps what was typed
    }
    with translation.override("bn"):
        too_many = Form({"count": "৩০০", "hours": "1", "due_on": "2026-12-01", "name": "x"})
        assert not too_many.is_valid()
        assert "২০০" in numerals.to_native(too_many.errors["count"][0])
