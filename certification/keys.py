"""Signing keys: read from the environment or a key file, never from the database or the repository.

A key ring has one active key (with its secret) that signs, and retired keys (public half only)
that stay published in the DID documents so that credentials signed with them still verify.

Environment (takes precedence):
  CERTIFICATION_SIGNING_KEY   "key-2:z3u2..."  id and secretKeyMultibase of the active key
  CERTIFICATION_RETIRED_KEYS  "key-1:z6Mk...,..."  ids and publicKeyMultibase of retired keys
Key file (CERTIFICATION_KEY_FILE, JSON):
  {"keys": [{"id": "key-1", "publicKeyMultibase": "z6Mk..."},
            {"id": "key-2", "secretKeyMultibase": "z3u2...", "active": true}]}
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured

from foundation.site_address import site_url

from .conf import certification_settings
from .integrity import (
    private_key_from_multibase,
    private_key_multibase,
    public_key_from_multibase,
    public_key_multibase,
)


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    public_key_multibase: str

    @property
    def public_key(self) -> Ed25519PublicKey:
        return public_key_from_multibase(self.public_key_multibase)


@dataclass(frozen=True)
class KeyRing:
    active_id: str
    active_key: Ed25519PrivateKey
    published: tuple[PublishedKey, ...]

    def public_key(self, key_id: str) -> Ed25519PublicKey | None:
        for key in self.published:
            if key.key_id == key_id:
                return key.public_key
        return None


def _ring(active_id: str, secret: str, retired: list[tuple[str, str]], source: str) -> KeyRing:
    try:
        active = private_key_from_multibase(secret)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{source}: the active signing key is not usable: {exc}") from exc
    published = [PublishedKey(key_id, value) for key_id, value in retired]
    published.append(PublishedKey(active_id, public_key_multibase(active.public_key())))
    ids = [key.key_id for key in published]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured(f"{source}: key ids must be unique, got {ids}")
    for key in published:
        try:
            key.public_key  # noqa: B018 - validates the multibase early, with the key's id in the message
        except ValueError as exc:
            raise ImproperlyConfigured(f"{source}: key {key.key_id}: {exc}") from exc
    return KeyRing(active_id, active, tuple(sorted(published, key=lambda key: key.key_id)))


def _from_environment() -> KeyRing | None:
    value = os.environ.get("CERTIFICATION_SIGNING_KEY", "").strip()
    if not value:
        return None
    key_id, _, secret = value.partition(":")
    retired = []
    for item in filter(None, (part.strip() for part in os.environ.get("CERTIFICATION_RETIRED_KEYS", "").split(","))):
        retired_id, _, public = item.partition(":")
        retired.append((retired_id, public))
    return _ring(key_id, secret, retired, "CERTIFICATION_SIGNING_KEY")


def _from_file(path: Path) -> KeyRing:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["keys"]
        active = [entry for entry in entries if entry.get("active")]
        if len(active) != 1:
            raise ValueError("exactly one key must be marked active")
        retired = [(entry["id"], entry["publicKeyMultibase"]) for entry in entries if not entry.get("active")]
        return _ring(active[0]["id"], active[0]["secretKeyMultibase"], retired, str(path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"Certificate key file {path} is not usable: {exc}") from exc


def new_key_file_entry(key_id: str) -> dict[str, str]:
    key = Ed25519PrivateKey.generate()
    return {
        "id": key_id,
        "secretKeyMultibase": private_key_multibase(key),
        "publicKeyMultibase": public_key_multibase(key.public_key()),
        "active": True,
    }


def rotate_key_file(path: Path) -> dict[str, str]:
    """Add a new active key to ``path`` (created if missing); earlier keys keep only their public half."""
    entries = json.loads(path.read_text(encoding="utf-8"))["keys"] if path.exists() else []
    retired = [{"id": entry["id"], "publicKeyMultibase": entry["publicKeyMultibase"]} for entry in entries]
    numbers = [int(entry["id"].rsplit("-", 1)[-1]) for entry in entries if entry["id"].rsplit("-", 1)[-1].isdigit()]
    new = new_key_file_entry(f"key-{max(numbers, default=0) + 1}")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"keys": [*retired, new]}, indent=2) + "\n", encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)
    return new


_cache: dict[str, KeyRing] = {}


def key_ring() -> KeyRing:
    """The configured key ring; in development a key file is created under var/ on first use."""
    ring = _from_environment()
    if ring is not None:
        return ring
    path = key_file_path()
    if path is None or not path.exists():
        if path is None or not certification_settings.CERTIFICATION_CREATE_KEY_FILE:
            raise ImproperlyConfigured(
                "No certificate signing key: set CERTIFICATION_SIGNING_KEY or CERTIFICATION_KEY_FILE "
                "(python manage.py generate_signing_key prints what to set)."
            )
        rotate_key_file(path)
    stamp = f"{path}:{path.stat().st_mtime_ns}"
    if stamp not in _cache:
        _cache.clear()
        _cache[stamp] = _from_file(path)
    return _cache[stamp]


def signing_configured() -> bool:
    """Whether key_ring() can sign: a key in the environment, a key file, or leave to create one."""
    path = key_file_path()
    return bool(
        os.environ.get("CERTIFICATION_SIGNING_KEY", "").strip()
        or (path is not None and (path.exists() or certification_settings.CERTIFICATION_CREATE_KEY_FILE))
    )


def key_file_path() -> Path | None:
    """The configured key file (``CERTIFICATION_KEY_FILE``), or None when the site names none."""
    configured = str(certification_settings.CERTIFICATION_KEY_FILE or "").strip()
    return Path(configured) if configured else None


def site_did() -> str:
    """``did:web`` of the site's domain (a port is percent-encoded, as did:web requires)."""
    host = urlsplit(site_url()).netloc
    return "did:web:" + quote(host, safe="")
