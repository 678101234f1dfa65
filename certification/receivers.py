"""Listens to ``lms`` (which knows nothing about certificates) and queues one issuing task."""

from django.db import transaction
from django.dispatch import receiver

from lms.models import Enrolment, ProgrammeCompletion
from lms.signals import course_completed, learner_erased, programme_completed

from .erasure import withhold_names
from .tasks import issue_certificate_task, issue_programme_certificate_task


@receiver(course_completed, sender=Enrolment, dispatch_uid="certification.queue_certificate")
def queue_certificate(sender, enrolment: Enrolment, **kwargs) -> None:
    # robust: when the task runs eagerly and fails (say, no signing key yet), the learner's request
    # that completed the course still succeeds; the error is logged, and issuing again later is safe.
    transaction.on_commit(lambda: issue_certificate_task.delay(enrolment.pk), robust=True)


@receiver(programme_completed, sender=ProgrammeCompletion, dispatch_uid="certification.queue_programme_certificate")
def queue_programme_certificate(sender, completion: ProgrammeCompletion, **kwargs) -> None:
    transaction.on_commit(lambda: issue_programme_certificate_task.delay(completion.pk), robust=True)


@receiver(learner_erased, dispatch_uid="certification.withhold_names")
def withhold_erased_learners_names(sender, user, **kwargs) -> None:
    withhold_names(user=user)
