"""Certificates in Bengali: Bengali digits on the paper and the verification page, ASCII in the
signed credential; a holder name in another script than the page's carries its lang."""

import json
import re

from django.utils import timezone

from foundation.numerals import to_native
from tests.certification.test_rendering import contains, drawn_glyphs, harfbuzz_glyphs
from tests.foundation.test_pages_http import machine_attributes_with_native_digits

NATIVE_DIGIT = re.compile("[০-৯༠-༩]")


def test_the_signed_credential_of_a_bengali_certificate_keeps_ascii_digits(client, bengali_course, citizen, issue):
    certificate = issue(citizen, bengali_course)
    assert certificate.language == "bn"
    body = client.get(f"/certificates/{certificate.pk}/credential.json").content.decode()
    assert not NATIVE_DIGIT.search(body)
    credential = json.loads(body)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)", credential["validFrom"])


def test_the_bengali_certificate_prints_its_dates_in_bengali_digits(bengali_course, citizen, issue):
    certificate = issue(citizen, bengali_course)
    year = to_native(str(timezone.localdate().year), "bn", force=True)
    drawn = drawn_glyphs(certificate.pdf.read(), font_file="NotoSerifBengali-Regular.ttf")
    assert contains(drawn, harfbuzz_glyphs(year, "NotoSerifBengali-Regular.ttf"))


def test_the_bengali_verification_page_prints_bengali_digits(client, bengali_course, citizen, issue):
    certificate = issue(citizen, bengali_course)
    html = client.get(f"/bn/v/{certificate.pk}").content.decode()
    year = to_native(str(timezone.localdate().year), "bn", force=True)
    assert re.search(rf"<dd>[০-৯]+ [^<0-9]+ {year}</dd>", html)
    assert f"<code>{certificate.pk}</code>" in html  # the id stays as issued
    assert machine_attributes_with_native_digits(html) == []


def test_a_bengali_holder_name_on_the_english_page_carries_lang(client, bengali_course, citizen, officer, issue):
    bengali = issue(citizen, bengali_course)
    html = client.get(f"/en/v/{bengali.pk}").content.decode()
    assert f'<dd lang="bn">{bengali.recipient_name}</dd>' in html
    english = client.get(f"/bn/v/{issue(officer, bengali_course).pk}").content.decode()
    assert '<dd lang="en">Nusrat Jahan</dd>' in english
    assert '<dd lang="bn">রহিম' not in client.get(f"/bn/v/{bengali.pk}").content.decode()
