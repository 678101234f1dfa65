"""Reminders before a certificate expires: at each offset of ``CERTIFICATION_EXPIRY_REMINDER_DAYS``
(60, 30 and 7 days by default), once, by email in the certificate's language and as an in-site notice.

Each reminder is an ``ExpiryReminder`` row, unique per certified completion (enrolment, cycle) and
offset, written in the same transaction as the notice and the email: two beat runs at once send it
once (the second insert fails on the constraint and sends nothing), and an email that fails rolls
the row back, to be sent at the next run. When several offsets are due at once (a certificate issued
with less time left than the first offset, or a beat that did not run for a while), only the
nearest is sent: a 60-day reminder is never sent after the 30-day one.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.activities import site_origin
from lms.models import NoticeKind
from lms.services import record_notice

from .conf import certification_settings
from .models import Certificate, ExpiryReminder, Recertification
from .recertification import recertification_course, standing_certificates


def reminder_offsets() -> list[int]:
    return sorted({int(days) for days in certification_settings.CERTIFICATION_EXPIRY_REMINDER_DAYS})


def due_offset(*, expires_on: date, today: date, offsets: list[int]) -> int | None:
    """The offset whose reminder is due: the smallest one not below the days left (None once expired
    or before the first offset)."""
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    return next((days for days in offsets if days_left <= days), None)


def _already_told(certificate: Certificate, offset: int) -> bool:
    """Whether this offset's reminder, or a nearer one, went out for this certified completion."""
    return ExpiryReminder.objects.filter(
        enrolment_id=certificate.enrolment_id, cycle=certificate.cycle, days_before__lte=offset
    ).exists()


def _email(certificate: Certificate, *, expires_on: date, days: int, recertify_by: Recertification | None) -> None:
    with translation.override(certificate.language or settings.LANGUAGE_CODE):
        context = {
            "certificate": certificate,
            "expires_on": expires_on,
            "days": days,
            "course_title": certificate.course_title,
            "recertification_course": recertification_course(certificate.course).title
            if recertify_by is not None
            else "",
            "dashboard_url": site_origin() + reverse("learner:dashboard"),
            "certificate_url": site_origin() + reverse("certification_pages:verification_page", args=[certificate.pk]),
        }
        subject = _("Your certificate for %(course)s expires soon") % {"course": certificate.course_title}
        body = render_to_string("certification/email/expiry_reminder.txt", context)
    send_mail(subject, body, None, [certificate.user.email])


def send_reminder(*, certificate: Certificate, offset: int, expires_on: date, today: date) -> bool:
    """Send one certificate's reminder for ``offset`` unless it (or a nearer one) went out; True when sent now."""
    if _already_told(certificate, offset):
        return False
    email = certificate.user.email
    recertification = Recertification.objects.filter(
        from_enrolment_id=certificate.enrolment_id, from_cycle=certificate.cycle
    ).first()
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(
                certificate=certificate,
                enrolment_id=certificate.enrolment_id,
                cycle=certificate.cycle,
                days_before=offset,
                emailed=bool(email),
            )
            record_notice(
                enrolment=certificate.enrolment,
                kind=NoticeKind.CERTIFICATE_EXPIRING,
                key=f"{certificate.cycle}:{offset}",
                on_date=expires_on,
            )
            if email:
                days_left = (expires_on - today).days
                _email(certificate, expires_on=expires_on, days=max(days_left, 0), recertify_by=recertification)
    except IntegrityError:
        return False  # another run sent it
    return True


def send_expiry_reminders(*, now: datetime | None = None) -> int:
    """Remind the holders of standing certificates that expire within the largest offset; how many
    reminders went out now."""
    offsets = reminder_offsets()
    if not offsets:
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    expiring = (
        standing_certificates()
        .filter(valid_until__gt=now, valid_until__lte=now + timedelta(days=offsets[-1] + 1))
        .select_related("user", "course", "enrolment")
        .order_by("valid_until", "pk")
    )
    for certificate in expiring.iterator():
        expires_on = timezone.localdate(certificate.valid_until)
        offset = due_offset(expires_on=expires_on, today=today, offsets=offsets)
        if offset is not None:
            sent += send_reminder(certificate=certificate, offset=offset, expires_on=expires_on, today=today)
    return sent
