"""Reading organisations: who administers what, who is a member, the unit's figures and rows."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from courses.identity import copies_in_language

from ..models import (
    Assignment,
    Enrolment,
    EnrolmentStatus,
    Organisation,
)

# --- organisations -----------------------------------------------------------------------------


def administered_organisations(*, user: AbstractBaseUser) -> QuerySet[Organisation]:
    """The units a user may administer: those they are admin of, and all their sub-units."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    roots = list(Organisation.objects.filter(admins=user).values_list("path", flat=True))
    if not roots:
        return Organisation.objects.none()
    condition = Q()
    for path in roots:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition)


def members_of(*, organisation: Organisation) -> Q:
    """A filter on enrolments (or anything with ``user``) for members of a unit and its sub-units."""
    return Q(user__learner_profile__organisation__path__startswith=organisation.path)


class AmbiguousMember(Exception):
    """Several members of a unit answer to the same email: the admin has to name one by username."""


def find_member(*, organisation: Organisation, identifier: str) -> AbstractBaseUser | None:
    """The active member of a unit (or of its sub-units) whose username, email or mobile number is
    ``identifier``; None for anyone else. Only the unit's own members are searched, so an admin cannot
    tell a person of another organisation from one who does not exist."""
    identifier = identifier.strip()
    if not identifier:
        return None
    candidates = list(
        get_user_model()
        .objects.filter(
            Q(username__iexact=identifier) | Q(email__iexact=identifier) | Q(learner_profile__phone=identifier),
            is_active=True,
            learner_profile__organisation__path__startswith=organisation.path,
        )
        .select_related("learner_profile__organisation")
        .order_by("pk")[:3]
    )
    by_username = [user for user in candidates if user.username.lower() == identifier.lower()]
    if len(by_username) == 1 or len(candidates) == 1:
        return (by_username or candidates)[0]
    if candidates:
        raise AmbiguousMember(identifier)
    return None


def _status_counts(prefix: str = "") -> dict:
    today = timezone.localdate()
    status = f"{prefix}status"
    return {
        "enrolled": Count("id"),
        "not_started": Count("id", filter=Q(**{status: EnrolmentStatus.ENROLLED})),
        "in_progress": Count("id", filter=Q(**{status: EnrolmentStatus.IN_PROGRESS})),
        "completed": Count("id", filter=Q(**{status: EnrolmentStatus.COMPLETED})),
        "overdue": Count("id", filter=Q(due_on__lt=today) & ~Q(**{status: EnrolmentStatus.COMPLETED})),
    }


def organisation_report(*, organisation: Organisation) -> dict[str, list[dict]]:
    """Counts per course and per unit (enrolled, in progress, completed, overdue): two grouped queries,
    and one for the courses' titles in the reader's language (a course is counted once, whatever
    languages its learners used)."""
    enrolments = Enrolment.objects.filter(members_of(organisation=organisation))
    by_course = list(
        enrolments.values("course_id", "course__title").annotate(**_status_counts()).order_by("course__title")
    )
    by_unit = list(
        enrolments.values("user__learner_profile__organisation_id", "user__learner_profile__organisation__name")
        .annotate(**_status_counts())
        .order_by("user__learner_profile__organisation__name")
    )
    copies = copies_in_language([row["course_id"] for row in by_course], get_language() or "")
    for row in by_course:  # each course once, named in the reader's language
        copy = copies.get(row["course_id"])
        row["label"] = copy.title if copy is not None else row["course__title"]
    for row in by_unit:
        row["label"] = row["user__learner_profile__organisation__name"]
    for row in by_course + by_unit:
        row["completed_percent"] = round(100 * row["completed"] / row["enrolled"]) if row["enrolled"] else 0
    return {"by_course": by_course, "by_unit": by_unit}


EXPORT_COLUMNS = (
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__learner_profile__organisation__name",
    "user__learner_profile__designation",
    "course__title",
    "status",
    "progress_percent",
    "score_scaled",
    "due_on",
    "enrolled_at",
    "completed_at",
)


def enrolment_export_rows(enrolments):
    """Enrolments as plain tuples of EXPORT_COLUMNS, read in chunks so an export never holds them all,
    written as the report screen writes them: the status by its name, the score as a percentage
    (times and dates are put in the site's time zone by the export itself)."""
    labels = dict(EnrolmentStatus.choices)
    status, score = EXPORT_COLUMNS.index("status"), EXPORT_COLUMNS.index("score_scaled")
    for row in enrolments.order_by("pk").values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000):
        row = list(row)
        row[status] = str(labels.get(row[status], row[status]))
        row[score] = None if row[score] is None else round(row[score] * 100)
        yield row


def organisation_enrolment_rows(*, organisation: Organisation):
    """Every enrolment of the unit's members as plain tuples, read in chunks for streamed exports."""
    return enrolment_export_rows(Enrolment.objects.filter(members_of(organisation=organisation)))


ENROLMENT_EXPORT_HEADINGS = [
    "username",
    "first name",
    "last name",
    "unit",
    "designation",
    "course",
    "status",
    "progress %",
    "score %",
    "due on",
    "enrolled at",
    "completed at",
]


def organisation_enrolments(*, organisation: Organisation) -> QuerySet[Enrolment]:
    """The enrolments of a unit's members (and its sub-units'), for the organisation's own systems."""
    return (
        Enrolment.objects.filter(members_of(organisation=organisation)).select_related("user", "course").order_by("pk")
    )


def organisation_assignments(*, organisation: Organisation) -> QuerySet[Assignment]:
    """The unit's assignments, each with ``enrolled``: how many enrolments it made (or took over)."""
    return (
        Assignment.objects.filter(organisation=organisation)
        .select_related("course")
        .annotate(enrolled=Count("enrolments"))
        .order_by("due_on", "pk")
    )
