"""Verification of a credential, with each check reported on its own.

A relying party needs to know *why* a certificate fails: a bad signature means forgery or
tampering, a revoked one was withdrawn by the issuer, an expired one needs recertification. So the
service never collapses the checks into one boolean before reporting them.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from pyld.jsonld import JsonLdError

from .contexts import CREDENTIALS_V2, OPEN_BADGES_V3
from .credentials import canonical_email, canonical_name, identity_hash
from .integrity import CanonicalisationError, ProofError, read_proof, verify
from .issuers import UnknownIssuerError, profile_for_did
from .keys import key_ring, site_url
from .models import Certificate, StatusList
from .rendering import CredentialFileError, parse_credential, read_credential_file
from .status_lists import StatusIndexError, bit_is_set


class VerificationInputError(ValueError):
    """The input cannot be verified at all; ``status`` is the HTTP status an endpoint answers with."""

    status = 400


class MalformedCredentialError(VerificationInputError):
    pass


class ForeignCredentialError(VerificationInputError):
    """Signed by an issuer this site does not speak for: verify it with that issuer's tools."""

    status = 422


@dataclass
class Check:
    name: str
    passed: bool | None  # None: not checked (e.g. no name was given to compare)
    detail: str


@dataclass
class VerificationResult:
    credential_id: str
    checks: list[Check] = field(default_factory=list)
    certificate: Certificate | None = None

    def check(self, name: str) -> Check:
        return next(check for check in self.checks if check.name == name)

    @property
    def genuine(self) -> bool:
        return bool(self.check("signature").passed and self.check("issuer").passed)

    @property
    def revoked(self) -> bool:
        return self.check("status").passed is False

    @property
    def expired(self) -> bool:
        return self.check("validity").passed is False

    @property
    def valid(self) -> bool:
        return self.genuine and not self.revoked and not self.expired

    def as_dict(self) -> dict[str, Any]:
        return {
            "credential_id": self.credential_id,
            "genuine": self.genuine,
            "revoked": self.revoked,
            "expired": self.expired,
            "valid": self.valid,
            "checks": {check.name: {"passed": check.passed, "detail": check.detail} for check in self.checks},
        }


def _require_shape(credential: dict[str, Any]) -> None:
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or contexts[:2] != [CREDENTIALS_V2, OPEN_BADGES_V3]:
        raise MalformedCredentialError("@context must start with the VC 2.0 and Open Badges 3.0.3 contexts.")
    types = credential.get("type")
    if not isinstance(types, list) or "OpenBadgeCredential" not in types:
        raise MalformedCredentialError("type must include OpenBadgeCredential.")
    for name in ("id", "issuer", "validFrom", "credentialSubject", "proof"):
        if name not in credential:
            raise MalformedCredentialError(f"The credential has no {name}.")


def _issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential["issuer"]
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str):
        raise MalformedCredentialError("The issuer has no id.")
    return issuer_id


def _date(value: Any, name: str) -> datetime:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise MalformedCredentialError(f"{name} is not a date-time with a time zone.")
    return moment


def _check_issuer(credential: dict[str, Any], method: str) -> tuple[Check, Any]:
    issuer_id = _issuer_id(credential)
    try:
        profile_for_did(issuer_id)
    except UnknownIssuerError as exc:
        raise ForeignCredentialError(str(exc)) from exc
    controller, _, key_id = method.partition("#")
    if controller != issuer_id:
        return Check("issuer", False, f"The signing key belongs to {controller}, not to the issuer {issuer_id}."), None
    public_key = key_ring().public_key(key_id)
    if public_key is None:
        return Check("issuer", False, f"{issuer_id} publishes no key {key_id}."), None
    return Check("issuer", True, f"Signed with {method}, a key that {issuer_id} publishes."), public_key


def _check_signature(credential: dict[str, Any], public_key: Any) -> Check:
    if public_key is None:
        return Check("signature", False, "Not checked: the signing key is not the issuer's.")
    try:
        ok = verify(credential, public_key=public_key)
    except (JsonLdError, CanonicalisationError, ProofError) as exc:
        return Check("signature", False, f"Cannot be canonicalised: {exc}")
    if ok:
        return Check("signature", True, "The eddsa-rdfc-2022 signature matches the credential.")
    return Check("signature", False, "The signature does not match: the credential was altered or forged.")


def _check_validity(credential: dict[str, Any], now: datetime) -> Check:
    valid_from = _date(credential["validFrom"], "validFrom")
    if valid_from > now:
        return Check("validity", False, f"Not valid before {valid_from.isoformat()}.")
    if "validUntil" in credential:
        valid_until = _date(credential["validUntil"], "validUntil")
        if valid_until <= now:
            return Check("validity", False, f"Expired on {valid_until.isoformat()}; recertification is due.")
        return Check("validity", True, f"Valid until {valid_until.isoformat()}.")
    return Check("validity", True, "Valid from issue, with no expiry.")


_STATUS_URL = re.compile(r"^(?P<site>.+)/certificates/status/(?P<pk>\d+)$")


def _check_status(credential: dict[str, Any]) -> Check:
    status = credential.get("credentialStatus")
    if not isinstance(status, dict):
        return Check("status", None, "The credential has no revocation status.")
    match = _STATUS_URL.match(str(status.get("statusListCredential", "")))
    if not match or match["site"] != site_url():
        raise ForeignCredentialError("The status list is not one of this site's.")
    status_list = StatusList.objects.filter(pk=int(match["pk"])).first()
    if status_list is None:
        raise ForeignCredentialError("The status list does not exist.")
    try:
        index = int(status.get("statusListIndex", ""))
        revoked = bit_is_set(bytes(status_list.bits), index)
    except (ValueError, StatusIndexError) as exc:
        raise MalformedCredentialError(f"statusListIndex: {exc}") from exc
    if revoked:
        return Check("status", False, "Revoked by the issuer.")
    return Check("status", True, "Not revoked.")


def _check_subject(credential: dict[str, Any], *, name: str, email: str) -> Check:
    if not name and not email:
        return Check("subject", None, "No name or email given to compare.")
    subject = credential["credentialSubject"]
    identifiers = subject.get("identifier", []) if isinstance(subject, dict) else []
    wanted = {"name": canonical_name(name) if name else None, "emailAddress": canonical_email(email) if email else None}
    results = []
    for kind, value in wanted.items():
        if value is None:
            continue
        entries = [i for i in identifiers if isinstance(i, dict) and i.get("identityType") == kind]
        results.append(any(i.get("identityHash") == identity_hash(value, str(i.get("salt", ""))) for i in entries))
    if all(results):
        return Check("subject", True, "The given name/email matches the credential's hashed subject.")
    return Check("subject", False, "The given name/email does not match the credential's subject.")


def verify_credential(
    *, data: bytes | dict[str, Any], name: str = "", email: str = "", now: datetime | None = None
) -> VerificationResult:
    """Verify a credential given as JSON, a certificate PDF or a baked PNG.

    Raises VerificationInputError (with the HTTP status to answer) when there is nothing to verify
    or the credential is another issuer's; otherwise returns every check's outcome.
    """
    if isinstance(data, dict):
        credential = data
    else:
        try:
            credential = parse_credential(read_credential_file(data))
        except CredentialFileError as exc:
            raise MalformedCredentialError(str(exc)) from exc
    _require_shape(credential)
    try:
        proof = read_proof(credential)
    except ProofError as exc:
        raise MalformedCredentialError(str(exc)) from exc
    if proof.proof_purpose != "assertionMethod":
        raise MalformedCredentialError("The proof's purpose must be assertionMethod.")
    issuer_check, public_key = _check_issuer(credential, proof.verification_method)
    result = VerificationResult(credential_id=str(credential["id"]))
    result.checks = [
        _check_signature(credential, public_key),
        issuer_check,
        _check_validity(credential, now or timezone.now()),
        _check_status(credential),
        _check_subject(credential, name=name, email=email),
    ]
    certificate_id = str(credential["id"]).removeprefix("urn:uuid:")
    try:
        result.certificate = Certificate.objects.filter(pk=uuid.UUID(certificate_id)).first()
    except ValueError:
        result.certificate = None
    return result
