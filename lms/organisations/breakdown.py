"""The organisation report's drill-down: from a unit to its sub-units, and to its learners.

A ministry's admin reads their ministry by department, opens a department, and reads it by learner,
overdue learners first. Each step costs a fixed number of queries whatever the size of the unit: the
sub-units are one grouped query over the members' unit paths, the learners one page of an annotated
query (plus one for their overdue courses' titles).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import get_language

from courses.identity import copies_in_language

from ..models import Enrolment, EnrolmentStatus, Organisation
from .selectors import members_of

LEARNERS_PER_PAGE = 50


def _counts() -> dict:
    today = timezone.localdate()
    not_completed = ~Q(status=EnrolmentStatus.COMPLETED)
    return {
        "enrolled": Count("id"),
        "not_started": Count("id", filter=Q(status=EnrolmentStatus.ENROLLED)),
        "in_progress": Count("id", filter=Q(status=EnrolmentStatus.IN_PROGRESS)),
        "completed": Count("id", filter=Q(status=EnrolmentStatus.COMPLETED)),
        "overdue": Count("id", filter=Q(due_on__lt=today) & not_completed),
    }


def sub_unit_rows(*, organisation: Organisation) -> list[dict]:
    """The unit's figures per direct sub-unit (each counting its own sub-units), and for the members who
    belong to the unit itself: two queries. Each row has ``unit`` (None for the unit's own members)."""
    prefix_length = len(organisation.path) + Organisation.steplen
    rows = list(
        Enrolment.objects.filter(members_of(organisation=organisation))
        .annotate(branch=Substr("user__learner_profile__organisation__path", 1, prefix_length))
        .values("branch")
        .annotate(**_counts())
        .order_by("branch")
    )
    units = {unit.path: unit for unit in Organisation.objects.filter(path__in=[row["branch"] for row in rows])}
    result = []
    for row in rows:
        unit = units.get(row["branch"]) if row["branch"] != organisation.path else None
        row["unit"] = unit
        row["label"] = unit.name if unit else ""
        row["completed_percent"] = round(100 * row["completed"] / row["enrolled"]) if row["enrolled"] else 0
        result.append(row)
    return sorted(result, key=lambda row: (row["unit"] is not None, row["label"].casefold()))


@dataclass
class LearnerRow:
    user: object
    unit_name: str
    designation: str
    enrolled: int
    completed: int
    overdue: int
    overdue_courses: list[dict] = field(default_factory=list)


def unit_learners(*, organisation: Organisation, overdue_only: bool = False, page: int | str = 1) -> Page:
    """One page of the unit's learners (and its sub-units'), overdue ones first, each with their counts
    and the courses they are overdue in (titled in the reader's language): four queries per page."""
    today = timezone.localdate()
    not_completed = ~Q(enrolments__status=EnrolmentStatus.COMPLETED)
    learners = (
        get_user_model()
        .objects.filter(learner_profile__organisation__path__startswith=organisation.path, is_active=True)
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            completed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED), distinct=True),
            overdue=Count("enrolments", filter=Q(enrolments__due_on__lt=today) & not_completed, distinct=True),
            unit_name=F("learner_profile__organisation__name"),
            designation=F("learner_profile__designation"),
        )
        .order_by("-overdue", "first_name", "last_name", "username")
    )
    if overdue_only:
        learners = learners.filter(overdue__gt=0)
    found = Paginator(learners, LEARNERS_PER_PAGE).get_page(page)
    overdue_rows = list(
        Enrolment.objects.filter(user__in=list(found.object_list), due_on__lt=today)
        .exclude(status=EnrolmentStatus.COMPLETED)
        .order_by("due_on")
        .values("user_id", "course_id", "course__title", "due_on", "progress_percent")
    )
    titles = copies_in_language({row["course_id"] for row in overdue_rows}, get_language() or "")
    by_user: dict[int, list[dict]] = {}
    for row in overdue_rows:
        copy = titles.get(row["course_id"])
        row["title"] = copy.title if copy is not None else row["course__title"]
        by_user.setdefault(row["user_id"], []).append(row)
    found.object_list = [
        LearnerRow(
            user=user,
            unit_name=user.unit_name or "",
            designation=user.designation or "",
            enrolled=user.enrolled,
            completed=user.completed,
            overdue=user.overdue,
            overdue_courses=by_user.get(user.pk, []),
        )
        for user in found.object_list
    ]
    return found


OVERDUE_EXPORT_HEADINGS = [
    "username",
    "first name",
    "last name",
    "unit",
    "designation",
    "course",
    "due on",
    "progress %",
]


def overdue_enrolment_rows(*, organisation: Organisation):
    """Every overdue enrolment of the unit's members (and its sub-units'), most overdue first, as
    plain tuples read in chunks for the streamed export."""
    today = timezone.localdate()
    return (
        Enrolment.objects.filter(members_of(organisation=organisation), due_on__lt=today, user__is_active=True)
        .exclude(status=EnrolmentStatus.COMPLETED)
        .order_by("due_on", "pk")
        .values_list(
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__learner_profile__organisation__name",
            "user__learner_profile__designation",
            "course__title",
            "due_on",
            "progress_percent",
        )
        .iterator(chunk_size=2000)
    )
