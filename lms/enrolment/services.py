"""Enrolling learners in courses: by themselves, by an organisation admin, by an assignment.

Every path resolves the course to its source copy (a course is one course in every language) and
asks the one rule, ``rules.refusal``, with facts from ``facts.EnrolmentFacts``.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.identity import copies_in_language, source_of
from courses.models import CoursePage
from courses.publication import AnySignedInLearner, is_published_for
from foundation.numerals import format_date

from ..errors import EnrolmentRefused
from ..models import Assignment, Enrolment, EnrolmentSource, Organisation
from ..notices.services import record_assignment_notices
from .facts import EnrolmentFacts, learner_name
from .rules import Audience, refusal


def course_identity(course: CoursePage) -> CoursePage:
    """The course as enrolments name it: its source copy, whichever language's copy was chosen."""
    return course if getattr(course, "_source_id", None) == course.pk else source_of(course)


def missing_prerequisites(*, user: AbstractBaseUser, course: CoursePage, language: str = "") -> list[CoursePage]:
    """The course's prerequisite courses this learner has not completed, in ``language`` where they
    have a copy in it (a prerequisite completed in any language counts)."""
    course = course_identity(course)
    facts = EnrolmentFacts(users=[user], courses=[course], language=language)
    missing = facts.missing_prerequisites(user=user, course=course)
    if not missing:
        return []
    pages = {page.pk: page for page in CoursePage.objects.filter(pk__in=missing)}
    pages.update(copies_in_language(missing, language) if language else {})
    return [pages[pk] for pk in missing if pk in pages]


def _create(*, user, course: CoursePage, source: str, assignment=None, due_on=None, audience: Audience) -> Enrolment:
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                user=user, course=course, source=source, assignment=assignment, due_on=due_on
            )
    except IntegrityError:  # enrolled meanwhile (another request, another language)
        message = (
            _("You are already enrolled in this course.")
            if audience is Audience.LEARNER
            else _("%(name)s is already enrolled in this course.") % {"name": learner_name(user)}
        )
        raise EnrolmentRefused(message, code="already_enrolled") from None


def enrol(
    *,
    user: AbstractBaseUser,
    course: CoursePage,
    source: str = EnrolmentSource.SELF,
    assignment: Assignment | None = None,
    due_on: date | None = None,
    session=None,
) -> Enrolment:
    """Enrol a learner in a course (any of its copies) published for them, whose prerequisites they
    have completed in any language. The due date is the assignment's unless one is given; ``session``
    carries the view restrictions the learner passed with a password."""
    course = course_identity(course)
    audience = Audience.LEARNER if source == EnrolmentSource.SELF else Audience.ADMIN
    facts = EnrolmentFacts(users=[user], courses=[course], session=session)
    refused = refusal(facts.candidate(user=user, course=course, due_on=due_on), audience=audience)
    if refused:
        raise refused
    if due_on is None and assignment is not None:
        due_on = assignment.due_on
    return _create(user=user, course=course, source=source, assignment=assignment, due_on=due_on, audience=audience)


def enrol_member(
    *,
    organisation: Organisation,
    user: AbstractBaseUser,
    course: CoursePage,
    due_on: date | None = None,
    enrolled_by: AbstractBaseUser | None = None,
) -> Enrolment:
    """An organisation admin enrols one member of their unit (or of a sub-unit), with an optional due
    date: the same rule as the CSV import, for the admin's form and for systems that enrol people one
    at a time.

    An existing enrolment is never changed, not even its due date: the admin is told the date it keeps
    (a new date for everyone in a unit is what "Assign a course" is for)."""
    course = course_identity(course)
    facts = EnrolmentFacts(users=[user], courses=[course])
    candidate = facts.candidate(user=user, course=course, organisation=organisation, due_on=due_on)
    refused = refusal(candidate, audience=Audience.ADMIN)
    if refused is None:
        return _create(user=user, course=course, source=EnrolmentSource.ADMIN, due_on=due_on, audience=Audience.ADMIN)
    if refused.code == "already_enrolled" and due_on is not None:
        kept = Enrolment.objects.filter(user=user, course=course).values_list("due_on", flat=True).first()
        if kept is None:
            note = _("The due date you gave was not applied; the enrolment still has no due date.")
        else:
            note = _("The due date you gave was not applied; the enrolment keeps its due date, %(date)s.") % {
                "date": format_date(kept)
            }
        raise EnrolmentRefused(f"{refused.message} {note}", code=refused.code, field=refused.field)
    raise refused


def _members(organisation: Organisation):
    return (
        get_user_model()
        .objects.filter(learner_profile__organisation__path__startswith=organisation.path)
        .select_related("learner_profile__organisation")
    )


@transaction.atomic
def assign_course(
    *, organisation: Organisation, course: CoursePage, due_on: date, assigned_by: AbstractBaseUser | None = None
) -> tuple[Assignment, int]:
    """Require a course of a unit's members (and its sub-units') by a date, and enrol them.

    Each member is enrolled through the same rule as any enrolment: members already enrolled keep
    their progress and get the due date when they had none; members who have not completed the
    prerequisites are enrolled when they do (``enrol_in_assigned_courses``); the others are enrolled
    now. Returns the assignment and how many enrolments it created; ``assignment.decisions`` maps each
    member's id to the rule's refusal code, or None for those enrolled now.
    """
    course = course_identity(course)
    if not is_published_for(course, user=AnySignedInLearner()):
        raise EnrolmentRefused(
            _("Only published courses can be assigned."), code="course_not_published", field="course"
        )
    if due_on < timezone.localdate():
        raise EnrolmentRefused(_("The due date is in the past."), code="due_date_in_past", field="due_on")
    assignment, created = Assignment.objects.get_or_create(
        organisation=organisation, course=course, defaults={"due_on": due_on, "assigned_by": assigned_by}
    )
    if not created:
        raise EnrolmentRefused(
            _("This course is already assigned to %(unit)s, due %(date)s.")
            % {"unit": organisation.name, "date": assignment.due_on.isoformat()},
            code="already_assigned",
            field="course",
        )
    members = list(_members(organisation))
    Enrolment.objects.filter(course=course, user__in=members, due_on__isnull=True).update(
        assignment=assignment, due_on=due_on
    )
    facts = EnrolmentFacts(users=members, courses=[course])
    decisions, new = {}, []
    for member in members:
        candidate = facts.candidate(user=member, course=course, organisation=organisation)
        refused = refusal(candidate, audience=Audience.ADMIN)
        decisions[member.pk] = refused.code if refused else None
        if refused is None:
            new.append(
                Enrolment(
                    user=member, course=course, source=EnrolmentSource.ASSIGNMENT, assignment=assignment, due_on=due_on
                )
            )
    Enrolment.objects.bulk_create(new, batch_size=1000)
    record_assignment_notices(enrolment_ids=[enrolment.pk for enrolment in new])
    assignment.decisions = decisions
    return assignment, len(new)


def assignments_of(user: AbstractBaseUser):
    """The assignments of the learner's unit and of every unit above it."""
    profile = getattr(user, "learner_profile", None)
    unit = profile.organisation if profile else None
    if unit is None:
        return Assignment.objects.none()
    ancestors = [unit.path[:end] for end in range(Organisation.steplen, len(unit.path) + 1, Organisation.steplen)]
    return Assignment.objects.filter(organisation__path__in=ancestors).select_related("course").order_by("due_on")


def enrol_in_assigned_courses(*, user: AbstractBaseUser) -> int:
    """Enrol a learner in their units' assigned courses that the rule now allows (a new member, or a
    member who has just completed an assigned course's prerequisites). Returns how many. An assignment
    past its due date still enrols a new member: the enrolment is overdue from the start."""
    assignments = list(assignments_of(user))
    if not assignments or not user.is_active:
        return 0
    facts = EnrolmentFacts(users=[user], courses=[assignment.course for assignment in assignments])
    enrolled = 0
    for assignment in assignments:
        candidate = facts.candidate(user=user, course=assignment.course)
        if refusal(candidate, audience=Audience.ADMIN) is not None:
            continue
        try:
            enrolment = _create(
                user=user,
                course=assignment.course,
                source=EnrolmentSource.ASSIGNMENT,
                assignment=assignment,
                due_on=assignment.due_on,
                audience=Audience.ADMIN,
            )
        except EnrolmentRefused:
            continue
        record_assignment_notices(enrolment_ids=[enrolment.pk])
        facts.enrolled.add((user.pk, assignment.course_id))
        enrolled += 1
    return enrolled
