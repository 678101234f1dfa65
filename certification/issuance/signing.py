"""Sign, then verify what was signed: the stored bytes, read back, carry a valid signature by the
key the issuer's DID document publishes under the proof's verification method.

The check reads the serialised bytes again (so a serialisation that does not round-trip is caught),
finds the public key by the proof's key id in the published key ring (so a secret key that does not
match its published half is caught) and checks the Ed25519 signature over the signing input. That
input is the hash of the canonical form of exactly this document, because the bytes read back are
equal to the document that was canonicalised; so the check is a full verification without
canonicalising twice more.
"""

import json

from cryptography.exceptions import InvalidSignature

from ..credentials import serialise
from ..integrity import ProofError, Signature, proof_signature, read_proof, sign_detached
from ..keys import KeyRing
from .compose import Draft


class IssuanceCheckError(RuntimeError):
    """What was signed does not verify: nothing is stored and the task fails loudly."""


def sign(*, draft: Draft, ring: KeyRing) -> tuple[bytes, Signature]:
    """The credential's one serialisation (the bytes stored, attached, baked and printed) and the
    signature with the input it covers."""
    signature = sign_detached(
        draft.credential,
        private_key=ring.active_key,
        verification_method=draft.verification_method,
        created=draft.issued_at,
    )
    return serialise(signature.document).encode("utf-8"), signature


def verify_signed(*, raw: bytes, signature: Signature, draft: Draft, ring: KeyRing) -> None:
    """Raise IssuanceCheckError unless ``raw`` is the signed credential and its signature verifies."""
    document = json.loads(raw)
    if document != signature.document or {k: v for k, v in document.items() if k != "proof"} != draft.credential:
        raise IssuanceCheckError("The serialised credential does not read back as the credential that was signed.")
    try:
        proof = read_proof(document)
        signature_bytes = proof_signature(document)
    except ProofError as exc:
        raise IssuanceCheckError(f"The signed credential's proof is unreadable: {exc}") from exc
    controller, _, key_id = proof.verification_method.partition("#")
    public_key = ring.public_key(key_id)
    if proof.verification_method != draft.verification_method or public_key is None:
        raise IssuanceCheckError(f"{proof.verification_method} is not a published key of {controller}.")
    try:
        public_key.verify(signature_bytes, signature.signing_input)
    except InvalidSignature:
        raise IssuanceCheckError(f"The signature does not verify with the published key {key_id}.") from None
