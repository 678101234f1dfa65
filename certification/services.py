"""Issuing, revoking and re-issuing certificates: the only functions that change them.

Issuing is the pipeline in ``certification.issuance`` (compose, sign, verify what was signed,
render, store). Exactly one certificate exists per (learner, course, generation): a second call,
a retried task or a duplicate signal finds the first one, and a race between two workers is
settled by the unique constraint.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage
from lms.models import Enrolment, NoticeKind, ProgrammeCompletion
from lms.selectors import cycle_key
from lms.services import record_notice

from . import issuance
from .addresses import status_list_url, verify_url
from .credentials import serialise, status_list_credential
from .integrity import sign
from .issuers import issuer_did
from .keys import key_ring
from .models import Certificate, CertificateKind, Recertification, StatusList
from .revocation import set_revoked
from .status_lists import encode_bits

__all__ = [
    "CertificateStateError",
    "issue_certificate",
    "issue_programme_certificate",
    "reissue_certificate",
    "revoke_certificate",
    "signed_status_list",
    "status_list_url",
    "verify_url",
]


class CertificateStateError(ValueError):
    """An action that the certificate's current state does not allow (e.g. revoking twice)."""


def issue_certificate(*, enrolment: Enrolment) -> Certificate:
    """The certificate of a completed enrolment's current cycle; the same one however often it is asked for.

    A cycle that a recertification opened issues the certificate that supersedes the expiring one
    (of the certified course, also when the learner took its refresher course); any other completion
    issues a course certificate."""
    if enrolment.completed_at is None:
        raise CertificateStateError("The enrolment is not completed; no certificate is issued.")
    # the enrolment's certificates, newest first (usually none, at most a few): one query for both
    # "is this cycle's certificate issued?" and "which generation comes next?"
    issued = list(Certificate.objects.filter(enrolment_id=enrolment.pk).order_by("-generation"))
    certificate = next((each for each in issued if each.cycle == enrolment.cycle), None)
    if certificate is None:
        latest = issued[0].generation if issued else 0
        previous = _certificate_to_supersede(enrolment)
        if previous is None:
            certificate = _issue(enrolment=enrolment, generation=latest + 1, cycle=enrolment.cycle)
        else:
            certificate = _issue(
                enrolment=enrolment,
                generation=max(latest, previous.generation) + 1,
                replaces=previous,
                kind=CertificateKind.RECERTIFICATION,
                cycle=enrolment.cycle,
                course=previous.course,
            )
    # once per cycle: the notice is unique per kind and key
    record_notice(enrolment=enrolment, kind=NoticeKind.CERTIFICATE, key=cycle_key(enrolment))
    return certificate


def current_in_chain(certificate: Certificate) -> Certificate:
    """The certificate that stands for ``certificate`` now: itself, or its corrected re-issue(s)."""
    while certificate.is_revoked and (replacement := Certificate.objects.filter(replaces=certificate).first()):
        if replacement.kind != CertificateKind.REISSUE:
            break
        certificate = replacement
    return certificate


def _certificate_to_supersede(enrolment: Enrolment) -> Certificate | None:
    """The certificate this cycle recertifies, if a recertification opened it and it still stands."""
    opened = Recertification.objects.filter(enrolment_id=enrolment.pk, cycle=enrolment.cycle).first()
    if opened is None:
        return None
    previous = current_in_chain(opened.certificate)
    return None if previous.is_revoked or previous.is_superseded else previous


def issue_programme_certificate(*, completion: ProgrammeCompletion) -> Certificate:
    """The certificate of a completed programme; the same one however often it is asked for (one per
    completion and generation, a database constraint; one completion per learner and programme,
    another). The courses' own certificates are issued first where they are due and missing, so the
    programme's credential can name them; a course that holds its certificates until released is
    listed without one."""
    from .release import hold_or_release

    for enrolment in completion.enrolments.select_related("user", "course").exclude(certificates__isnull=False):
        if hold_or_release(enrolment):
            issue_certificate(enrolment=enrolment)
    return issuance.issue_programme(completion=completion)


def _issue(
    *,
    enrolment: Enrolment,
    generation: int,
    replaces: Certificate | None = None,
    recipient_name: str = "",
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    kind: str = CertificateKind.COURSE,
    cycle: int = 1,
    course: CoursePage | None = None,
) -> Certificate:
    return issuance.issue(
        enrolment=enrolment,
        generation=generation,
        replaces=replaces,
        recipient_name=recipient_name,
        actor=actor,
        reason=reason,
        kind=kind,
        cycle=cycle,
        course=course,
    )


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, reason: str, actor: AbstractBaseUser | None = None) -> Certificate:
    """Set the certificate's revocation bit; every verification from now on reports it revoked."""
    reason = reason.strip()
    if not reason:
        raise CertificateStateError("Give a reason for the revocation.")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise CertificateStateError("This certificate is already revoked.")
    set_revoked(certificate, reason=reason, actor=actor)
    return certificate


def reissue_certificate(
    *, certificate: Certificate, reason: str, recipient_name: str = "", actor: AbstractBaseUser | None = None
) -> Certificate:
    """A corrected certificate (e.g. a misspelt name) that replaces, and revokes, the old one."""
    reason = reason.strip()
    if not reason:
        raise CertificateStateError("Give a reason for the re-issue.")
    if certificate.is_revoked:
        raise CertificateStateError("A revoked certificate cannot be re-issued; re-issue its replacement.")
    if certificate.is_superseded:
        raise CertificateStateError(
            "A superseded certificate cannot be re-issued; re-issue the recertification that superseded it."
        )

    if certificate.is_of_programme:
        raise CertificateStateError("A programme's certificate cannot be re-issued; revoke it and issue it again.")
    latest = Certificate.objects.filter(enrolment_id=certificate.enrolment_id).order_by("-generation").first()
    return _issue(
        enrolment=certificate.enrolment,
        generation=latest.generation + 1,
        replaces=certificate,
        recipient_name=recipient_name.strip() or certificate.recipient_name,
        actor=actor,
        reason=reason,
        kind=CertificateKind.REISSUE,
        cycle=certificate.cycle,
        course=certificate.course,
    )


def signed_status_list(*, status_list: StatusList) -> str:
    """The status list credential as served: re-signed only when a bit changed since the last time."""
    if status_list.signed_version == status_list.version and status_list.signed_credential:
        return status_list.signed_credential
    version, bits = status_list.version, bytes(status_list.bits)
    ring = key_ring()
    did = issuer_did(status_list.issuer)
    now = timezone.now()
    document = status_list_credential(
        url=status_list_url(status_list), issuer_did=did, encoded_list=encode_bits(bits), valid_from=now
    )
    signed = serialise(
        sign(document, private_key=ring.active_key, verification_method=f"{did}#{ring.active_id}", created=now)
    )
    StatusList.objects.filter(pk=status_list.pk, version=version).update(
        signed_credential=signed, signed_version=version
    )
    return signed
