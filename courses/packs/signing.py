"""Who signs this site's packs, and whose packs this site trusts.

The courses app imports nothing of ours, yet packs are signed with the site's key: the signer is a
setting (``COURSES_PACK_SIGNER``, a dotted path to a callable returning a :class:`PackSigner`). The
default reads an Ed25519 key from ``COURSES_PACK_SIGNING_KEY``; the reference site points the setting
at ``certification.pack_signer.site_signer``, the key that signs its certificates. A public key is
written ``ed25519:<base64url of the 32 raw bytes>``, the form ``COURSES_PACK_TRUSTED_SIGNERS`` lists.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..conf import courses_settings

PREFIX = "ed25519:"


@dataclass(frozen=True)
class PackSigner:
    """The key that signs this site's packs; ``own_keys`` are earlier keys of the site, trusted as its own."""

    name: str
    private_key: Ed25519PrivateKey
    own_keys: tuple[str, ...] = field(default=())

    @property
    def public_key(self) -> str:
        return encode_public_key(self.private_key.public_key())

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def encode_public_key(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_public_key(text: str) -> Ed25519PublicKey:
    """The key written ``ed25519:<base64url>``; ValueError when it is not one."""
    if not isinstance(text, str) or not text.startswith(PREFIX):
        raise ValueError(f"{text!r} is not an ed25519: key")
    body = text.removeprefix(PREFIX)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{text!r} is not base64url") from exc
    if len(raw) != 32:
        raise ValueError(f"{text!r} is not 32 bytes long")
    return Ed25519PublicKey.from_public_bytes(raw)


def encode_private_key(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return "ed25519-secret:" + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_private_key(text: str) -> Ed25519PrivateKey:
    body = str(text or "").strip().removeprefix("ed25519-secret:")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if len(raw) != 32:
        raise ValueError("an Ed25519 secret key is 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


def verifies(public_key: str, data: bytes, signature: bytes) -> bool:
    try:
        decode_public_key(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def signer_from_settings() -> PackSigner:
    """The default signer: ``COURSES_PACK_SIGNING_KEY`` (``ed25519-secret:<base64url>``)."""
    secret = str(courses_settings.COURSES_PACK_SIGNING_KEY or "").strip()
    if not secret:
        raise ImproperlyConfigured(
            "No key signs course packs: set COURSES_PACK_SIGNING_KEY, or COURSES_PACK_SIGNER (docs/packs.md)."
        )
    try:
        key = decode_private_key(secret)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"COURSES_PACK_SIGNING_KEY is not usable: {exc}") from exc
    return PackSigner(name=str(courses_settings.WAGTAILADMIN_BASE_URL or "this site"), private_key=key)


def site_signer() -> PackSigner:
    """The signer ``COURSES_PACK_SIGNER`` names."""
    path = str(courses_settings.COURSES_PACK_SIGNER or "").strip()
    try:
        factory = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"COURSES_PACK_SIGNER {path!r} cannot be imported: {exc}") from exc
    signer = factory()
    if not isinstance(signer, PackSigner):
        raise ImproperlyConfigured(f"COURSES_PACK_SIGNER {path!r} did not return a PackSigner")
    return signer


def trusted_keys() -> set[str]:
    """The keys whose packs import without a confirmation: the site's own and the configured ones."""
    keys = {str(key).strip() for key in courses_settings.COURSES_PACK_TRUSTED_SIGNERS or () if str(key).strip()}
    try:
        signer = site_signer()
    except ImproperlyConfigured:
        return keys
    return keys | {signer.public_key, *signer.own_keys}


def is_trusted(public_key: str) -> bool:
    return public_key in trusted_keys()
