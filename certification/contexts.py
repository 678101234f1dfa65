"""The JSON-LD contexts that credentials use, shipped with the project as pinned data.

Signing and verifying canonicalise JSON-LD, which means resolving every ``@context`` URL. A
context fetched over the network at that moment could differ from the one the credential was
signed against (or be unreachable at a Digital Centre with no connection), so the loader here
serves only the copies listed in ``contexts/manifest.json`` and refuses anything else.
"""

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld.jsonld import JsonLdError

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"


class ContextIntegrityError(RuntimeError):
    """A pinned context file no longer matches the hash recorded when it was pinned."""


@cache
def pinned_contexts() -> dict[str, Any]:
    """URL -> parsed context, each checked against the sha256 in the manifest."""
    manifest = json.loads((CONTEXTS_DIR / "manifest.json").read_text(encoding="utf-8"))
    contexts = {}
    for entry in manifest:
        raw = (CONTEXTS_DIR / entry["file"]).read_bytes()
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            raise ContextIntegrityError(f"{entry['file']} differs from the pinned copy of {entry['url']}")
        contexts[entry["url"]] = json.loads(raw)
    return contexts


def offline_document_loader(url: str, options: dict | None = None) -> dict[str, Any]:
    """pyld document loader that never touches the network.

    The documents are tagged ``static``: pyld then keeps each processed context in its shared cache
    across operations (without the tag it processes, and hashes with JCS, every context again on
    every canonicalisation, which was a third of a verification). They are pinned and hash-checked,
    so they never change while the process runs.
    """
    try:
        document = pinned_contexts()[url]
    except KeyError:
        raise JsonLdError(
            f"Context {url} is not one of the pinned contexts; refusing to fetch it.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        ) from None
    return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}
