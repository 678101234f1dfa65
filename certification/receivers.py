"""Listens to ``lms`` (which knows nothing about certificates) and queues one issuing task."""

from django.db import transaction
from django.dispatch import receiver

from lms.models import Enrolment
from lms.signals import course_completed

from .tasks import issue_certificate_task


@receiver(course_completed, sender=Enrolment, dispatch_uid="certification.queue_certificate")
def queue_certificate(sender, enrolment: Enrolment, **kwargs) -> None:
    transaction.on_commit(lambda: issue_certificate_task.delay(enrolment.pk))
