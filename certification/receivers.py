"""Listens to ``lms`` (which knows nothing about certificates) and queues one issuing task."""

from django.db import transaction
from django.dispatch import receiver

from lms.models import Enrolment
from lms.signals import course_completed

from .tasks import issue_certificate_task


@receiver(course_completed, sender=Enrolment, dispatch_uid="certification.queue_certificate")
def queue_certificate(sender, enrolment: Enrolment, **kwargs) -> None:
    # robust: when the task runs eagerly and fails (say, no signing key yet), the learner's request
    # that completed the course still succeeds; the error is logged, and issuing again later is safe.
    transaction.on_commit(lambda: issue_certificate_task.delay(enrolment.pk), robust=True)
