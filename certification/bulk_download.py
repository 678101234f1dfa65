"""Many certificates as one ZIP: every PDF and credential, with a CSV index, streamed.

Who may download what:
- a user with ``certification.view_certificate`` (the site's certificate admins): any course's or
  any unit's certificates;
- an organisation admin: the certificates of the members of the units they administer (and their
  sub-units), optionally of one course. Another unit is not found, exactly as on its other pages.

Memory stays flat however many certificates there are: rows are read in chunks, each PDF is read
from storage in pieces and the ZIP is written as it goes (stream-zip, ZIP64 so that archives over
4 GB stay valid). PDFs are stored (they are compressed already); JSON and CSV are deflated.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from stat import S_IFREG

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone
from stream_zip import NO_COMPRESSION_64, ZIP_64, stream_zip

from courses.models import CoursePage
from lms.models import Organisation
from lms.selectors import administered_organisations, members_of

from .models import Certificate

CHUNK_ROWS = 500
READ_BYTES = 64 * 1024
MODE = S_IFREG | 0o644
INDEX_HEADINGS = (
    "certificate_id",
    "recipient_name",
    "username",
    "unit",
    "course",
    "language",
    "completed_at",
    "issued_at",
    "valid_until",
    "status",
    "pdf",
    "credential",
)


def may_download_any(*, user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("certification.view_certificate")


def downloadable_units(*, user: AbstractBaseUser) -> QuerySet[Organisation]:
    """The units whose members' certificates ``user`` may download."""
    units = Organisation.objects.all() if may_download_any(user=user) else administered_organisations(user=user)
    return units.order_by("path")


def downloadable_courses(*, user: AbstractBaseUser) -> QuerySet[CoursePage]:
    """Courses whose certificates ``user`` may download: any, for a certificate admin."""
    if not may_download_any(user=user):
        return CoursePage.objects.none()
    return CoursePage.objects.filter(pk__in=Certificate.objects.values("course_id")).order_by("title")


def course_certificates(*, user: AbstractBaseUser, course_id: int) -> tuple[CoursePage, QuerySet] | None:
    """A course (in any of its languages) and its certificates, for a certificate admin; else None."""
    if not may_download_any(user=user):
        return None
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return None
    return course, Certificate.objects.filter(course__translation_key=course.translation_key)


def unit_certificates(
    *, user: AbstractBaseUser, organisation_id: int, course_id: int | None = None
) -> tuple[Organisation, QuerySet] | None:
    """The certificates of a unit's members (sub-units included), for someone who may see that unit."""
    organisation = downloadable_units(user=user).filter(pk=organisation_id).first()
    if organisation is None:
        return None
    certificates = Certificate.objects.filter(members_of(organisation=organisation))
    if course_id is not None:
        course = CoursePage.objects.filter(pk=course_id).first()
        translation_key = course.translation_key if course else None
        certificates = certificates.filter(course__translation_key=translation_key)
    return organisation, certificates


def _status(revoked_at, replaced: bool, superseded_at=None) -> str:
    if revoked_at is not None:
        return "replaced" if replaced else "revoked"
    return "superseded" if superseded_at is not None else "valid"


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _index_rows(certificates: QuerySet) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # spreadsheet programs then read the Bengali names as UTF-8
    writer.writerow(INDEX_HEADINGS)
    rows = certificates.values_list(
        "pk",
        "recipient_name",
        "user__username",
        "user__learner_profile__organisation__name",
        "course_title",
        "language",
        "completed_at",
        "issued_at",
        "valid_until",
        "revoked_at",
        "replaced_by",
        "superseded_at",
    )
    for row in rows.iterator(chunk_size=CHUNK_ROWS):
        pk, name, username, unit, title, language, completed, issued, until, revoked, replaced, superseded = row
        writer.writerow(
            [
                pk,
                _safe(name),
                _safe(username),
                _safe(unit or ""),
                _safe(title),
                language,
                _when(completed),
                _when(issued),
                _when(until),
                _status(revoked, replaced is not None, superseded),
                f"certificates/{pk}.pdf",
                f"credentials/{pk}.json",
            ]
        )
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula (CSV injection) is neutralised."""
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


def _file_chunks(field) -> Iterator[bytes]:
    with field.open("rb") as handle:
        while chunk := handle.read(READ_BYTES):
            yield chunk


def _members(certificates: QuerySet) -> Iterable:
    now = timezone.now()
    yield "index.csv", now, MODE, ZIP_64, _index_rows(certificates)
    for certificate in certificates.only("id", "issued_at", "credential", "pdf").iterator(chunk_size=CHUNK_ROWS):
        if certificate.pdf:
            yield (
                f"certificates/{certificate.pk}.pdf",
                certificate.issued_at,
                MODE,
                NO_COMPRESSION_64,
                _file_chunks(certificate.pdf),
            )
        credential = certificate.credential.encode("utf-8")
        yield f"credentials/{certificate.pk}.json", certificate.issued_at, MODE, ZIP_64, (credential,)


def certificates_zip(*, certificates: QuerySet) -> Iterator[bytes]:
    """The ZIP's bytes, produced as they are read: ``index.csv``, ``certificates/<id>.pdf``,
    ``credentials/<id>.json`` (the stored bytes, exactly as signed)."""
    return stream_zip(_members(certificates.order_by("issued_at", "pk")), chunk_size=READ_BYTES)
