"""The facts the enrolment rule reads, loaded for many learners and courses in a fixed number of queries.

One learner enrolling themselves and a CSV of twenty thousand rows go through the same loader: it
reads who is enrolled where, who completed what, which prerequisites each course has and which view
restrictions apply, once, and then answers ``candidate`` for any (learner, course) pair in Python.
Courses are their source copies (``courses.identity``): "enrolled" and "completed" hold in every
language.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import get_language

from courses.identity import copies_in_language, source_ids
from courses.models import CoursePage
from courses.publication import AnySignedInLearner, hidden_paths, is_hidden, view_restrictions

from ..models import Enrolment, EnrolmentStatus, Organisation
from .rules import Candidate


def learner_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def is_member(*, user: AbstractBaseUser, organisation: Organisation) -> bool:
    """A member of the unit or of one of its sub-units (the profile's unit is under the unit's path)."""
    profile = getattr(user, "learner_profile", None)
    unit = profile.organisation if profile else None
    return unit is not None and unit.path.startswith(organisation.path)


class EnrolmentFacts:
    """What the rule needs to know about ``users`` and ``courses`` (source copies), in bulk."""

    def __init__(
        self,
        *,
        users: Iterable[AbstractBaseUser],
        courses: Iterable[CoursePage],
        session=None,
        language: str | None = None,
    ):
        self.users = {user.pk: user for user in users if user.pk is not None}
        self.courses = {course.pk: course for course in courses}
        self.today = timezone.localdate()
        self._session_passed = list((session or {}).get("passed_page_view_restrictions", []))
        self._restrictions = view_restrictions()
        course_ids = list(self.courses)
        user_ids = list(self.users)
        self.enrolled = set(
            Enrolment.objects.filter(user_id__in=user_ids, course_id__in=course_ids).values_list("user_id", "course_id")
        )
        through = CoursePage.prerequisites.through.objects.filter(from_coursepage_id__in=course_ids)
        pairs = list(through.values_list("from_coursepage_id", "to_coursepage_id"))
        sources = source_ids(prerequisite for _course, prerequisite in pairs)
        self.prerequisites: dict[int, list[int]] = {}
        for course_id, prerequisite in pairs:
            required = self.prerequisites.setdefault(course_id, [])
            if sources[prerequisite] not in required:
                required.append(sources[prerequisite])
        wanted = {pk for required in self.prerequisites.values() for pk in required}
        self.completed = (
            set(
                Enrolment.objects.filter(
                    user_id__in=user_ids, course_id__in=wanted, status=EnrolmentStatus.COMPLETED
                ).values_list("user_id", "course_id")
            )
            if wanted
            else set()
        )
        self.titles = self._titles(wanted, language or get_language() or "")
        needs_groups = any(r.kind == "groups" for r in self._restrictions) and user_ids
        self.groups: dict[int, set[int]] = {}
        if needs_groups:
            from django.contrib.auth import get_user_model

            membership = get_user_model().groups.through.objects.filter(user_id__in=user_ids)
            for user_id, group_id in membership.values_list("user_id", "group_id"):
                self.groups.setdefault(user_id, set()).add(group_id)

    @staticmethod
    def _titles(course_ids: set[int], language: str) -> dict[int, str]:
        if not course_ids:
            return {}
        titles = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "title"))
        titles.update({pk: copy.title for pk, copy in copies_in_language(course_ids, language).items()})
        return titles

    def published_for(self, *, user: AbstractBaseUser | None, course: CoursePage) -> bool:
        if not course.live:
            return False
        who = user if user is not None else AnySignedInLearner()
        paths = hidden_paths(
            self._restrictions,
            user=who,
            group_ids=self.groups.get(getattr(who, "pk", None), set()),
            passed=self._session_passed,
        )
        return not is_hidden(course.path, paths)

    def missing_prerequisites(self, *, user: AbstractBaseUser, course: CoursePage) -> list[int]:
        return [pk for pk in self.prerequisites.get(course.pk, []) if (user.pk, pk) not in self.completed]

    def candidate(
        self,
        *,
        user: AbstractBaseUser,
        course: CoursePage,
        organisation: Organisation | None = None,
        due_on: date | None = None,
    ) -> Candidate:
        return Candidate(
            name=learner_name(user),
            active=user.is_active,
            member=None if organisation is None else is_member(user=user, organisation=organisation),
            published=self.published_for(user=user, course=course),
            enrolled=(user.pk, course.pk) in self.enrolled,
            missing_prerequisites=tuple(
                self.titles.get(pk, "") for pk in self.missing_prerequisites(user=user, course=course)
            ),
            due_on_in_past=due_on is not None and due_on < self.today,
            unit_name=organisation.name if organisation is not None else "",
        )
