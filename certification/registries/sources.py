"""The registries the verifier trusts: configured, fetched (or read from a file), parsed and cached.

``settings.CERTIFICATION_ISSUER_REGISTRIES`` is a list, most authoritative first, of
``{"name": "...", "url": "https://..."}`` or ``{"name": "...", "path": "/srv/registry.json"}`` with an
optional ``"ttl"`` in seconds (default ``CERTIFICATION_REGISTRY_TTL``). A fetched registry is kept in
the cache for its lifetime, so a verification costs no request while it is fresh; a file is read each
time (offline sites copy a registry there). Two formats are read, whichever the document is in:

- DCC (what ``@digitalcredentials/issuer-registry-client`` loads):
  ``{"meta": {...}, "registry": {"did:web:...": {"name": ..., "url": ..., "location": ...}}}``
- OpenCerts-style: ``{"name": ..., "issuers": {"<id>": {"name": ..., "website": ...}}}``
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from django.core.cache import cache
from django.utils import timezone

from certification.conf import certification_settings

MAX_REGISTRY_BYTES = 5 * 1024 * 1024


class RegistryError(Exception):
    """A registry that cannot be used; ``code`` says how, ``registry`` which one."""

    code = "malformed"

    def __init__(self, registry: str, reason: str):
        super().__init__(f"{registry}: {reason}")
        self.registry = registry
        self.reason = reason


class RegistryUnreachableError(RegistryError):
    code = "unreachable"


class RegistryMalformedError(RegistryError):
    code = "malformed"


@dataclass(frozen=True)
class RegistryEntry:
    name: str
    url: str = ""
    location: str = ""


@dataclass(frozen=True)
class RegistrySource:
    name: str
    url: str = ""
    path: str = ""
    ttl: int = 3600

    @property
    def where(self) -> str:
        return self.url or self.path


@dataclass(frozen=True)
class Registry:
    source: RegistrySource
    entries: dict[str, RegistryEntry]
    read_at: str

    @property
    def name(self) -> str:
        return self.source.name


def configured_sources() -> list[RegistrySource]:
    default_ttl = int(certification_settings.CERTIFICATION_REGISTRY_TTL)
    sources = []
    for item in certification_settings.CERTIFICATION_ISSUER_REGISTRIES or []:
        if not isinstance(item, dict) or not item.get("name") or not (item.get("url") or item.get("path")):
            raise ValueError(f"A registry needs a name and a url or a path: {item!r}")
        sources.append(
            RegistrySource(
                name=str(item["name"]),
                url=str(item.get("url", "")),
                path=str(item.get("path", "")),
                ttl=int(item.get("ttl", default_ttl)),
            )
        )
    return sources


def parse_registry(source: RegistrySource, document: Any) -> dict[str, RegistryEntry]:
    """The entries of a registry in DCC or OpenCerts-style form; anything else is malformed."""
    if not isinstance(document, dict):
        raise RegistryMalformedError(source.name, "the registry is not a JSON object")
    if "registry" in document:
        listing, url_key = document["registry"], "url"
    elif "issuers" in document:
        listing, url_key = document["issuers"], "website"
    else:
        raise RegistryMalformedError(source.name, 'neither a "registry" (DCC) nor an "issuers" (OpenCerts) object')
    if not isinstance(listing, dict):
        raise RegistryMalformedError(source.name, "the list of issuers is not a JSON object")
    entries = {}
    for key, value in listing.items():
        if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
            raise RegistryMalformedError(source.name, f"the entry {key} has no name")
        entries[key] = RegistryEntry(
            name=value["name"].strip(),
            url=str(value.get(url_key) or value.get("url") or ""),
            location=str(value.get("location") or ""),
        )
    return entries


def _fetch(source: RegistrySource) -> bytes:
    timeout = float(certification_settings.CERTIFICATION_REGISTRY_TIMEOUT)
    try:
        with requests.get(
            source.url, timeout=timeout, stream=True, headers={"Accept": "application/json"}, allow_redirects=True
        ) as response:
            if response.status_code != 200:
                raise RegistryUnreachableError(source.name, f"HTTP {response.status_code} from {source.url}")
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_REGISTRY_BYTES:
                    raise RegistryMalformedError(source.name, "larger than 5 MB")
            return body
    except requests.RequestException as exc:
        raise RegistryUnreachableError(source.name, f"{source.url}: {type(exc).__name__}") from exc


def _read(source: RegistrySource) -> bytes:
    if source.url:
        return _fetch(source)
    try:
        return Path(source.path).read_bytes()
    except OSError as exc:
        raise RegistryUnreachableError(source.name, f"{source.path}: {exc.strerror}") from exc


def _cache_key(source: RegistrySource) -> str:
    return "issuer-registry:" + hashlib.sha256(source.where.encode()).hexdigest()


def load_registry(source: RegistrySource) -> Registry:
    """The registry's entries, from the cache while fresh; RegistryError when it cannot be used."""
    key = _cache_key(source)
    if source.url:
        cached = cache.get(key)
        if cached is not None:
            entries = {did: RegistryEntry(**entry) for did, entry in cached["entries"].items()}
            return Registry(source=source, entries=entries, read_at=cached["read_at"])
    body = _read(source)
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise RegistryMalformedError(source.name, "not JSON") from exc
    entries = parse_registry(source, document)
    registry = Registry(source=source, entries=entries, read_at=timezone.now().isoformat())
    if source.url and source.ttl > 0:
        cache.set(
            key,
            {"entries": {did: vars(entry) for did, entry in entries.items()}, "read_at": registry.read_at},
            source.ttl,
        )
    return registry


def forget_cached_registries() -> None:
    """Drop every configured registry from the cache (after changing the configuration)."""
    cache.delete_many([_cache_key(source) for source in configured_sources()])
