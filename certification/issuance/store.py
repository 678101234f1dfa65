"""Store: files and row in one go, exactly once per (enrolment, generation), and for a programme
once per (programme completion, generation).

The unique constraint settles a race between two workers: the loser deletes its files and
returns the winner's certificate.
"""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import AuditAction, AuditEntry, Certificate, CertificateKind
from ..revocation import set_revoked
from .compose import Draft
from .facts import ProgrammeFacts
from .render import Rendered

logger = logging.getLogger(__name__)


def existing_certificate(
    *, enrolment_id: int | None = None, generation: int, programme_completion_id: int | None = None
) -> Certificate | None:
    if programme_completion_id is not None:
        return Certificate.objects.filter(
            programme_completion_id=programme_completion_id, generation=generation
        ).first()
    return Certificate.objects.filter(enrolment_id=enrolment_id, generation=generation).first()


_ACTIONS = {
    CertificateKind.COURSE: AuditAction.ISSUED,
    CertificateKind.REISSUE: AuditAction.REISSUED,
    CertificateKind.RECERTIFICATION: AuditAction.RECERTIFIED,
    CertificateKind.PROGRAMME: AuditAction.ISSUED,
}


def _supersedable(certificate: Certificate) -> Certificate | None:
    """The certificate to supersede, locked, or None when it was revoked meanwhile."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    return None if locked.is_revoked else locked


def _supersede(certificate: Certificate, *, by: Certificate, actor: AbstractBaseUser | None) -> None:
    certificate.superseded_at = timezone.now()
    certificate.save(update_fields=["superseded_at"])
    AuditEntry.objects.create(
        action=AuditAction.SUPERSEDED, certificate=certificate, actor=actor, details={"superseded_by": str(by.pk)}
    )


def _subject_fields(draft: Draft) -> dict:
    """What the row says the certificate is of: a course (enrolment) or a programme (completion)."""
    facts = draft.facts
    if isinstance(facts, ProgrammeFacts):
        return {
            "programme_completion": facts.completion,
            "course_title": facts.programme.title,
            "credit_hours": None,
            "score": None,
        }
    return {
        "enrolment": facts.enrolment,
        "course": facts.source_course,
        "course_title": facts.course.title,
        "credit_hours": facts.course.credit_hours,
        "score": facts.score,
    }


def store(
    *,
    draft: Draft,
    raw: bytes,
    rendered: Rendered,
    generation: int,
    replaces: Certificate | None,
    actor: AbstractBaseUser | None,
    reason: str,
    kind: str = CertificateKind.COURSE,
    cycle: int = 1,
) -> Certificate:
    """Save the PDF and badge, then the row, the audit entry and what becomes of the replaced
    certificate (revoked by a re-issue, superseded by a recertification) in one transaction.

    A certificate to supersede that was revoked meanwhile is not superseded: the new one is stored as
    a certificate of its own (a revoked certificate is never recertified)."""
    facts = draft.facts
    if isinstance(facts, ProgrammeFacts):
        kind = CertificateKind.PROGRAMME
    elif replaces is not None and kind == CertificateKind.COURSE:
        kind = CertificateKind.REISSUE
    certificate = Certificate(
        id=draft.certificate_id,
        user=facts.user,
        generation=generation,
        replaces=replaces,
        kind=kind,
        cycle=cycle,
        issuer=draft.profile,
        recipient_name=facts.recipient_name,
        accrediting_body_name=rendered.accrediting_body,
        language=facts.language,
        completed_at=facts.completed_at,
        issued_at=draft.issued_at,
        valid_until=draft.valid_until,
        verification_method=draft.verification_method,
        credential=raw.decode("utf-8"),
        renderer=rendered.renderer,
        status_list=draft.status_list,
        status_index=draft.status_index,
        **_subject_fields(draft),
    )
    certificate.pdf.save(f"{draft.certificate_id}.pdf", ContentFile(rendered.pdf), save=False)
    certificate.badge.save(f"{draft.certificate_id}.png", ContentFile(rendered.badge), save=False)
    try:
        with transaction.atomic():
            if kind == CertificateKind.RECERTIFICATION:
                replaces = _supersedable(replaces)
                if replaces is None:
                    certificate.replaces, certificate.kind = None, CertificateKind.COURSE
            certificate.save(force_insert=True)
            if replaces is not None and certificate.kind == CertificateKind.RECERTIFICATION:
                _supersede(replaces, by=certificate, actor=actor)
            elif replaces is not None:
                set_revoked(replaces, reason=f"Replaced by {draft.certificate_id}. {reason}".strip(), actor=actor)
            AuditEntry.objects.create(
                action=_ACTIONS[certificate.kind],
                certificate=certificate,
                actor=actor,
                reason=reason,
                details={
                    "replaces": str(replaces.pk) if replaces else None,
                    "status_list": draft.status_list.pk,
                    "status_index": draft.status_index,
                    "verification_method": draft.verification_method,
                    "renderer": rendered.renderer,
                },
            )
    except IntegrityError:
        certificate.pdf.delete(save=False)
        certificate.badge.delete(save=False)
        winner = existing_certificate(
            enrolment_id=certificate.enrolment_id,
            programme_completion_id=certificate.programme_completion_id,
            generation=generation,
        )
        if winner is None and replaces is not None:
            winner = Certificate.objects.filter(replaces=replaces).first()
        if winner is None:
            raise
        logger.info("Certificate %s was issued concurrently; kept the winner's", winner.pk)
        return winner
    return certificate
