"""Render: the QR code (encoded once), the PDF with the credential attached, the baked badge."""

from dataclasses import dataclass

from courses.models import CoursePage

from ..addresses import verify_url
from ..models import CertificateTemplate
from ..paper_qr import paper_qr
from ..rendering import CertificateContent, baked_badge, render_certificate
from .compose import Draft
from .facts import ProgrammeFacts


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    badge: bytes
    renderer: str
    accrediting_body: str
    qr_text: str


def template_for_course(course: CoursePage | None) -> CertificateTemplate | None:
    if course is None:  # a programme's certificate: the default look
        return None
    return CertificateTemplate.objects.filter(courses__translation_key=course.translation_key).order_by("pk").first()


def accrediting_body_name(course: CoursePage) -> str:
    body = course.accrediting_body
    if body is None:
        return ""
    if body.locale_id == course.locale_id:
        return body.name
    translated = body.get_translation_or_none(course.locale_id)
    return (translated or body).name


def render(*, draft: Draft, raw: bytes) -> Rendered:
    """Everything printed is taken from the draft; the credential bytes go in unchanged."""
    if isinstance(draft.facts, ProgrammeFacts):
        return _render_programme(draft=draft, raw=raw)
    course = draft.facts.course
    template = template_for_course(course)
    url = verify_url(draft.certificate_id)
    body = accrediting_body_name(course)
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
    content = CertificateContent(
        certificate_id=str(draft.certificate_id),
        recipient_name=draft.facts.recipient_name,
        course_title=course.title,
        credit_hours=course.credit_hours,
        accrediting_body=body,
        issuer_name=draft.profile.name,
        completed_at=draft.facts.completed_at,
        issued_at=draft.issued_at,
        valid_until=draft.valid_until,
        language=draft.facts.language,
        verify_url=url,
        **look,
    )
    qr = paper_qr(url, raw)
    pdf, renderer = render_certificate(content, credential=raw, qr=qr.code)
    label = course.curriculum_code or f"{course.credit_hours or ''} h".strip()
    badge = baked_badge(raw, label=label, accent_colour=content.accent_colour)
    return Rendered(pdf=pdf, badge=badge, renderer=renderer, accrediting_body=body, qr_text=qr.text)


def _render_programme(*, draft: Draft, raw: bytes) -> Rendered:
    """A programme's certificate: the programme's title, and its courses listed under it."""
    facts = draft.facts
    url = verify_url(draft.certificate_id)
    content = CertificateContent(
        certificate_id=str(draft.certificate_id),
        recipient_name=facts.recipient_name,
        course_title=facts.programme.title,
        credit_hours=None,
        accrediting_body="",
        issuer_name=draft.profile.name,
        completed_at=facts.completed_at,
        issued_at=draft.issued_at,
        valid_until=None,
        language=facts.language,
        verify_url=url,
        programme_courses=tuple(course.title for course in facts.courses),
    )
    qr = paper_qr(url, raw)
    pdf, renderer = render_certificate(content, credential=raw, qr=qr.code)
    badge = baked_badge(raw, label=facts.programme.slug[:12], accent_colour=content.accent_colour)
    return Rendered(pdf=pdf, badge=badge, renderer=renderer, accrediting_body="", qr_text=qr.text)
