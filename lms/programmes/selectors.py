"""Reading programmes and competencies for a learner: progress, competencies earned, what their role
still needs. Each a fixed number of queries, however many programmes, courses or competencies."""

import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser

from courses.competencies.models import Competency, Programme, ProgrammeCourse
from courses.competencies.selectors import (
    competencies_by_key,
    course_competency_keys,
    in_language,
    source_copies,
    source_copy,
)
from courses.identity import copies_in_language, language_code_of, source_ids
from courses.models import CoursePage
from courses.publication import published_for_learners

from ..models import Enrolment, EnrolmentStatus, LearnerProfile
from .models import ProgrammeCompletion
from .rules import CourseState, ProgrammeProgress, programme_progress


@dataclass
class ProgrammeStanding:
    """One programme as a learner stands in it: the rule's answer and the enrolments that count."""

    programme: Programme
    progress: ProgrammeProgress
    counted: list[Enrolment]
    rows: list[dict] = field(default_factory=list)
    completion: ProgrammeCompletion | None = None
    certificate: dict | None = None
    language: str = ""  # the language the programme's title is written in


def standing_in(*, user: AbstractBaseUser, programme: Programme, language: str = "") -> ProgrammeStanding:
    """The learner's standing in a programme (its source copy's courses), by the one rule."""
    return standings_in(user=user, programmes=[source_copy(programme)], language=language)[0]


def standings_in(*, user: AbstractBaseUser, programmes: list[Programme], language: str = "") -> list[ProgrammeStanding]:
    """The learner's standing in each of these programmes (source copies): the same queries for one
    programme as for ten, then the one rule for each."""
    rows_by_programme: dict[int, list[ProgrammeCourse]] = {programme.pk: [] for programme in programmes}
    for row in ProgrammeCourse.objects.filter(programme__in=list(rows_by_programme)).order_by("sort_order", "pk"):
        rows_by_programme[row.programme_id].append(row)
    every_row = [row for rows in rows_by_programme.values() for row in rows]
    sources = source_ids([row.course_id for row in every_row])
    course_ids = set(sources.values())
    completed = {
        enrolment.course_id: enrolment
        for enrolment in Enrolment.objects.filter(user=user, course_id__in=course_ids, status=EnrolmentStatus.COMPLETED)
    }
    published = set(
        published_for_learners(CoursePage.objects.filter(pk__in=course_ids), user=user).values_list("pk", flat=True)
    )
    titles = {pk: course.title for pk, course in copies_in_language(course_ids, language).items()} if language else {}
    source_titles = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "title"))
    standings = []
    for programme in programmes:
        states, shown, counted = [], [], []
        for row in rows_by_programme[programme.pk]:
            course_id = sources[row.course_id]
            state = CourseState(
                title=titles.get(course_id) or source_titles.get(course_id, ""),
                optional=row.optional,
                completed=course_id in completed,
                published=course_id in published,
            )
            states.append(state)
            shown.append({"course_id": course_id, "state": state})
            if course_id in completed:
                counted.append(completed[course_id])
        standings.append(
            ProgrammeStanding(
                programme=programme,
                progress=programme_progress(courses=states, minimum=programme.minimum_courses),
                counted=counted,
                rows=shown,
            )
        )
    return standings


def learner_programmes(*, user: AbstractBaseUser, language: str) -> list[ProgrammeStanding]:
    """The programmes a learner has begun (enrolled in one of their courses) or completed, in the
    reader's language."""
    enrolled_keys = CoursePage.objects.filter(pk__in=Enrolment.objects.filter(user=user).values("course_id")).values(
        "translation_key"
    )
    begun = source_copies(Programme).filter(programme_courses__course__translation_key__in=enrolled_keys).distinct()
    completions = {c.programme_id: c for c in ProgrammeCompletion.objects.filter(user=user)}
    programmes = list(begun.order_by("pk")) + list(
        Programme.objects.filter(pk__in=set(completions)).exclude(pk__in=begun.values("pk"))
    )
    standings = standings_in(user=user, programmes=programmes, language=language)
    for standing, copy in zip(standings, in_language(programmes, language), strict=True):
        standing.completion = completions.get(standing.programme.pk)  # keyed by the source copy
        standing.programme = copy
        standing.language = language_code_of(copy.locale_id)
    return standings


def attach_programme_certificates(standings: list[ProgrammeStanding], *, request) -> list[ProgrammeStanding]:
    """Each completed programme's ``certificate``, from whichever app issues them (the
    ``programme_completion_certificates`` hook); lms names none of them."""
    from wagtail import hooks

    ids = [standing.completion.pk for standing in standings if standing.completion is not None]
    found: dict[int, dict] = {}
    if ids:
        for hook in hooks.get_hooks("programme_completion_certificates"):
            found.update(hook(request=request, completion_ids=ids) or {})
    for standing in standings:
        standing.certificate = found.get(standing.completion.pk) if standing.completion else None
    return standings


def earned_competency_keys(*, user_ids: list[int]) -> dict[int, set[uuid.UUID]]:
    """For each learner, the competencies they have earned: those of the courses they completed and
    of the programmes they completed."""
    earned: dict[int, set[uuid.UUID]] = {pk: set() for pk in user_ids}
    done = list(
        Enrolment.objects.filter(user_id__in=user_ids, status=EnrolmentStatus.COMPLETED).values_list(
            "user_id", "course__translation_key"
        )
    )
    by_course = course_competency_keys({key for _user, key in done})
    for user_id, course_key in done:
        earned[user_id] |= by_course.get(course_key, set())
    grouped: dict[uuid.UUID, set[uuid.UUID]] = {}
    for programme_key, competency_key in Programme.competencies.through.objects.values_list(
        "programme__translation_key", "competency__translation_key"
    ):
        grouped.setdefault(programme_key, set()).add(competency_key)
    for user_id, programme_key in ProgrammeCompletion.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "programme__translation_key"
    ):
        earned[user_id] |= grouped.get(programme_key, set())
    return earned


def role_competency_keys(role_ids) -> dict[int, set[uuid.UUID]]:
    from .models import Role

    needed: dict[int, set[uuid.UUID]] = {}
    for role_id, key in Role.competencies.through.objects.filter(role_id__in=list(role_ids)).values_list(
        "role_id", "competency__translation_key"
    ):
        needed.setdefault(role_id, set()).add(key)
    return needed


@dataclass(frozen=True)
class CompetencyStanding:
    role_name: str
    earned: list[Competency]
    still_needed: list[Competency]


def competency_standing(*, user: AbstractBaseUser, language: str) -> CompetencyStanding:
    """What a civil servant has earned, and what their role needs that they have not yet."""
    profile = LearnerProfile.objects.filter(user=user).select_related("role").first()
    role = profile.role if profile else None
    earned = earned_competency_keys(user_ids=[user.pk])[user.pk]
    needed = role_competency_keys([role.pk]).get(role.pk, set()) if role else set()
    return CompetencyStanding(
        role_name=role.name if role else "",
        earned=competencies_by_key(earned, language),
        still_needed=competencies_by_key(needed - earned, language),
    )


__all__ = [
    "CompetencyStanding",
    "ProgrammeStanding",
    "competency_standing",
    "earned_competency_keys",
    "learner_programmes",
    "role_competency_keys",
    "standing_in",
]
