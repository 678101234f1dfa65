"""The Celery task that issues a certificate when a course is completed.

``acks_late``: the broker keeps the message until the task has finished, so a worker that dies
half-way leaves it to another worker. Re-running is safe because issuing is idempotent per
enrolment (a unique constraint settles races), and a failed attempt is retried with exponential
backoff.
"""

import logging

from celery import shared_task

from lms.models import Enrolment

from .services import issue_certificate

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(Enrolment.DoesNotExist,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def issue_certificate_task(self, enrolment_id: int) -> str:
    enrolment = Enrolment.objects.select_related("user", "course").get(pk=enrolment_id)
    certificate = issue_certificate(enrolment=enrolment)
    logger.info("Certificate %s for enrolment %s (attempt %s)", certificate.pk, enrolment_id, self.request.retries + 1)
    return str(certificate.pk)
