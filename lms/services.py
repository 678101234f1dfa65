"""The front door for other apps: every action of ``lms`` that changes state, by name.

Each lives in its sub-domain's package (enrolment, progress, statements, accounts, organisations,
notices, h5p_state); this module only names them, so ``certification`` and ``api`` need not know
how ``lms`` is arranged inside."""

from .accounts.services import erase_learner, learner_data, sign_up
from .enrolment.imports import EnrolmentImport, Refusal, import_enrolments
from .enrolment.reopening import reopen_course
from .enrolment.services import assign_course, enrol, enrol_member
from .errors import (
    ActorMismatch,
    EnrolmentRefused,
    InvalidStatement,
    LearningError,
    NotEnrolled,
    StatementConflict,
    UnknownActivity,
)
from .h5p_state.services import H5PStateKey, save_h5p_state
from .notices.services import record_notice, send_due_reminders, send_overdue_notices
from .organisations.services import grant_admin_access, make_organisation_admin, set_membership
from .progress.lessons import complete_lesson, record_knowledge_check_answer
from .progress.recording import record_activity_result
from .statements.forwarding import ForwardingFailed, forward_statement
from .statements.services import Sender, record_statement, statement_actor, store_statements

__all__ = [
    "ActorMismatch",
    "EnrolmentImport",
    "EnrolmentRefused",
    "ForwardingFailed",
    "H5PStateKey",
    "InvalidStatement",
    "LearningError",
    "NotEnrolled",
    "Refusal",
    "StatementConflict",
    "UnknownActivity",
    "assign_course",
    "complete_lesson",
    "enrol",
    "enrol_member",
    "erase_learner",
    "forward_statement",
    "grant_admin_access",
    "import_enrolments",
    "learner_data",
    "make_organisation_admin",
    "record_activity_result",
    "record_knowledge_check_answer",
    "record_notice",
    "Sender",
    "record_statement",
    "reopen_course",
    "store_statements",
    "save_h5p_state",
    "send_due_reminders",
    "send_overdue_notices",
    "set_membership",
    "sign_up",
    "statement_actor",
]
