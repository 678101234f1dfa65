"""Certificate PDFs, the QR code on them and the baked badge image.

xhtml2pdf is the named renderer and is fast, but it does not shape complex scripts: Bengali
conjuncts fall apart and vowel signs land on the wrong side of their consonant. A certificate
whose text needs shaping goes to WeasyPrint (Pango + HarfBuzz) with the very same template and
fonts; everything else stays on xhtml2pdf.
"""

import base64
import io
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps
from pypdf import PdfReader

from foundation import json_input
from foundation.numerals import language_digits

from .paper_qr import FRAGMENT_KEY, PaperQRError, credential_from_qr_text
from .pdf_attachment import ATTACHMENT_NAME, attach_credential
from .qr_symbols import QRSymbol

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
BADGE_KEYWORD = "openbadgecredential"

# Scripts whose rendering needs HarfBuzz-style shaping (reordering, conjuncts, mark positioning).
COMPLEX_SCRIPT_RANGES = (
    (0x0900, 0x0DFF),  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala
    (0x0E00, 0x0FFF),  # Thai, Lao, Tibetan (Dzongkha)
    (0x1000, 0x109F),  # Myanmar
    (0x0600, 0x06FF),  # Arabic
    (0x1780, 0x17FF),  # Khmer
)


class CredentialFileError(ValueError):
    """A PDF or image that does not carry a credential (or is not a PDF or image at all)."""


def needs_shaping(*texts: str) -> bool:
    return any(low <= ord(char) <= high for text in texts for char in text for low, high in COMPLEX_SCRIPT_RANGES)


@dataclass(frozen=True)
class CertificateContent:
    """What a certificate says, exactly as printed."""

    certificate_id: str
    recipient_name: str
    course_title: str
    credit_hours: Decimal | None
    accrediting_body: str
    issuer_name: str
    completed_at: datetime
    issued_at: datetime
    valid_until: datetime | None
    language: str
    verify_url: str
    layout: str = "official"
    accent_colour: str = "#006a4e"
    signatory_name: str = ""
    signatory_title: str = ""
    programme_courses: tuple[str, ...] = ()  # a programme's certificate lists its courses


_LIGHT_PIXELS = bytes([255, 0]) + bytes(254)  # a module byte (1 = dark) to a grey pixel (0 = black)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def qr_data_uri(code: QRSymbol, *, scale: int = 4, border: int = 2) -> str:
    """The printed QR as a PNG data URI (both renderers draw PNG; xhtml2pdf draws no SVG).

    A 1-bit greyscale PNG written directly: Pillow widens the modules (one pixel a module, then
    ``scale`` pixels, no smoothing) and packs them 8 to a byte; each packed row is repeated ``scale``
    times and deflated at level 1. The same pixels as a scaled Pillow image saved as PNG, in half
    the time (the 2-D resize and Pillow's PNG writer were most of it).
    """
    image = Image.frombytes("L", (code.width, code.width), code.modules.translate(_LIGHT_PIXELS))
    image = ImageOps.expand(image, border=border, fill=255)
    side = image.width * scale
    packed = image.resize((side, image.height), Image.NEAREST).convert("1", dither=Image.Dither.NONE).tobytes()
    stride = (side + 7) // 8
    rows = b"".join((b"\x00" + packed[at : at + stride]) * scale for at in range(0, len(packed), stride))
    png = (
        _PNG_SIGNATURE
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))  # 1 bit, grey
        + _png_chunk(b"IDAT", zlib.compress(rows, 1))
        + _png_chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def qr_svg_data_uri(text: str) -> str:
    """A QR code for a screen (the wallet offer): SVG scales sharply to any width. Error level L at
    least (raised while the version stays the same): a screen is clean, and fewer modules scan easier."""
    return segno.make_qr(text, error="l").svg_data_uri(scale=1, border=4, dark="#000", light="#fff")


def render_html(content: CertificateContent, *, qr_image: str) -> str:
    with translation.override(content.language):
        return render_to_string(
            "certification/certificate.html", {"c": content, "qr_image": qr_image, "fonts": "fonts"}
        )


def _font_link(uri: str, rel: str) -> str:
    if uri.startswith("fonts/"):
        path = (FONTS_DIR / uri.removeprefix("fonts/")).resolve()
        if path.parent == FONTS_DIR and path.exists():
            return str(path)
    return uri


def render_pdf_xhtml2pdf(html: str) -> bytes:
    from xhtml2pdf import pisa

    output = io.BytesIO()
    status = pisa.CreatePDF(html, dest=output, link_callback=_font_link, encoding="utf-8", path=str(FONTS_DIR))
    if status.err:
        raise RuntimeError(f"xhtml2pdf could not render the certificate ({status.err} errors)")
    return output.getvalue()


def render_pdf_weasyprint(html: str, *, credential: bytes | None = None) -> bytes:
    """The PDF, with ``credential.json`` embedded by WeasyPrint itself when a credential is given."""
    from weasyprint import HTML, Attachment
    from weasyprint.urls import URLFetcher

    class ShippedFilesOnly(URLFetcher):
        """Reads the shipped fonts and data: URIs; anything else stops the rendering."""

        def fetch(self, url, headers=None):
            if not (url.startswith("data:") or url.startswith(FONTS_DIR.as_uri() + "/")):
                raise ValueError(f"Refusing to fetch {url} while rendering a certificate")
            return super().fetch(url, headers)

    fetcher = ShippedFilesOnly(allowed_protocols={"file", "data"}, fail_on_errors=True)
    attachments = (
        [Attachment(string=credential, name=ATTACHMENT_NAME, relationship="Data")] if credential is not None else []
    )
    document = HTML(string=html, base_url=FONTS_DIR.parent.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(attachments=attachments)


def renderer_for(content: CertificateContent) -> str:
    texts = (content.recipient_name, content.course_title, content.accrediting_body, content.issuer_name)
    # Bengali and Dzongkha certificates print their dates and hours in Bengali or Tibetan digits.
    native_digits = language_digits(content.language) is not None
    return "weasyprint" if needs_shaping(*texts) or native_digits else "xhtml2pdf"


def render_certificate(content: CertificateContent, *, credential: bytes, qr: QRSymbol) -> tuple[bytes, str]:
    """The A4 landscape PDF with ``credential.json`` attached, and the name of the renderer used."""
    renderer = renderer_for(content)
    html = render_html(content, qr_image=qr_data_uri(qr))
    if renderer == "weasyprint":
        return render_pdf_weasyprint(html, credential=credential), renderer
    return attach_credential(render_pdf_xhtml2pdf(html), credential), renderer


def credential_from_pdf(data: bytes) -> bytes:
    try:
        contents = PdfReader(io.BytesIO(data)).attachments.get(ATTACHMENT_NAME)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many unrelated types on damaged files
        raise CredentialFileError(_("Not a readable PDF: %(error)s") % {"error": exc}) from exc
    if not contents:
        raise CredentialFileError(_("The PDF has no %(file)s attached.") % {"file": ATTACHMENT_NAME})
    return contents[0]


@lru_cache(maxsize=64)
def _badge_image(label: str, accent_colour: str) -> bytes:
    """The seal PNG without the credential: the same for every certificate of a course."""
    size = 400
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size - 10, size - 10), fill=accent_colour)
    draw.ellipse((40, 40, size - 40, size - 40), outline="white", width=6)
    font = ImageFont.truetype(str(FONTS_DIR / "NotoSerif-Bold.ttf"), 44)
    small = ImageFont.truetype(str(FONTS_DIR / "NotoSerif-Regular.ttf"), 26)
    draw.text((size / 2, size / 2 - 20), label[:14], font=font, fill="white", anchor="mm")
    draw.text((size / 2, size / 2 + 40), "Certified", font=small, fill="white", anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def baked_badge(credential: bytes, *, label: str, accent_colour: str = "#006a4e") -> bytes:
    """A 400 px seal image with the credential baked into an iTXt chunk (Open Badges 3.0 baking).

    The chunk is uncompressed (compression flag 0; the OB 3.0 baking section says compression MUST
    NOT be used) and goes just before IEND, so the seal itself is drawn once per course and label.
    """
    png = _badge_image(label, accent_colour)
    itxt = BADGE_KEYWORD.encode("latin-1") + b"\0\0\0\0\0" + credential
    end = png.rindex(b"IEND") - 4
    return png[:end] + _png_chunk(b"iTXt", itxt) + png[end:]


def credential_from_badge(data: bytes) -> bytes:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise CredentialFileError(_("Not a readable image: %(error)s") % {"error": exc}) from exc
    if image.format != "PNG":
        raise CredentialFileError(_("Baked badges are PNG images."))
    text = getattr(image, "text", {}).get(BADGE_KEYWORD)
    if not text:
        raise CredentialFileError(_("The PNG has no %(chunk)s chunk.") % {"chunk": BADGE_KEYWORD})
    return text.encode("utf-8")


def read_credential_file(data: bytes) -> bytes:
    """The credential bytes from a JSON file, a certificate PDF or a baked PNG, by content sniffing."""
    if data.startswith(b"%PDF"):
        return credential_from_pdf(data)
    if data.startswith(b"\x89PNG"):
        return credential_from_badge(data)
    if data.lstrip().startswith(b"{"):
        return data
    if data.startswith(b"http") and FRAGMENT_KEY.encode() in data:
        try:
            payload = credential_from_qr_text(data.decode("ascii"))
        except (UnicodeDecodeError, PaperQRError) as exc:
            raise CredentialFileError(_("The QR payload is damaged: %(error)s") % {"error": exc}) from exc
        if payload:
            return payload
    raise CredentialFileError(_("Expected a credential as JSON, a certificate PDF or a baked PNG badge."))


def parse_credential(data: bytes) -> dict[str, Any]:
    try:
        credential = json_input.loads(data)
    except json_input.JsonInputError as exc:
        raise CredentialFileError(_("The credential is not valid JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(credential, dict):
        raise CredentialFileError(_("The credential must be a JSON object."))
    return credential
