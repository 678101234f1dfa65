"""The front door for other apps: every query of ``lms`` that reads learners' state, by name.

Each lives in its sub-domain's package; this module only names them."""

from .enrolment.reopening import cycle_key
from .enrolment.selectors import course_enrolment, credit_hours_by_year, in_reader_language, learner_enrolments
from .organisations.selectors import (
    AmbiguousMember,
    administered_organisations,
    find_member,
    members_of,
    organisation_assignments,
    organisation_enrolments,
    organisation_report,
)
from .progress.selectors import enrolment_lessons
from .reports.selectors import course_funnel, question_results, trainer_courses
from .statements.selectors import activity_definition, learner_statements, lrs_statements

__all__ = [
    "AmbiguousMember",
    "administered_organisations",
    "course_enrolment",
    "course_funnel",
    "credit_hours_by_year",
    "cycle_key",
    "enrolment_lessons",
    "find_member",
    "in_reader_language",
    "learner_enrolments",
    "activity_definition",
    "learner_statements",
    "lrs_statements",
    "members_of",
    "organisation_assignments",
    "organisation_enrolments",
    "organisation_report",
    "question_results",
    "trainer_courses",
]
