import io
import json
import secrets

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from certification import rendering
from certification.rendering import FONTS_DIR

BENGALI_NAME = "রহিম উদ্দিন"


def drawn_glyphs(pdf: bytes, *, font_name: str) -> list[int]:
    """Glyph ids the PDF draws with the embedded font whose name ends with ``font_name``.

    WeasyPrint embeds fonts as Identity-H CID fonts and subsets them keeping the original glyph
    ids, so these ids are directly comparable with HarfBuzz's output for the shipped TTF.
    """
    reader = PdfReader(io.BytesIO(pdf))
    glyphs = []
    for page in reader.pages:
        fonts = {name: font.get_object() for name, font in page["/Resources"]["/Font"].items()}
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = fonts[operands[0]]
            elif operator in (b"TJ", b"Tj") and current is not None and current["/BaseFont"].endswith(font_name):
                for item in operands[0] if operator == b"TJ" else [operands[0]]:
                    raw = getattr(item, "original_bytes", None)  # strings; the numbers between are kerning
                    if raw is not None:
                        glyphs += [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
    return glyphs


def harfbuzz_glyphs(text: str, font_file: str) -> list[int]:
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(FONTS_DIR / font_file))))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]


def unshaped_glyphs(text: str, font_file: str) -> list[int]:
    """What a renderer that does no shaping draws: one cmap glyph per character, in logical order."""
    font = TTFont(str(FONTS_DIR / font_file))
    cmap = font.getBestCmap()
    return [font.getGlyphID(cmap[ord(char)]) for char in text]


def contains(haystack: list[int], needle: list[int]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def without(glyphs: list[int], dropped: set[int]) -> list[int]:
    return [glyph for glyph in glyphs if glyph not in dropped]


def test_bengali_name_is_drawn_with_harfbuzz_shaping(bengali_course, citizen, issue):
    certificate = issue(citizen, bengali_course)
    assert certificate.renderer == "weasyprint"
    font_file = "NotoSerifBengali-Bold.ttf"  # the name is set in bold
    spaces = {harfbuzz_glyphs(" ", font_file)[0]}
    shaped = without(harfbuzz_glyphs(BENGALI_NAME, font_file), spaces)
    naive = without(unshaped_glyphs(BENGALI_NAME, font_file), spaces)
    # The name needs shaping (the i-vowel sign moves before its consonant, দ্দ forms a conjunct),
    # so a renderer that does not shape draws a different glyph sequence and fails this test.
    assert shaped != naive
    drawn = without(drawn_glyphs(certificate.pdf.read(), font_name="CertBengali-Bold"), spaces)
    assert contains(drawn, shaped), (drawn, shaped)
    assert not contains(drawn, naive)


def test_same_template_routes_latin_to_xhtml2pdf(accredited_course, officer, issue):
    certificate = issue(officer, accredited_course)
    assert certificate.renderer == "xhtml2pdf"
    reader = PdfReader(certificate.pdf.open("rb"))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    text = reader.pages[0].extract_text()
    assert "Nusrat Jahan" in text and "4.5" in text and str(certificate.pk) in text


def test_needs_shaping_detects_complex_scripts():
    assert rendering.needs_shaping("Nusrat", BENGALI_NAME)
    assert rendering.needs_shaping("རྫོང་ཁ")  # Dzongkha, Tibetan script
    assert not rendering.needs_shaping("Nusrat Jahan", "Digital governance — 2026")


def test_credential_attached_to_the_pdf_and_baked_into_the_badge(accredited_course, officer, issue):
    certificate = issue(officer, accredited_course)
    raw = certificate.credential.encode("utf-8")
    assert rendering.credential_from_pdf(certificate.pdf.read()) == raw
    assert rendering.credential_from_badge(certificate.badge.read()) == raw
    assert Image.open(certificate.badge.open("rb")).size == (400, 400)


def test_qr_carries_the_credential_when_it_fits(accredited_course, officer, issue):
    certificate = issue(officer, accredited_course)
    raw = certificate.credential.encode("utf-8")
    url = f"https://learning.example.gov.bd/v/{certificate.pk}"
    text = rendering.qr_text(url, raw)
    assert text.startswith(url + "#vc=")
    assert rendering.credential_from_qr_text(text) == raw
    assert json.loads(rendering.read_credential_file(text.encode()))["id"] == certificate.credential_id
    too_big = json.dumps({"padding": secrets.token_hex(2000)}).encode()
    assert rendering.qr_text(url, too_big) == url


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"%PDF-1.7 truncated", "PDF"), (b"\x89PNG\r\n\x1a\n broken", "image"), (b"GIF89a", "Expected a credential")],
)
def test_unreadable_files_are_reported(data, message):
    with pytest.raises(rendering.CredentialFileError, match=message):
        rendering.read_credential_file(data)
