"""Erasure of a learner's certificates (docs/security.md, "Erasure of issued certificates").

What the site keeps and shows after a learner is erased: the certificate row (so the status list,
the audit log and the organisation's counts stay whole) with the printed name emptied and
``name_withheld_at`` set; the public verification page and the API say the name is withheld; the
stored PDF is rendered again with that sentence where the name was. The signed credential is not
touched: it names the learner only through a salted hash, and the copy the learner holds (PDF,
baked badge, wallet, paper QR) still verifies, including the name check for whoever the learner
shows it to with their name.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .addresses import verify_url
from .issuance.render import template_for_course
from .models import AuditAction, AuditEntry, Certificate
from .paper_qr import paper_qr
from .rendering import CertificateContent, render_certificate


def withheld_name_label(language: str) -> str:
    with translation.override(language):
        return _("Name withheld at the holder's request")


def _reprint_without_name(certificate: Certificate) -> bytes:
    template = template_for_course(certificate.course)
    look = (
        {
            "layout": template.layout,
            "accent_colour": template.accent_colour,
            "signatory_name": template.signatory_name,
            "signatory_title": template.signatory_title,
        }
        if template
        else {}
    )
    url = verify_url(certificate.pk)
    content = CertificateContent(
        certificate_id=str(certificate.pk),
        recipient_name=withheld_name_label(certificate.language),
        course_title=certificate.course_title,
        credit_hours=certificate.credit_hours,
        accrediting_body=certificate.accrediting_body_name,
        issuer_name=certificate.issuer.name,
        completed_at=certificate.completed_at,
        issued_at=certificate.issued_at,
        valid_until=certificate.valid_until,
        language=certificate.language,
        verify_url=url,
        **look,
    )
    raw = certificate.credential.encode("utf-8")
    pdf, _renderer = render_certificate(content, credential=raw, qr=paper_qr(url, raw).code)
    return pdf


def withhold_names(*, user: AbstractBaseUser) -> int:
    """Withhold the learner's name on every certificate of theirs; how many certificates changed."""
    changed = 0
    for certificate in Certificate.objects.filter(user=user, name_withheld_at__isnull=True).select_related(
        "course", "issuer"
    ):
        pdf = _reprint_without_name(certificate)
        old_pdf = certificate.pdf.name
        with transaction.atomic():
            certificate.pdf.save(f"{certificate.pk}-withheld.pdf", ContentFile(pdf), save=False)
            certificate.recipient_name = ""
            certificate.name_withheld_at = timezone.now()
            certificate.save(update_fields=["pdf", "recipient_name", "name_withheld_at"])
            AuditEntry.objects.create(action=AuditAction.NAME_WITHHELD, certificate=certificate)
        if old_pdf and old_pdf != certificate.pdf.name:
            certificate.pdf.storage.delete(old_pdf)
        changed += 1
    return changed
