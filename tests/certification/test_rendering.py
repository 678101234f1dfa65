import base64
import io
import json
import secrets
import zlib
from functools import lru_cache

import pytest
import uharfbuzz as hb
from django.utils import timezone
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from certification import rendering
from certification.paper_qr import QR_MAX_VERSION, PaperQRError, credential_from_qr_text, paper_qr
from certification.qr_symbols import FIXED_MASK
from certification.rendering import FONTS_DIR
from tests.factories import CoursePageFactory, UserFactory

BENGALI_NAME = "রহিম উদ্দিন"
# Tashi Dorji: ཀྲ, རྡ and རྗ are stacks (a consonant with another written below it).
DZONGKHA_NAME = "བཀྲ་ཤིས་རྡོ་རྗེ་"
# "E-governance": གློ, གཞུ (a vowel below a consonant) and the three-high stack སྐྱོ.
DZONGKHA_TITLE = "གློག་རིག་གཞུང་སྐྱོང་"


def _look(font: TTFont, glyph_name: str) -> tuple[int, str]:
    """A glyph as it prints: its advance and its outline, with components drawn in place."""
    glyphs = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[glyph_name].draw(pen)
    return font["hmtx"][glyph_name][0], repr(pen.value)


@lru_cache
def shipped_font(font_file: str) -> tuple[dict[tuple[int, str], int], list[int]]:
    """The shipped font's glyphs by look, and each glyph id's canonical id (the first glyph that looks the same).

    Renderers renumber glyphs when they subset a font (reportlab does; WeasyPrint keeps the ids), so
    the PDF is compared with HarfBuzz by what the glyphs look like, never by the numbers in the PDF.
    """
    font = TTFont(str(FONTS_DIR / font_file))
    by_look: dict[tuple[int, str], int] = {}
    canonical = [by_look.setdefault(_look(font, name), gid) for gid, name in enumerate(font.getGlyphOrder())]
    return by_look, canonical


def _decoder(pdf_font, by_look):
    """Turns the bytes of a text-showing operator into the shipped font's glyph ids.

    Fonts that are not a subset of the shipped font (another font, or no embedded TrueType) decode to nothing.
    """
    if pdf_font["/Subtype"] == "/Type0":  # WeasyPrint: Identity-H, two bytes per glyph
        cid_font = pdf_font["/DescendantFonts"][0].get_object()
        descriptor, width = cid_font["/FontDescriptor"].get_object(), 2
        cid_to_gid = cid_font.get("/CIDToGIDMap", "/Identity")
        table = None if cid_to_gid == "/Identity" else cid_to_gid.get_object().get_data()
        embedded = None
    elif pdf_font["/Subtype"] == "/TrueType":  # reportlab (xhtml2pdf): one byte per glyph, through the font's cmap
        descriptor, width, table = pdf_font["/FontDescriptor"].get_object(), 1, None
    else:
        return lambda raw: []
    if "/FontFile2" not in descriptor:
        return lambda raw: []
    embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    order = embedded.getGlyphOrder()
    looks = {gid: by_look.get(_look(embedded, name)) for gid, name in enumerate(order)}
    if any(found is None for gid, found in looks.items() if gid):  # glyph 0 is .notdef in every font
        return lambda raw: []
    if width == 1:
        code_to_gid = {}
        for cmap in embedded["cmap"].tables:
            for code, name in cmap.cmap.items():
                code_to_gid.setdefault(code & 0xFF, embedded.getGlyphID(name))

        def gid_of(code: int) -> int:
            return code_to_gid.get(code, 0)
    elif table is None:

        def gid_of(code: int) -> int:
            return code
    else:

        def gid_of(code: int) -> int:
            return int.from_bytes(table[2 * code : 2 * code + 2], "big")

    return lambda raw: [looks[gid_of(int.from_bytes(raw[i : i + width], "big"))] for i in range(0, len(raw), width)]


def drawn_glyphs(pdf: bytes, *, font_file: str) -> list[int]:
    """The (canonical) glyph ids of the shipped ``font_file`` that the PDF draws, in drawing order."""
    by_look, _canonical = shipped_font(font_file)
    reader = PdfReader(io.BytesIO(pdf))
    glyphs = []
    for page in reader.pages:
        decoders = {name: _decoder(font.get_object(), by_look) for name, font in page["/Resources"]["/Font"].items()}
        decode = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                decode = decoders[operands[0]]
            elif operator in (b"TJ", b"Tj") and decode is not None:
                for item in operands[0] if operator == b"TJ" else [operands[0]]:
                    raw = getattr(item, "original_bytes", None)  # strings; the numbers between are positioning
                    if raw is not None:
                        glyphs += decode(raw)
    return glyphs


def harfbuzz_glyphs(text: str, font_file: str) -> list[int]:
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(FONTS_DIR / font_file))))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return [shipped_font(font_file)[1][info.codepoint] for info in buffer.glyph_infos]


def unshaped_glyphs(text: str, font_file: str) -> list[int]:
    """What a renderer that does no shaping draws: one cmap glyph per character, in logical order."""
    font = TTFont(str(FONTS_DIR / font_file))
    cmap = font.getBestCmap()
    return [shipped_font(font_file)[1][font.getGlyphID(cmap[ord(char)])] for char in text]


def contains(haystack: list[int], needle: list[int]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def without(glyphs: list[int], dropped: set[int]) -> list[int]:
    return [glyph for glyph in glyphs if glyph not in dropped]


def shaping_in(pdf: bytes, text: str, font_file: str) -> tuple[bool, bool]:
    """Whether the PDF draws ``text`` as HarfBuzz shapes it, and whether it draws it unshaped."""
    spaces = set(harfbuzz_glyphs(" ", font_file))
    shaped = without(harfbuzz_glyphs(text, font_file), spaces)
    naive = without(unshaped_glyphs(text, font_file), spaces)
    # The text needs shaping (reordering, conjuncts, stacks), so a renderer that does not shape
    # draws a different glyph sequence: the comparison can tell the two apart.
    assert shaped != naive
    drawn = without(drawn_glyphs(pdf, font_file=font_file), spaces)
    return contains(drawn, shaped), contains(drawn, naive)


def test_bengali_name_is_drawn_with_harfbuzz_shaping(bengali_course, citizen, issue):
    certificate = issue(citizen, bengali_course)
    assert certificate.renderer == "weasyprint"
    # The name is set in bold; the i-vowel sign moves before its consonant and দ্দ forms a conjunct.
    assert shaping_in(certificate.pdf.read(), BENGALI_NAME, "NotoSerifBengali-Bold.ttf") == (True, False)


def test_dzongkha_name_and_course_title_are_drawn_with_harfbuzz_shaping(tree, issue):
    course = CoursePageFactory(parent=tree.catalogue, title=DZONGKHA_TITLE, slug="e-governance-dz")
    learner = UserFactory(username="tashi", first_name=DZONGKHA_NAME, last_name="", email="tashi@example.bt")
    certificate = issue(learner, course)
    assert certificate.renderer == "weasyprint"
    assert certificate.recipient_name == DZONGKHA_NAME and certificate.course_title == DZONGKHA_TITLE
    pdf = certificate.pdf.read()
    # Name and course title are both set in bold; the stacks are ligatures in Noto Serif Tibetan.
    assert shaping_in(pdf, DZONGKHA_NAME, "NotoSerifTibetan-Bold.ttf") == (True, False)
    assert shaping_in(pdf, DZONGKHA_TITLE, "NotoSerifTibetan-Bold.ttf") == (True, False)
    assert "CertTibetan-Bold" in {
        font.get_object()["/BaseFont"].partition("+")[2]
        for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
    }


@pytest.mark.parametrize(
    ("text", "font_file"),
    [(BENGALI_NAME, "NotoSerifBengali-Bold.ttf"), (DZONGKHA_NAME, "NotoSerifTibetan-Bold.ttf")],
)
def test_glyph_comparison_rejects_a_renderer_that_does_not_shape(text, font_file):
    """xhtml2pdf, given the very font, draws one glyph per character: the comparison catches it."""
    family = font_file.removesuffix("-Bold.ttf")
    html = (
        '<html><head><meta charset="utf-8"><style>'
        f'@font-face {{ font-family: "{family}"; src: url("fonts/{font_file}"); font-weight: bold; }}'
        f"p {{ font-family: {family}; font-weight: bold; font-size: 24pt; }}"
        f"</style></head><body><p>{text}</p></body></html>"
    )
    assert shaping_in(rendering.render_pdf_xhtml2pdf(html), text, font_file) == (False, True)
    assert shaping_in(rendering.render_pdf_weasyprint(html), text, font_file) == (True, False)


def test_the_dzongkha_certificate_page_through_xhtml2pdf_fails_the_check():
    """The same certificate page, given to the renderer that does not shape, does not pass."""
    now = timezone.now()
    content = rendering.CertificateContent(
        certificate_id="00000000-0000-4000-8000-000000000000",
        recipient_name=DZONGKHA_NAME,
        course_title=DZONGKHA_TITLE,
        credit_hours=None,
        accrediting_body="",
        issuer_name="Learning Suite",
        completed_at=now,
        issued_at=now,
        valid_until=None,
        language="en",
        verify_url="https://learning.example.gov.bd/v/00000000-0000-4000-8000-000000000000",
    )
    assert rendering.renderer_for(content) == "weasyprint"
    qr = paper_qr(content.verify_url, b"{}")
    html = rendering.render_html(content, qr_image=rendering.qr_data_uri(qr.code))
    unshaped, shaped = rendering.render_pdf_xhtml2pdf(html), rendering.render_pdf_weasyprint(html)
    for text in (DZONGKHA_NAME, DZONGKHA_TITLE):
        assert shaping_in(unshaped, text, "NotoSerifTibetan-Bold.ttf") == (False, True)
        assert shaping_in(shaped, text, "NotoSerifTibetan-Bold.ttf") == (True, False)


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
    qr = paper_qr(url, raw)
    assert qr.text.startswith(url + "#vc=B") and qr.code.version <= QR_MAX_VERSION
    assert qr.code.encoder in {"libqrencode", "segno"}
    assert qr.code.mask == FIXED_MASK  # encoded with one mask, no search among the eight
    assert credential_from_qr_text(qr.text) == raw
    assert json.loads(rendering.read_credential_file(qr.text.encode()))["id"] == certificate.credential_id
    too_big = json.dumps({"padding": secrets.token_hex(2000)}).encode()
    assert paper_qr(url, too_big).text == url


def test_qr_payloads_of_certificates_issued_before_base32_still_read():
    raw = b'{"id":"urn:uuid:00000000-0000-4000-8000-000000000000"}'
    legacy = "https://x/v/1#vc=" + base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode()
    assert credential_from_qr_text(legacy) == raw


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda text: text[: len(text) // 2], "truncated"),
        (lambda text: text[:-12] + "AAAAAAAAAAAA", "damaged"),
        (lambda text: text + "!", "base32"),
        (lambda text: text.split("#vc=")[0] + "#vc=", "empty"),
    ],
)
def test_a_damaged_qr_payload_is_named(mangle, message):
    text = paper_qr("https://x/v/1", json.dumps({"a": "b" * 300}).encode()).text
    with pytest.raises(PaperQRError, match=message):
        credential_from_qr_text(mangle(text))
    with pytest.raises(rendering.CredentialFileError, match="QR payload"):
        rendering.read_credential_file(mangle(text).encode())


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"%PDF-1.7 truncated", "PDF"), (b"\x89PNG\r\n\x1a\n broken", "image"), (b"GIF89a", "Expected a credential")],
)
def test_unreadable_files_are_reported(data, message):
    with pytest.raises(rendering.CredentialFileError, match=message):
        rendering.read_credential_file(data)


def test_the_baked_credential_is_an_uncompressed_itxt_chunk(accredited_course, officer, issue):
    """OB 3.0 baking: keyword ``openbadgecredential``, compression flag 0, the exact bytes as text."""
    certificate = issue(officer, accredited_course)
    png, chunks, at = certificate.badge.read(), {}, 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        assert zlib.crc32(kind + data) == int.from_bytes(png[at + 8 + length : at + 12 + length], "big")
        chunks.setdefault(kind, []).append(data)
        at += 12 + length
    [itxt] = chunks[b"iTXt"]
    keyword, _, rest = itxt.partition(b"\0")
    assert keyword == b"openbadgecredential" and rest[:2] == b"\0\0"  # not compressed, method 0
    assert rest[2:].split(b"\0", 2)[2] == certificate.credential.encode("utf-8")
    assert list(chunks)[-1] == b"IEND"
