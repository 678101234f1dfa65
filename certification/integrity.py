"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (Ed25519 over RDF canonical form).

The suite signs the canonical N-Quads of the document, not its JSON text, so any JSON-LD processor
that canonicalises the same way verifies the proof: this is what makes Digital Bazaar's verifier
and a wallet accept what Python signed. Signature input = sha256(canonical proof options) followed
by sha256(canonical document without proof).
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from pyld import jsonld

from .contexts import offline_document_loader

CRYPTOSUITE = "eddsa-rdfc-2022"
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


def canonicalise(document: dict[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads, resolving contexts only from the pinned copies."""
    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": offline_document_loader},
    )


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


def ensure_nothing_dropped(document: dict[str, Any]) -> None:
    """Refuse a document in which JSON-LD expansion would silently drop a value.

    pyld has no "safe mode": a property that the contexts do not define disappears during
    expansion, and with it from the signed N-Quads, so it could be changed afterwards without
    breaking the signature. Every scalar of the input must survive expansion.
    """
    expanded = jsonld.expand(document, {"documentLoader": offline_document_loader})
    before, after = _count_input_values(document), _count_expanded_values(expanded)
    if before != after:
        raise CanonicalisationError(
            f"{before - after} value(s) of the document would not be signed: a property is not defined "
            "by its contexts or uses a JSON-LD keyword wrongly."
        )


def _hash_data(proof_options: dict[str, Any], document: dict[str, Any]) -> bytes:
    proof_hash = hashlib.sha256(canonicalise(proof_options).encode()).digest()
    document_hash = hashlib.sha256(canonicalise(document).encode()).digest()
    return proof_hash + document_hash


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sign(
    document: dict[str, Any], *, private_key: Ed25519PrivateKey, verification_method: str, created: datetime
) -> dict[str, Any]:
    """Return a copy of ``document`` with an embedded eddsa-rdfc-2022 proof."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    ensure_nothing_dropped(unsigned)
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": rfc3339(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data({"@context": unsigned["@context"], **proof}, unsigned))
    return {**unsigned, "proof": {**proof, "proofValue": "z" + base58btc_encode(signature)}}


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
        signature = base58btc_decode(proof["proofValue"][1:]) if proof["proofValue"].startswith("z") else b""
    except ValueError:
        return False
    if len(signature) != 64:
        return False
    try:
        public_key.verify(signature, _hash_data({"@context": unsigned.get("@context"), **options}, unsigned))
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
