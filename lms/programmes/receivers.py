"""lms listens to its own ``course_completed``: a completed course may complete programmes."""

from django.dispatch import receiver

from ..models import Enrolment
from ..signals import course_completed
from .services import complete_programmes_after


@receiver(course_completed, sender=Enrolment, dispatch_uid="lms.programmes.complete_programmes")
def complete_programmes(sender, enrolment: Enrolment, **kwargs) -> None:
    complete_programmes_after(enrolment=enrolment)
