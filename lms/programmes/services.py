"""Recording that a learner completed a programme: once, for ever, and telling the apps that build
on lms (``programme_completed``, after the commit) so the programme credential is issued once."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.competencies.models import Programme
from courses.competencies.selectors import programmes_with_course, source_copy

from ..models import Enrolment
from ..signals import programme_completed
from .models import ProgrammeCompletion
from .selectors import standing_in

logger = logging.getLogger(__name__)


class ProgrammeNotComplete(ValueError):
    """The programme's rule is not met; the message names what is missing, by course title."""


def complete_programme(*, user: AbstractBaseUser, programme: Programme) -> ProgrammeCompletion:
    """The learner's completion of the programme: the recorded one, or a new one when the rule is met
    now. Raises ProgrammeNotComplete, naming the courses, when it is not."""
    source = source_copy(programme)
    existing = ProgrammeCompletion.objects.filter(user=user, programme=source).first()
    if existing is not None:
        return existing
    standing = standing_in(user=user, programme=source)
    progress = standing.progress
    if not progress.complete:
        raise ProgrammeNotComplete(_explain(source, progress))
    try:
        with transaction.atomic():
            completion = ProgrammeCompletion.objects.create(user=user, programme=source, completed_at=timezone.now())
            completion.enrolments.set(standing.counted)
            transaction.on_commit(lambda: programme_completed.send(sender=ProgrammeCompletion, completion=completion))
    except IntegrityError:  # a concurrent completion of the same programme won
        return ProgrammeCompletion.objects.get(user=user, programme=source)
    return completion


def _explain(programme: Programme, progress) -> str:
    parts = [f"“{programme.title}” needs {progress.needed} completed courses; {progress.completed} are."]
    if progress.missing_required:
        parts.append("Not yet completed: " + ", ".join(f"“{t}”" for t in progress.missing_required) + ".")
    if progress.unavailable:
        parts.append("No longer published: " + ", ".join(f"“{t}”" for t in progress.unavailable) + ".")
    return " ".join(parts)


def complete_programmes_after(*, enrolment: Enrolment) -> list[ProgrammeCompletion]:
    """Every programme that completing this course completes (called on ``course_completed``)."""
    completions = []
    for programme in programmes_with_course(enrolment.course.translation_key):
        try:
            completions.append(complete_programme(user=enrolment.user, programme=programme))
        except ProgrammeNotComplete:
            continue
    return completions
