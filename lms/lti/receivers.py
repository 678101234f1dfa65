"""A completed course's score goes to every platform gradebook that launched it."""

from django.dispatch import receiver

from ..signals import course_completed
from .grades import send_grades_of_enrolment


@receiver(course_completed, dispatch_uid="lti_grades_on_completion")
def send_grade_on_completion(sender, enrolment, **kwargs):
    send_grades_of_enrolment(enrolment)
