import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld.jsonld import JsonLdError

from certification import integrity
from certification.contexts import CREDENTIALS_V2, OPEN_BADGES_V3, offline_document_loader

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
DID = "did:web:learning.example.gov.bd"
METHOD = f"{DID}#key-1"
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def credential(**extra) -> dict:
    return {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": "urn:uuid:4f0b4b1e-1c1a-4a8e-9d9b-6a1d1f6e2a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": DID,
            "type": ["Profile"],
            "name": "Training centre",
            "url": "https://learning.example.gov.bd/",
        },
        "validFrom": "2026-01-02T03:04:05Z",
        "name": "Digital governance",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$00",
                    "salt": "s",
                }
            ],
            "achievement": {
                "id": "https://learning.example.gov.bd/certificates/achievements/1",
                "type": ["Achievement"],
                "name": "রহিম",
                "description": "d",
                "criteria": {"narrative": "n"},
            },
        },
        **extra,
    }


def test_signature_verifies_and_breaks_on_any_change():
    signed = integrity.sign(credential(), private_key=KEY, verification_method=METHOD, created=CREATED)
    assert signed["proof"][0]["proofValue"].startswith("z")
    assert integrity.verify(signed, public_key=KEY.public_key())
    tampered = json.loads(json.dumps(signed))
    tampered["credentialSubject"]["achievement"]["name"] = "রহিম!"
    assert not integrity.verify(tampered, public_key=KEY.public_key())
    other = Ed25519PrivateKey.generate().public_key()
    assert not integrity.verify(signed, public_key=other)


def test_signing_is_deterministic_for_the_same_key_time_and_document():
    first = integrity.sign(credential(), private_key=KEY, verification_method=METHOD, created=CREATED)
    second = integrity.sign(credential(), private_key=KEY, verification_method=METHOD, created=CREATED)
    assert first["proof"][0]["proofValue"] == second["proof"][0]["proofValue"]


@pytest.mark.parametrize(
    "extra",
    [{"undefinedTerm": "would go unsigned"}, {"@unknownKeyword": "dropped"}],
)
def test_signing_refuses_a_document_that_canonicalisation_would_drop_terms_from(extra):
    with pytest.raises(integrity.CanonicalisationError, match="would not be signed"):
        integrity.sign(credential(**extra), private_key=KEY, verification_method=METHOD, created=CREATED)


def test_signing_refuses_null_values():
    with pytest.raises(integrity.CanonicalisationError, match="null"):
        integrity.sign(credential(description=None), private_key=KEY, verification_method=METHOD, created=CREATED)


def test_contexts_come_only_from_the_pinned_copies():
    assert offline_document_loader(OPEN_BADGES_V3)["document"]["@context"]
    with pytest.raises(JsonLdError):
        offline_document_loader("https://example.com/context.json")
    doc = credential()
    doc["@context"] = [*doc["@context"], "https://example.com/context.json"]
    with pytest.raises(JsonLdError):
        integrity.sign(doc, private_key=KEY, verification_method=METHOD, created=CREATED)


def test_multikey_round_trip_and_base58():
    encoded = integrity.public_key_multibase(KEY.public_key())
    assert encoded.startswith("z6Mk")
    assert integrity.public_key_from_multibase(encoded).public_bytes_raw() == KEY.public_key().public_bytes_raw()
    assert integrity.base58btc_decode(integrity.base58btc_encode(b"\0\0abc")) == b"\0\0abc"
    with pytest.raises(integrity.ProofError):
        integrity.public_key_from_multibase("z1111")


@pytest.mark.parametrize("contexts", [[CREDENTIALS_V2], [CREDENTIALS_V2, OPEN_BADGES_V3]])
@pytest.mark.parametrize("created", ["2026-12-01T11:21:22Z", "2026-12-01T11:21:22.5+06:00"])
def test_the_proof_options_template_is_what_rdfc_gives(contexts, created):
    options = {
        "@context": contexts,
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": created,
        "verificationMethod": "did:web:learning.example.gov.bd:issuers:bpatc#key-2",
        "proofPurpose": "assertionMethod",
    }
    assert integrity.canonical_proof_options(options) == integrity.canonicalise(options)


@pytest.mark.parametrize(
    "change",
    [
        {"created": 'x" .'},
        {"verificationMethod": "did:web:x#key 1"},
        {"proofPurpose": "authentication"},
        {"nonce": "1"},
    ],
)
def test_proof_options_of_another_shape_go_to_pyld(change):
    options = {
        "@context": [CREDENTIALS_V2],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-12-01T11:21:22Z",
        "verificationMethod": "did:web:x#key-1",
        "proofPurpose": "assertionMethod",
        **change,
    }
    assert integrity.canonical_proof_options(options) == integrity.canonicalise(options)
