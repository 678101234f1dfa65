"""Verification of a credential, with each check reported on its own.

A relying party needs to know *why* a certificate fails: a bad signature means forgery or
tampering, a revoked one was withdrawn by the issuer, an expired one needs recertification. So the
service never collapses the checks into one boolean before reporting them.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pyld.jsonld import JsonLdError

from foundation.numerals import format_date

from .addresses import verify_url
from .contexts import CREDENTIALS_V2, OPEN_BADGES_V3
from .credentials import canonical_email, canonical_name, identity_hash
from .integrity import CanonicalisationError, ProofError, read_proof, verify
from .issuers import UnknownIssuerError, profile_for_did
from .keys import key_ring, site_url
from .models import Certificate, StatusList
from .registries.lookup import RegistryReport, registry_report
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


CHECK_LABELS = {
    "signature": _("Signature"),
    "issuer": _("Issuer's key"),
    "validity": _("Validity dates"),
    "status": _("Revocation status"),
    "subject": _("Name"),
    "registry": _("Registry of accredited issuers"),
}

# Every outcome a check can report: a stable code for machines, a sentence for people, translated
# when it is read (the Bengali page reads it in Bengali; the API in the negotiated language).
CHECK_DETAILS = {
    "signature_valid": _("The eddsa-rdfc-2022 signature matches the credential."),
    "signature_mismatch": _("The signature does not match: the credential was altered or forged."),
    "signature_not_checked": _("Not checked: the signing key is not the issuer's."),
    "signature_unreadable": _("Cannot be canonicalised: %(error)s"),
    "issuer_key_published": _("Signed with %(method)s, a key that %(issuer)s publishes."),
    "issuer_key_elsewhere": _("The signing key belongs to %(controller)s, not to the issuer %(issuer)s."),
    "issuer_key_unknown": _("%(issuer)s publishes no key %(key)s."),
    "not_yet_valid": _("Not valid before %(date)s."),
    "expired": _("Expired on %(date)s; recertification is due."),
    "valid_until": _("Valid until %(date)s."),
    "valid_without_expiry": _("Valid from issue, with no expiry."),
    "not_revoked": _("Not revoked."),
    "revoked": _("Revoked by the issuer."),
    "no_status": _("The credential has no revocation status."),
    "subject_matches": _("The given name/email matches the credential's hashed subject."),
    "subject_differs": _("The given name/email does not match the credential's subject."),
    "subject_not_compared": _("No name or email given to compare."),
    # integrations: an issuer no registry lists is unknown to them, never a fault of the signature
    "registry_listed": _("Listed by %(registry)s as %(name)s."),
    "registry_unlisted": _("No trusted registry lists %(issuer)s: the issuer is unknown to them."),
    "registry_unlisted_some_unreadable": _(
        "No registry that could be read lists %(issuer)s; could not read: %(registries)s."
    ),
    "registry_unreadable": _("No registry could be read: %(registries)s."),
    "registry_none_configured": _("No registry of accredited issuers is configured."),
}


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool | None  # None: not checked (e.g. no name was given to compare)
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.name not in CHECK_LABELS or self.code not in CHECK_DETAILS:
            raise ValueError(f"Unknown check {self.name} or outcome {self.code}")

    @property
    def label(self) -> str:
        return str(CHECK_LABELS[self.name])

    @property
    def detail(self) -> str:
        """The outcome in words, in the active language (a date as the reader writes dates, in
        their digits; ``params`` keep the ISO 8601 form)."""
        return str(CHECK_DETAILS[self.code]) % {key: _for_reader(key, value) for key, value in self.params.items()}


def _for_reader(key: str, value: str) -> str:
    moment = parse_datetime(value) if key == "date" else None
    return format_date(timezone.localtime(moment) if timezone.is_aware(moment) else moment) if moment else value


@dataclass
class VerificationResult:
    credential_id: str
    checks: list[Check] = field(default_factory=list)
    registries: RegistryReport | None = None

    @cached_property
    def certificate(self) -> Certificate | None:
        """This site's certificate with the credential's id, looked up only when asked for."""
        try:
            return Certificate.objects.filter(pk=uuid.UUID(self.credential_id.removeprefix("urn:uuid:"))).first()
        except ValueError:
            return None

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

    @cached_property
    def superseded_by(self) -> Certificate | None:
        """The newer certificate that superseded this one (a recertification), if any: the older one
        stays genuine and unrevoked, and a verifier is pointed to the newer one."""
        certificate = self.certificate
        if certificate is None or certificate.superseded_at is None:
            return None
        return Certificate.objects.filter(replaces=certificate).first()

    def as_dict(self) -> dict[str, Any]:
        return {
            "credential_id": self.credential_id,
            "genuine": self.genuine,
            "revoked": self.revoked,
            "expired": self.expired,
            "valid": self.valid,
            "superseded": self.superseded_by is not None,
            "superseded_by": _newer(self.superseded_by),
            "checks": {
                check.name: {"passed": check.passed, "code": check.code, "detail": check.detail}
                for check in self.checks
            },
            "listed_by": [
                {"registry": outcome.registry, "name": outcome.listed_name, "detail": outcome.detail}
                for outcome in (self.registries.listings if self.registries else [])
            ],
            "registries": [outcome.as_dict() for outcome in (self.registries.outcomes if self.registries else [])],
        }


def _newer(certificate: Certificate | None) -> dict[str, str] | None:
    if certificate is None:
        return None
    return {"credential_id": certificate.credential_id, "verification_page": verify_url(certificate.pk)}


def _require_shape(credential: dict[str, Any]) -> None:
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or contexts[:2] != [CREDENTIALS_V2, OPEN_BADGES_V3]:
        raise MalformedCredentialError(gettext("@context must start with the VC 2.0 and Open Badges 3.0.3 contexts."))
    types = credential.get("type")
    if not isinstance(types, list) or "OpenBadgeCredential" not in types:
        raise MalformedCredentialError(gettext("type must include OpenBadgeCredential."))
    for name in ("id", "issuer", "validFrom", "credentialSubject", "proof"):
        if name not in credential:
            raise MalformedCredentialError(gettext("The credential has no %(property)s.") % {"property": name})


def _issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential["issuer"]
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str):
        raise MalformedCredentialError(gettext("The issuer has no id."))
    return issuer_id


def _date(value: Any, name: str) -> datetime:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise MalformedCredentialError(
            gettext("%(property)s is not a date-time with a time zone.") % {"property": name}
        )
    return moment


def _check_issuer(credential: dict[str, Any], method: str) -> tuple[Check, Any]:
    issuer_id = _issuer_id(credential)
    try:
        profile_for_did(issuer_id)
    except UnknownIssuerError as exc:
        raise ForeignCredentialError(str(exc)) from exc
    controller, _, key_id = method.partition("#")
    if controller != issuer_id:
        return Check("issuer", False, "issuer_key_elsewhere", {"controller": controller, "issuer": issuer_id}), None
    public_key = key_ring().public_key(key_id)
    if public_key is None:
        return Check("issuer", False, "issuer_key_unknown", {"issuer": issuer_id, "key": key_id}), None
    return Check("issuer", True, "issuer_key_published", {"method": method, "issuer": issuer_id}), public_key


def _check_signature(credential: dict[str, Any], public_key: Any) -> Check:
    if public_key is None:
        return Check("signature", False, "signature_not_checked")
    try:
        ok = verify(credential, public_key=public_key)
    except (JsonLdError, CanonicalisationError, ProofError, TypeError, ValueError, KeyError) as exc:
        # pyld raises plain Python errors, not only JsonLdError, on structurally odd JSON-LD
        return Check("signature", False, "signature_unreadable", {"error": str(exc)})
    if ok:
        return Check("signature", True, "signature_valid")
    return Check("signature", False, "signature_mismatch")


def _check_validity(credential: dict[str, Any], now: datetime) -> Check:
    valid_from = _date(credential["validFrom"], "validFrom")
    if valid_from > now:
        return Check("validity", False, "not_yet_valid", {"date": valid_from.isoformat()})
    if "validUntil" in credential:
        valid_until = _date(credential["validUntil"], "validUntil")
        if valid_until <= now:
            return Check("validity", False, "expired", {"date": valid_until.isoformat()})
        return Check("validity", True, "valid_until", {"date": valid_until.isoformat()})
    return Check("validity", True, "valid_without_expiry")


_STATUS_URL = re.compile(r"^(?P<site>.+)/certificates/status/(?P<pk>\d+)$")


def _check_status(credential: dict[str, Any]) -> Check:
    status = credential.get("credentialStatus")
    if not isinstance(status, dict):
        return Check("status", None, "no_status")
    match = _STATUS_URL.match(str(status.get("statusListCredential", "")))
    if not match or match["site"] != site_url():
        raise ForeignCredentialError(gettext("The status list is not one of this site's."))
    status_list = StatusList.objects.filter(pk=int(match["pk"])).only("bits").first()
    if status_list is None:
        raise ForeignCredentialError(gettext("The status list does not exist."))
    try:
        index = int(status.get("statusListIndex", ""))
        revoked = bit_is_set(bytes(status_list.bits), index)
    except (ValueError, StatusIndexError) as exc:
        raise MalformedCredentialError(f"statusListIndex: {exc}") from exc
    if revoked:
        return Check("status", False, "revoked")
    return Check("status", True, "not_revoked")


def _check_subject(credential: dict[str, Any], *, name: str, email: str) -> Check:
    if not name and not email:
        return Check("subject", None, "subject_not_compared")
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
        return Check("subject", True, "subject_matches")
    return Check("subject", False, "subject_differs")


def _check_registries(credential: dict[str, Any]) -> tuple[Check, RegistryReport]:
    issuer = credential["issuer"]
    issuer_id = _issuer_id(credential)
    issuer_name = issuer.get("name", "") if isinstance(issuer, dict) else ""
    report = registry_report(issuer_id, issuer_name if isinstance(issuer_name, str) else "")
    unreadable = ", ".join(outcome.registry for outcome in report.unreadable)
    if report.listings:
        first = report.listings[0]
        return Check(
            "registry", True, "registry_listed", {"registry": first.registry, "name": first.listed_name}
        ), report
    if not report.outcomes:
        return Check("registry", None, "registry_none_configured"), report
    if len(report.unreadable) == len(report.outcomes):
        return Check("registry", None, "registry_unreadable", {"registries": unreadable}), report
    if report.unreadable:
        params = {"issuer": issuer_id, "registries": unreadable}
        return Check("registry", False, "registry_unlisted_some_unreadable", params), report
    return Check("registry", False, "registry_unlisted", {"issuer": issuer_id}), report


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
        raise MalformedCredentialError(gettext("The proof's purpose must be assertionMethod."))
    issuer_check, public_key = _check_issuer(credential, proof.verification_method)
    registry_check, registries = _check_registries(credential)
    result = VerificationResult(credential_id=str(credential["id"]), registries=registries)
    result.checks = [
        _check_signature(credential, public_key),
        issuer_check,
        _check_validity(credential, now or timezone.now()),
        _check_status(credential),
        _check_subject(credential, name=name, email=email),
        registry_check,
    ]
    return result
