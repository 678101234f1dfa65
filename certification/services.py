"""Issuing, revoking and re-issuing certificates: the only functions that change them.

Issuing is a pipeline of small steps (allocate a status bit, compose, sign, render, store), in
that order so that the slow steps hold no lock and no transaction. Exactly one certificate exists
per (learner, course, generation): a second call, a retried task or a duplicate signal finds the
first one, and a race between two workers is settled by the unique constraint.
"""

import logging
import uuid
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import CoursePage
from lms.models import Enrolment

from .credentials import compose_credential, serialise, status_list_credential
from .integrity import sign
from .issuers import issuer_did, profile_for_course
from .keys import key_ring, site_url
from .models import AuditAction, AuditEntry, Certificate, CertificateTemplate, IssuerProfile, StatusList
from .rendering import CertificateContent, baked_badge, qr_text, render_certificate
from .status_lists import allocate_status_index, encode_bits, with_bit

logger = logging.getLogger(__name__)


class CertificateStateError(ValueError):
    """An action that the certificate's current state does not allow (e.g. revoking twice)."""


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    days_in_month = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month[month - 1]))


def status_list_url(status_list: StatusList) -> str:
    return f"{site_url()}/certificates/status/{status_list.pk}"


def verify_url(certificate_id: uuid.UUID) -> str:
    return f"{site_url()}/v/{certificate_id}"


def template_for_course(course: CoursePage) -> CertificateTemplate | None:
    return CertificateTemplate.objects.filter(courses__translation_key=course.translation_key).order_by("pk").first()


def _accrediting_body_name(course: CoursePage) -> str:
    body = course.accrediting_body
    if body is None:
        return ""
    translated = body.get_translation_or_none(course.locale)
    return (translated or body).name


def _issuer_profile_json(profile: IssuerProfile) -> dict[str, Any]:
    data = {"id": issuer_did(profile), "type": ["Profile"], "name": profile.name, "url": profile.url}
    if profile.email:
        data["email"] = profile.email
    return data


def issue_certificate(*, enrolment: Enrolment) -> Certificate:
    """The certificate of a completed enrolment; the same one however often it is asked for."""
    if enrolment.completed_at is None:
        raise CertificateStateError("The enrolment is not completed; no certificate is issued.")
    return _issue(enrolment=enrolment, generation=1)


def _issue(
    *,
    enrolment: Enrolment,
    generation: int,
    replaces: Certificate | None = None,
    recipient_name: str = "",
    actor: AbstractBaseUser | None = None,
    reason: str = "",
) -> Certificate:
    existing = Certificate.objects.filter(enrolment=enrolment, generation=generation).first()
    if existing is not None:
        return existing

    user, course, completed_at, score = enrolment.user, enrolment.course, enrolment.completed_at, enrolment.score_scaled
    profile = profile_for_course(course)
    status_list, status_index = allocate_status_index(issuer=profile)
    certificate_id = uuid.uuid4()
    issued_at = timezone.now()
    valid_until = add_months(completed_at, course.certificate_valid_months) if course.certificate_valid_months else None
    name = recipient_name or user.get_full_name() or user.get_username()
    ring = key_ring()
    verification_method = f"{issuer_did(profile)}#{ring.active_id}"

    credential = compose_credential(
        certificate_id=f"urn:uuid:{certificate_id}",
        issuer=_issuer_profile_json(profile),
        course=course,
        site=site_url(),
        recipient_name=name,
        recipient_email=getattr(user, "email", ""),
        completed_at=completed_at,
        issued_at=issued_at,
        valid_until=valid_until,
        score=score,
        status_list_url=status_list_url(status_list),
        status_index=status_index,
    )
    signed = sign(credential, private_key=ring.active_key, verification_method=verification_method, created=issued_at)
    raw = serialise(signed).encode("utf-8")

    template = template_for_course(course)
    url = verify_url(certificate_id)
    accrediting_body = _accrediting_body_name(course)
    content = CertificateContent(
        certificate_id=str(certificate_id),
        recipient_name=name,
        course_title=course.title,
        credit_hours=course.credit_hours,
        accrediting_body=accrediting_body,
        issuer_name=profile.name,
        completed_at=completed_at,
        issued_at=issued_at,
        valid_until=valid_until,
        language=course.language,
        verify_url=url,
        qr_text=qr_text(url, raw),
        **(
            {
                "layout": template.layout,
                "accent_colour": template.accent_colour,
                "signatory_name": template.signatory_name,
                "signatory_title": template.signatory_title,
            }
            if template
            else {}
        ),
    )
    pdf, renderer = render_certificate(content, credential=raw)
    badge = baked_badge(
        raw,
        label=course.curriculum_code or f"{course.credit_hours or ''} h".strip(),
        accent_colour=content.accent_colour,
    )

    certificate = Certificate(
        id=certificate_id,
        enrolment=enrolment,
        user=user,
        course=course,
        generation=generation,
        replaces=replaces,
        issuer=profile,
        recipient_name=name,
        course_title=course.title,
        credit_hours=course.credit_hours,
        accrediting_body_name=accrediting_body,
        language=course.language,
        score=score,
        completed_at=completed_at,
        issued_at=issued_at,
        valid_until=valid_until,
        verification_method=verification_method,
        credential=raw.decode("utf-8"),
        renderer=renderer,
        status_list=status_list,
        status_index=status_index,
    )
    certificate.pdf.save(f"{certificate_id}.pdf", ContentFile(pdf), save=False)
    certificate.badge.save(f"{certificate_id}.png", ContentFile(badge), save=False)
    try:
        with transaction.atomic():
            certificate.save(force_insert=True)
            if replaces is not None:
                _revoke(replaces, reason=f"Replaced by {certificate_id}. {reason}".strip(), actor=actor)
            AuditEntry.objects.create(
                action=AuditAction.REISSUED if replaces else AuditAction.ISSUED,
                certificate=certificate,
                actor=actor,
                reason=reason,
                details={
                    "replaces": str(replaces.pk) if replaces else None,
                    "status_list": status_list.pk,
                    "status_index": status_index,
                    "verification_method": verification_method,
                    "renderer": renderer,
                },
            )
    except IntegrityError:
        certificate.pdf.delete(save=False)
        certificate.badge.delete(save=False)
        existing = Certificate.objects.filter(enrolment=enrolment, generation=generation).first()
        if existing is None:
            raise
        logger.info("Certificate for enrolment %s was issued concurrently; kept that one", enrolment.pk)
        return existing
    return certificate


def _revoke(certificate: Certificate, *, reason: str, actor: AbstractBaseUser | None) -> None:
    status_list = StatusList.objects.select_for_update().get(pk=certificate.status_list_id)
    status_list.bits = with_bit(bytes(status_list.bits), certificate.status_index, True)
    status_list.version += 1
    status_list.save(update_fields=["bits", "version", "updated_at"])
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revocation_reason"])
    AuditEntry.objects.create(action=AuditAction.REVOKED, certificate=certificate, actor=actor, reason=reason)


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, reason: str, actor: AbstractBaseUser | None = None) -> Certificate:
    """Set the certificate's revocation bit; every verification from now on reports it revoked."""
    reason = reason.strip()
    if not reason:
        raise CertificateStateError("Give a reason for the revocation.")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise CertificateStateError("This certificate is already revoked.")
    _revoke(certificate, reason=reason, actor=actor)
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
    latest = Certificate.objects.filter(enrolment_id=certificate.enrolment_id).order_by("-generation").first()
    return _issue(
        enrolment=certificate.enrolment,
        generation=latest.generation + 1,
        replaces=certificate,
        recipient_name=recipient_name.strip() or certificate.recipient_name,
        actor=actor,
        reason=reason,
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
