"""Who may be enrolled in what: the one rule every way of enrolling asks.

Self-enrolment, the organisation admin's form, the API, the CSV import and assignments all gather the
same facts (``facts.EnrolmentFacts``: a learner, a course, maybe a unit and a due date) and ask
``refusal``. A path that works in bulk loads the facts for all its rows first and asks row by row,
so every path refuses the same cases for the same reasons, in the same order:

1. an inactive account, or someone who is not a member of the admin's unit (``not_a_member``): for
   an admin, a person of another organisation reads exactly like nobody;
2. a course that is not published for this learner (``course_not_published``);
3. a due date in the past (``due_date_in_past``);
4. an enrolment in the course already, in any of its languages (``already_enrolled``);
5. prerequisite courses not completed, in any of their languages (``prerequisites_missing``).

The message speaks to whoever asked: the learner enrolling themselves, or the admin enrolling them.
"""

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext as _

from ..errors import EnrolmentRefused


class Audience(Enum):
    LEARNER = "learner"  # the learner enrols themselves
    ADMIN = "admin"  # an admin, an assignment or a system enrols them


@dataclass(frozen=True)
class Candidate:
    """Everything the rule knows about one learner and one course."""

    name: str
    active: bool
    member: bool | None  # None when no unit is involved
    published: bool
    enrolled: bool
    missing_prerequisites: tuple[str, ...]
    due_on_in_past: bool
    unit_name: str = ""


def refusal(candidate: Candidate, *, audience: Audience) -> EnrolmentRefused | None:
    """Why this learner may not be enrolled in this course, or None when they may."""
    by_learner = audience is Audience.LEARNER
    if not candidate.active or candidate.member is False:
        return EnrolmentRefused(
            _("This person is not a member of %(unit)s or its units.") % {"unit": candidate.unit_name}
            if candidate.unit_name
            else _("This account cannot be enrolled."),
            code="not_a_member",
            field="user",
        )
    if not candidate.published:
        return EnrolmentRefused(
            _("This course is not open for enrolment."), code="course_not_published", field="course"
        )
    if candidate.due_on_in_past:
        return EnrolmentRefused(_("The due date is in the past."), code="due_date_in_past", field="due_on")
    if candidate.enrolled:
        message = (
            _("You are already enrolled in this course.")
            if by_learner
            else _("%(name)s is already enrolled in this course.") % {"name": candidate.name}
        )
        return EnrolmentRefused(message, code="already_enrolled")
    if candidate.missing_prerequisites:
        titles = ", ".join(candidate.missing_prerequisites)
        message = (
            _("Complete these courses first: %(titles)s.") % {"titles": titles}
            if by_learner
            else _("%(name)s has not completed the prerequisite courses yet: %(titles)s.")
            % {"name": candidate.name, "titles": titles}
        )
        return EnrolmentRefused(message, code="prerequisites_missing")
    return None
