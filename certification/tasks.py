"""The Celery task that issues a certificate when a course is completed.

``acks_late``: the broker keeps the message until the task has finished, so a worker that dies
half-way leaves it to another worker. Re-running is safe because issuing is idempotent per
enrolment (a unique constraint settles races), and a failed attempt is retried with exponential
backoff.

``issue_missing_certificates`` (Celery beat, every ``CERTIFICATION_SWEEP_SECONDS``) is the net under
everything else: it issues the certificate of any completed enrolment that still has none, whatever
lost the first task (a worker killed before it acknowledged, a broker restarted empty, a signal sent
while the broker was down).

``send_expiry_reminders`` and ``open_recertifications`` (Celery beat, every
``CERTIFICATION_RECERTIFICATION_SECONDS``, a day by default) remind holders before their
certificates expire and reopen their courses when the recertification window opens; both are safe
to run twice at once (unique rows settle it).
"""

import logging

from celery import shared_task
from django.conf import settings

from lms.models import Enrolment, ProgrammeCompletion

from . import expiry, recertification
from .release import hold_or_release
from .selectors import enrolments_lacking_a_certificate, programme_completions_lacking_a_certificate
from .services import issue_certificate, issue_programme_certificate

logger = logging.getLogger(__name__)


# Issuing survives a killed worker (acknowledged only when done, redelivered when the worker is lost)
# and retries a failing step with backoff; a row that no longer exists is not retried.
ISSUING = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**ISSUING, dont_autoretry_for=(Enrolment.DoesNotExist,))
def issue_certificate_task(self, enrolment_id: int) -> str:
    enrolment = Enrolment.objects.select_related("user", "course").get(pk=enrolment_id)
    if not hold_or_release(enrolment):
        logger.info("Certificate for enrolment %s held until released", enrolment_id)
        return ""
    certificate = issue_certificate(enrolment=enrolment)
    logger.info("Certificate %s for enrolment %s (attempt %s)", certificate.pk, enrolment_id, self.request.retries + 1)
    return str(certificate.pk)


@shared_task(**ISSUING, dont_autoretry_for=(ProgrammeCompletion.DoesNotExist,))
def issue_programme_certificate_task(self, completion_id: int) -> str:
    completion = ProgrammeCompletion.objects.select_related("user", "programme").get(pk=completion_id)
    certificate = issue_programme_certificate(completion=completion)
    logger.info("Programme certificate %s for completion %s", certificate.pk, completion_id)
    return str(certificate.pk)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def issue_missing_certificates() -> int:
    """Issue, one by one, the certificates that completed enrolments still lack; how many were issued.

    An enrolment is left alone for ``CERTIFICATION_SWEEP_GRACE_SECONDS`` after completing, so the
    sweep does not race the task the completion queued. One that fails is logged and tried again at
    the next sweep; the others go on.
    """
    issued = 0
    for enrolment in enrolments_lacking_a_certificate(
        grace_seconds=settings.CERTIFICATION_SWEEP_GRACE_SECONDS, limit=settings.CERTIFICATION_SWEEP_BATCH
    ):
        try:
            if not hold_or_release(enrolment):  # a course that holds certificates until released
                continue
            issue_certificate(enrolment=enrolment)
        except Exception:
            logger.exception("The sweep could not issue the certificate of enrolment %s", enrolment.pk)
            continue
        issued += 1
    for completion in programme_completions_lacking_a_certificate(
        grace_seconds=settings.CERTIFICATION_SWEEP_GRACE_SECONDS, limit=settings.CERTIFICATION_SWEEP_BATCH
    ):
        try:
            issue_programme_certificate(completion=completion)
        except Exception:
            logger.exception("The sweep could not issue the certificate of programme completion %s", completion.pk)
            continue
        issued += 1
    if issued:
        logger.warning("The sweep issued %d certificate(s) that completed enrolments lacked", issued)
    return issued


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_expiry_reminders() -> int:
    """Celery beat, daily: the reminders before certificates expire (each offset once)."""
    return expiry.send_expiry_reminders()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def open_recertifications() -> int:
    """Celery beat, daily: reopen the courses of certificates whose recertification window opened."""
    return recertification.open_due_recertifications()
