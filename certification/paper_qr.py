"""The QR code printed on a certificate: the verification URL with the whole signed credential in
its fragment, encoded once.

``https://<host>/v/<id>#vc=B<BASE32(zlib(credential bytes))>``

- A phone's camera app opens the verification page; the fragment never reaches the server.
- An offline verifier takes the fragment, reads the multibase prefix ``B`` (RFC 4648 base32, upper
  case, no padding), inflates the zlib stream (RFC 1950) and gets the credential's exact signed bytes.
- Base32 uses only QR "alphanumeric" characters, so the payload is a segment of its own in that
  mode (5.5 bits a character, 8.8 bits a credential byte, against 10.7 for base64 in byte mode),
  and it stays URL-safe (base45 would be denser but has a space and ``%``, which camera apps
  treat as the end of a URL or an escape).
- The code is encoded once (``qr_symbols``: libqrencode when installed, else segno with a fixed mask).
- Why not CBOR-LD: it replaces JSON-LD terms and typed values by integers but keeps text, hashes
  and most URLs verbatim, and our credentials are mostly text: the demo Bengali credential is
  1,838 bytes as CBOR-LD and 1,181 as deflated JSON (docs/certification.md has the figures).

Old certificates carry ``#vc=<base64url(zlib(...))>`` (no multibase prefix); they still decode.
"""

import base64
import binascii
import zlib
from dataclasses import dataclass

from .qr_symbols import QRCapacityError, QRSymbol, encode

QR_MAX_VERSION = 27  # 125 modules: 0.36 mm each at the printed 45 mm, still easy for a phone camera
FRAGMENT_KEY = "#vc="
BASE32_PREFIX = "B"


class PaperQRError(ValueError):
    """QR text that does not carry a readable credential: truncated, altered or not ours at all."""


@dataclass(frozen=True)
class PaperQR:
    text: str
    code: QRSymbol

    @property
    def carries_credential(self) -> bool:
        return FRAGMENT_KEY in self.text


def payload(credential: bytes) -> str:
    """The fragment's value for ``credential``: ``B`` + base32 of its zlib stream."""
    return BASE32_PREFIX + base64.b32encode(zlib.compress(credential, 9)).decode("ascii").rstrip("=")


def paper_qr(verify_url: str, credential: bytes) -> PaperQR:
    """The certificate's QR code, encoded once: the URL in byte mode, the payload in alphanumeric mode.

    Only a credential too large for ``QR_MAX_VERSION`` falls back to the URL alone (a second encoding).
    """
    prefix = f"{verify_url}{FRAGMENT_KEY}"
    body = payload(credential)
    try:
        return PaperQR(prefix + body, encode([(prefix, "byte"), (body, "alphanumeric")], max_version=QR_MAX_VERSION))
    except QRCapacityError:
        return PaperQR(verify_url, encode([(verify_url, "byte")], max_version=40))


def credential_from_qr_text(text: str) -> bytes | None:
    """The credential bytes a QR text carries; None for a bare URL; PaperQRError when damaged."""
    _, found, fragment = text.strip().partition(FRAGMENT_KEY)
    if not found:
        return None
    if not fragment:
        raise PaperQRError("The QR payload is empty.")
    try:
        if fragment.startswith(BASE32_PREFIX):
            body = fragment[1:]
            compressed = base64.b32decode(body + "=" * (-len(body) % 8))
        else:  # certificates issued before the base32 payload
            compressed = base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise PaperQRError(f"The QR payload is not valid base32: {exc}") from exc
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(compressed)
    except zlib.error as exc:
        raise PaperQRError(f"The QR payload is damaged: {exc}") from exc
    if not inflater.eof:
        raise PaperQRError("The QR payload is truncated: the compressed credential ends early.")
    return data
