"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (Ed25519 over RDF canonical form).

The suite signs the canonical N-Quads of the document, not its JSON text, so any JSON-LD processor
that canonicalises the same way verifies the proof: this is what makes Digital Bazaar's verifier
and a wallet accept what Python signed. Signature input = sha256(canonical proof options) followed
by sha256(canonical document without proof).
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from .contexts import CREDENTIALS_V2, OPEN_BADGES_V3, offline_document_loader
from .jsonld_processor import Processor

CRYPTOSUITE = "eddsa-rdfc-2022"
_KNOWN_CONTEXTS = {(CREDENTIALS_V2,), (CREDENTIALS_V2, OPEN_BADGES_V3)}  # credentials and status lists
PROOF_TYPE = "DataIntegrityProof"
ED25519_PUB_MULTICODEC = b"\xed\x01"
ED25519_PRIV_MULTICODEC = b"\x80\x26"
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: index for index, char in enumerate(_ALPHABET)}


class CanonicalisationError(ValueError):
    """The document cannot be signed as it is: canonicalisation would leave part of it unsigned."""


class ProofError(ValueError):
    """A proof that is missing, malformed or of a kind this suite does not verify."""


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = _ALPHABET[remainder] + encoded
    leading = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading + encoded


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        try:
            number = number * 58 + _INDEX[char]
        except KeyError:
            raise ValueError(f"{char!r} is not a base58btc character") from None
    leading = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading + body


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The Multikey form (``z6Mk...``) that DID documents publish."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58btc_encode(ED25519_PUB_MULTICODEC + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("publicKeyMultibase must be base58btc (start with 'z')")
    try:
        decoded = base58btc_decode(value[1:])
    except ValueError as exc:
        raise ProofError(f"publicKeyMultibase is not valid base58btc: {exc}") from exc
    if len(decoded) != 34 or decoded[:2] != ED25519_PUB_MULTICODEC:
        raise ProofError("publicKeyMultibase is not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def canonicalise(document: dict[str, Any] | list) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads, resolving contexts only from the pinned copies."""
    return Processor().normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": offline_document_loader},
    )


def canonicalise_expanded(expanded: list) -> str:
    """The same N-Quads as ``canonicalise`` for a document ``ensure_nothing_dropped`` already
    expanded, without expanding it a second time."""
    return Processor().normalize_expanded(expanded, {"documentLoader": offline_document_loader})


def _count_input_values(node: Any) -> int:
    if isinstance(node, list):
        return sum(_count_input_values(item) for item in node)
    if isinstance(node, dict):
        return sum(_count_input_values(value) for key, value in node.items() if key != "@context")
    if node is None:
        raise CanonicalisationError("The document contains a null value; leave the property out instead.")
    return 1


def _count_expanded_values(node: Any) -> int:
    if isinstance(node, list):
        return sum(_count_expanded_values(item) for item in node)
    if not isinstance(node, dict):
        return 1
    if "@value" in node:
        return 1
    count = 0
    for key, value in node.items():
        if key == "@id":
            count += 1
        elif key == "@type":
            count += len(value) if isinstance(value, list) else 1
        elif key in {"@list", "@set", "@graph"} or not key.startswith("@"):
            count += _count_expanded_values(value)
    return count


def ensure_nothing_dropped(document: dict[str, Any]) -> list:
    """Refuse a document in which JSON-LD expansion would silently drop a value.

    pyld has no "safe mode": a property that the contexts do not define disappears during
    expansion, and with it from the signed N-Quads, so it could be changed afterwards without
    breaking the signature. Every scalar of the input must survive expansion. Returns the expanded
    form, whose canonical N-Quads are the document's (so signing need not expand it twice).
    """
    expanded = Processor().expand(document, {"documentLoader": offline_document_loader})
    before, after = _count_input_values(document), _count_expanded_values(expanded)
    if before != after:
        raise CanonicalisationError(
            f"{before - after} value(s) of the document would not be signed: a property is not defined "
            "by its contexts or uses a JSON-LD keyword wrongly."
        )
    return expanded


_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
_PLAIN_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_PROOF_OPTION_KEYS = {"@context", "type", "cryptosuite", "created", "verificationMethod", "proofPurpose"}
_PROOF_NQUADS = (
    '_:c14n0 <http://purl.org/dc/terms/created> "{created}"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'
    "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> .\n"
    '_:c14n0 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"'
    "^^<https://w3id.org/security#cryptosuiteString> .\n"
    "_:c14n0 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> .\n"
    "_:c14n0 <https://w3id.org/security#verificationMethod> <{method}> .\n"
)


@lru_cache(maxsize=4)
def _template_holds(contexts: tuple[str, ...]) -> bool:
    """Whether the proof-options template is what RDFC gives under these contexts (checked once)."""
    sample = {
        "@context": list(contexts),
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": "did:web:example.org#key-1",
        "proofPurpose": "assertionMethod",
    }
    return canonicalise(sample) == _PROOF_NQUADS.format(created=sample["created"], method=sample["verificationMethod"])


def canonical_proof_options(options: dict[str, Any]) -> str:
    """The canonical N-Quads of eddsa-rdfc-2022 proof options.

    They are always the same five quads with two values filled in, so when the options have exactly
    that shape (under contexts for which the template was checked against pyld) the template gives
    them without a JSON-LD pass, a third of a verification's cost. Anything else goes to pyld.
    """
    contexts = options.get("@context")
    if (
        set(options) == _PROOF_OPTION_KEYS
        and isinstance(contexts, list)
        and all(isinstance(context, str) for context in contexts)
        and options["type"] == PROOF_TYPE
        and options["cryptosuite"] == CRYPTOSUITE
        and options["proofPurpose"] == "assertionMethod"
        and isinstance(options["created"], str)
        and _DATE_TIME.fullmatch(options["created"])
        and isinstance(options["verificationMethod"], str)
        and _PLAIN_IRI.fullmatch(options["verificationMethod"])
        and tuple(contexts) in _KNOWN_CONTEXTS
        and _template_holds(tuple(contexts))
    ):
        return _PROOF_NQUADS.format(created=options["created"], method=options["verificationMethod"])
    return canonicalise(options)


def _hash_data(proof_options: dict[str, Any], canonical_document: str) -> bytes:
    proof_hash = hashlib.sha256(canonical_proof_options(proof_options).encode()).digest()
    return proof_hash + hashlib.sha256(canonical_document.encode()).digest()


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Signature:
    """A signed document and the exact bytes its Ed25519 signature covers (the two hashes)."""

    document: dict[str, Any]
    signing_input: bytes


def sign_detached(
    document: dict[str, Any], *, private_key: Ed25519PrivateKey, verification_method: str, created: datetime
) -> Signature:
    """Sign ``document``, keeping the signing input so the issuer can check the result without
    canonicalising twice more (see ``certification.issuance.signing``)."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    expanded = ensure_nothing_dropped(unsigned)
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": rfc3339(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signing_input = _hash_data({"@context": unsigned["@context"], **proof}, canonicalise_expanded(expanded))
    signature = private_key.sign(signing_input)
    # An array of one proof: Data Integrity allows a single object or a set, and the 1EdTech
    # AchievementCredential JSON schema accepts only the array.
    signed = {**unsigned, "proof": [{**proof, "proofValue": "z" + base58btc_encode(signature)}]}
    return Signature(signed, signing_input)


def sign(
    document: dict[str, Any], *, private_key: Ed25519PrivateKey, verification_method: str, created: datetime
) -> dict[str, Any]:
    """Return a copy of ``document`` with an embedded eddsa-rdfc-2022 proof (in a one-item ``proof`` array)."""
    return sign_detached(
        document, private_key=private_key, verification_method=verification_method, created=created
    ).document


def proof_signature(document: dict[str, Any]) -> bytes:
    """The 64 signature bytes of the document's one proof, or ProofError."""
    read_proof(document)
    proof = document["proof"][0] if isinstance(document["proof"], list) else document["proof"]
    value = proof["proofValue"]
    try:
        signature = base58btc_decode(value[1:]) if value.startswith("z") else b""
    except ValueError:
        signature = b""
    if len(signature) != 64:
        raise ProofError("The proofValue is not a base58btc Ed25519 signature.")
    return signature


@dataclass(frozen=True)
class ProofParts:
    verification_method: str
    proof_purpose: str
    created: str


def read_proof(document: dict[str, Any]) -> ProofParts:
    """The one eddsa-rdfc-2022 proof of ``document``, or ProofError saying what is wrong with it."""
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("Expected exactly one proof.")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("The credential has no proof.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"Only {PROOF_TYPE} proofs with the {CRYPTOSUITE} cryptosuite are accepted.")
    for field in ("verificationMethod", "proofValue", "proofPurpose"):
        if not isinstance(proof.get(field), str):
            raise ProofError(f"The proof has no {field}.")
    return ProofParts(proof["verificationMethod"], proof["proofPurpose"], str(proof.get("created", "")))


def verify(document: dict[str, Any], *, public_key: Ed25519PublicKey) -> bool:
    """True when the embedded proof is a valid signature by ``public_key`` over this document."""
    read_proof(document)
    proof = document["proof"][0] if isinstance(document["proof"], list) else document["proof"]
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    try:
        signature = proof_signature(document)
    except ProofError:
        return False
    try:
        signing_input = _hash_data({"@context": unsigned.get("@context"), **options}, canonicalise(unsigned))
        public_key.verify(signature, signing_input)
    except InvalidSignature:
        return False
    return True


def private_key_multibase(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return "z" + base58btc_encode(ED25519_PRIV_MULTICODEC + raw)


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    if not value.startswith("z"):
        raise ValueError("secretKeyMultibase must start with 'z'")
    decoded = base58btc_decode(value[1:])
    if len(decoded) != 34 or decoded[:2] != ED25519_PRIV_MULTICODEC:
        raise ValueError("secretKeyMultibase is not an Ed25519 secret key")
    return Ed25519PrivateKey.from_private_bytes(decoded[2:])
