"""What issuance reads about the learner's completion: the one place that touches enrolment rows
(and, for a programme certificate, the programme completion's).

Everything downstream (compose, sign, render, store) works from ``IssuanceFacts``, so a change of
which course or enrolment row a certificate is about stays inside this module.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser

from courses.competencies.models import Competency, Programme
from courses.competencies.selectors import competencies_by_key, in_language, programme_competency_keys
from courses.identity import copies_in_language, copy_for_reader, default_language_code, language_code_of
from courses.models import CoursePage
from lms.models import Enrolment, ProgrammeCompletion


@dataclass(frozen=True)
class IssuanceFacts:
    enrolment: Enrolment
    user: AbstractBaseUser
    course: CoursePage  # the copy in the learner's language: what the certificate says
    source_course: CoursePage  # the course across its languages: what the certificate is about
    completed_at: datetime
    score: Decimal | None
    recipient_name: str
    recipient_email: str

    @property
    def language(self) -> str:
        """The certificate's language: a translation's locale (it keeps its source's "language of
        instruction" field), or the source copy's language of instruction."""
        if self.course.pk != self.source_course.pk:
            return language_code_of(self.course.locale_id) or self.course.language
        return self.course.language


def course_in_learners_language(enrolment: Enrolment, course: CoursePage | None = None) -> CoursePage:
    """The copy of the enrolment's course (or of ``course``, the certified course a refresher
    recertifies) in the language the learner studied in (the language of the last lesson they
    opened), or the course itself: a certificate is issued once per completion, whatever languages
    were used, in the learner's language."""
    source = course or enrolment.course
    copy = copy_for_reader(source, enrolment.language) if enrolment.language else source
    copy._source_id = source.pk
    return copy


def facts_from_enrolment(
    *, enrolment: Enrolment, recipient_name: str = "", course: CoursePage | None = None
) -> IssuanceFacts:
    """The completion a certificate attests, read from the enrolment, its learner and its course
    (or ``course``, the source copy of the certified course, when a refresher course recertifies it)."""
    user = enrolment.user
    return IssuanceFacts(
        enrolment=enrolment,
        user=user,
        course=course_in_learners_language(enrolment, course),
        source_course=course or enrolment.course,
        completed_at=enrolment.completed_at,
        score=enrolment.score_scaled,
        recipient_name=recipient_name or user.get_full_name() or user.get_username(),
        recipient_email=getattr(user, "email", ""),
    )


@dataclass(frozen=True)
class ProgrammeCourseFacts:
    title: str  # in the programme certificate's language
    credential_id: str | None  # the course's own certificate, where one was issued


@dataclass(frozen=True)
class ProgrammeFacts:
    """What a programme certificate attests: the completion, its courses and the competencies."""

    completion: ProgrammeCompletion
    user: AbstractBaseUser
    programme: Programme  # the copy in the certificate's language
    completed_at: datetime
    recipient_name: str
    recipient_email: str
    language: str
    courses: tuple[ProgrammeCourseFacts, ...]
    competencies: tuple[Competency, ...]


def _programme_language(completion: ProgrammeCompletion, enrolments: list[Enrolment]) -> str:
    """The language the learner last studied the programme's courses in, else the learner's chosen
    language, else the site's default."""
    latest = max(enrolments, key=lambda e: e.completed_at or completion.completed_at, default=None)
    profile = getattr(completion.user, "learner_profile", None)
    return (
        (latest.language if latest else "")
        or (profile.preferred_language if profile else "")
        or default_language_code()
    )


def facts_from_programme_completion(*, completion: ProgrammeCompletion, recipient_name: str = "") -> ProgrammeFacts:
    """The completion a programme certificate attests, read from the completion and its enrolments,
    with the course certificates (the latest, not revoked) that were issued for them."""
    from ..models import Certificate

    user = completion.user
    enrolments = list(completion.enrolments.select_related("course").order_by("completed_at", "pk"))
    language = _programme_language(completion, enrolments)
    (programme,) = in_language([completion.programme], language)
    credential_ids = {}
    for enrolment_id, pk in (
        Certificate.objects.filter(enrolment__in=enrolments, revoked_at__isnull=True)
        .order_by("enrolment_id", "generation")
        .values_list("enrolment_id", "pk")
    ):
        credential_ids[enrolment_id] = f"urn:uuid:{pk}"
    copies = copies_in_language([e.course_id for e in enrolments], language)
    courses = tuple(
        ProgrammeCourseFacts(title=(copies.get(e.course_id) or e.course).title, credential_id=credential_ids.get(e.pk))
        for e in enrolments
    )
    keys = programme_competency_keys(completion.programme)
    return ProgrammeFacts(
        completion=completion,
        user=user,
        programme=programme,
        completed_at=completion.completed_at,
        recipient_name=recipient_name or user.get_full_name() or user.get_username(),
        recipient_email=getattr(user, "email", ""),
        language=language,
        courses=courses,
        competencies=tuple(competencies_by_key(keys, language)),
    )
