"""Refusals of the learning services: a message for the person, a stable code for programs."""

from django.core.exceptions import PermissionDenied


class LearningError(Exception):
    """A refusal with a message for the learner, a stable code for programs and the field at fault."""

    status = 400

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidStatement(LearningError):
    status = 400


class ActorMismatch(LearningError, PermissionDenied):
    """A statement about someone other than the signed-in learner: never stored, whoever sends it."""

    status = 403


class NotEnrolled(LearningError):
    status = 403


class UnknownActivity(LearningError):
    status = 404


class StatementConflict(LearningError):
    status = 409


class EnrolmentRefused(LearningError):
    status = 409
