"""Enrolling a unit's staff from a CSV file: every row checked, every row or none written."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from courses.identity import source_ids
from courses.models import CoursePage

from ..models import Enrolment, EnrolmentSource, Organisation
from .facts import EnrolmentFacts, is_member
from .rules import Audience, refusal


@dataclass(frozen=True)
class Refusal:
    row: int
    email: str
    course: str
    reason: str


@dataclass(frozen=True)
class EnrolmentImport:
    enrolled: int
    refusals: list[Refusal]

    @property
    def ok(self) -> bool:
        return not self.refusals


CSV_COLUMNS = {"email", "course"}
MAX_CSV_ROWS = 20_000
MAX_FIELD_BYTES = 1024  # no email, course key or date comes near this


def import_enrolments(*, organisation: Organisation, raw: bytes) -> EnrolmentImport:
    """Enrol members of a unit from a CSV (email, course, optional due_date): every row or none.

    Each row is read (a member's email, a course named by its id, curriculum code or slug in any of
    its languages, an ISO date, not a duplicate of an earlier row) and then asked the enrolment rule
    that every path asks (``rules.refusal``, with the facts for all rows loaded first); if any row is
    refused, nothing is written and the refusals say which row and why.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return EnrolmentImport(
            0, [Refusal(0, "", "", _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."))]
        )
    reader = csv.DictReader(io.StringIO(text))
    headings = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if not headings >= CSV_COLUMNS:
        return EnrolmentImport(
            0, [Refusal(1, "", "", _("The first row must name the columns: email, course and, optionally, due_date."))]
        )
    rows = []
    try:
        for row in reader:
            rows.append({(key or "").strip().lower(): (value or "").strip() for key, value in row.items() if key})
            if len(rows) > MAX_CSV_ROWS:
                return EnrolmentImport(
                    0, [Refusal(0, "", "", _("At most %(count)d rows per file.") % {"count": MAX_CSV_ROWS})]
                )
    except csv.Error:  # a field over the csv module's limit (128 KB) or a broken quote
        message = _("Row %(row)d cannot be read: a field is longer than %(kb)d KB or a quote is not closed.")
        return EnrolmentImport(
            0, [Refusal(reader.line_num, "", "", message % {"row": reader.line_num, "kb": MAX_FIELD_BYTES // 1024})]
        )
    unreadable = [
        Refusal(number, "", "", reason) for number, row in enumerate(rows, start=2) if (reason := _unreadable(row))
    ]
    if unreadable:
        return EnrolmentImport(0, unreadable)

    emails = {row["email"].lower() for row in rows if row.get("email")}
    users = _members_by_email(organisation=organisation, emails=emails)
    courses = resolve_course_keys({row.get("course", "") for row in rows})
    facts = EnrolmentFacts(
        users=users.values(),
        courses={course.pk: course for course in courses.values() if isinstance(course, CoursePage)}.values(),
    )

    seen: dict[tuple[str, int], int] = {}
    refusals, accepted = [], []
    for number, row in enumerate(rows, start=2):
        email, key, due = row.get("email", ""), row.get("course", ""), row.get("due_date", "")
        user, course = users.get(email.lower()), courses.get(key)
        due_on, bad_date = None, False
        if due:
            try:
                due_on = date.fromisoformat(due)
            except ValueError:
                bad_date = True
        if not email:
            reason = _("The email is missing.")
        elif bad_date:
            reason = _("The due date “%(value)s” is not a date written YYYY-MM-DD.") % {"value": due}
        elif user is None:
            # a person of another organisation reads the same as nobody: the file reveals no accounts
            reason = _("No member of %(unit)s or its units has this email.") % {"unit": organisation.name}
        elif course is None:
            reason = _("No published course has this id, code or slug.")
        elif isinstance(course, AmbiguousCourse):
            reason = _("“%(key)s” names two different courses, %(titles)s: use the course's id or code.") % {
                "key": key,
                "titles": " / ".join(course.titles),
            }
        else:
            refused = refusal(
                facts.candidate(user=user, course=course, organisation=organisation, due_on=due_on),
                audience=Audience.ADMIN,
            )
            reason = refused.message if refused else None
            if reason is None and (email.lower(), course.pk) in seen:
                reason = _("Duplicate of row %(row)d.") % {"row": seen[(email.lower(), course.pk)]}
        if reason:
            refusals.append(Refusal(number, email, key, reason))
        else:
            seen[(email.lower(), course.pk)] = number
            accepted.append(Enrolment(user=user, course=course, source=EnrolmentSource.ADMIN, due_on=due_on))
    if not rows:
        refusals.append(Refusal(0, "", "", _("The file has no rows to import.")))
    if refusals:
        return EnrolmentImport(0, refusals)
    try:
        with transaction.atomic():
            Enrolment.objects.bulk_create(accepted, batch_size=1000)
    except IntegrityError:  # someone enrolled one of them meanwhile: import nothing, say so
        return EnrolmentImport(0, [Refusal(0, "", "", _("Enrolments changed while importing; upload again."))])
    return EnrolmentImport(len(accepted), [])


def _unreadable(row: dict[str, str]) -> str | None:
    """Why a row cannot be taken at all (before any rule is asked), or None."""
    cells = [*row, *row.values()]
    if any("\x00" in cell for cell in cells):
        return _("The row contains a NUL character; save the file again as “CSV UTF-8”.")
    if any(len(cell) > MAX_FIELD_BYTES for cell in cells):
        return _("A field of this row is longer than %(count)d characters.") % {"count": MAX_FIELD_BYTES}
    return None


@dataclass(frozen=True)
class AmbiguousCourse:
    """A CSV key that names more than one course (say, one course's slug is another's Bengali slug)."""

    titles: tuple[str, ...]


def resolve_course_keys(keys: set[str]) -> dict[str, CoursePage | AmbiguousCourse]:
    """Each key (a course id, curriculum code, or slug in any language) mapped to the one course it
    names, as its source copy; a key naming two courses maps to AmbiguousCourse. Two queries."""
    keys = {key for key in keys if key}
    numbers = [int(key) for key in keys if key.isdigit() and len(key) < 18]
    matches = list(
        CoursePage.objects.live()
        .filter(Q(slug__in=keys) | Q(curriculum_code__in=keys) | Q(pk__in=numbers))
        .values_list("pk", "slug", "curriculum_code", "title")
    )
    sources = source_ids(pk for pk, *_rest in matches)
    named: dict[str, dict[int, str]] = {}
    for pk, slug, code, title in matches:
        for key in {str(pk), slug, code} & keys:
            named.setdefault(key, {}).setdefault(sources[pk], title)
    pages = CoursePage.objects.in_bulk({source for courses in named.values() for source in courses})
    resolved: dict[str, CoursePage | AmbiguousCourse] = {}
    for key, courses in named.items():
        if len(courses) > 1:
            resolved[key] = AmbiguousCourse(titles=tuple(sorted(courses.values())))
        elif next(iter(courses)) in pages:
            resolved[key] = pages[next(iter(courses))]
    return resolved


def _members_by_email(*, organisation: Organisation, emails: set[str]) -> dict:
    """The unit's active members (and its sub-units') with these emails, by lower-cased email."""
    if not emails:
        return {}
    candidates = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(
            email_lower__in=list(emails),
            is_active=True,
            learner_profile__organisation__path__startswith=organisation.path,
        )
        .select_related("learner_profile__organisation")
        .order_by("pk")
    )
    members = {}
    for user in candidates:
        if is_member(user=user, organisation=organisation):
            members.setdefault(user.email.lower(), user)
    return members
