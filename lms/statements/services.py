"""xAPI statements: validated (``validation``), stored once by id (``storage``), turned into activity
results when they answer one of this site's activities (``lms.progress.recording``)."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from ..models import Statement
from .actors import actor_matches, statement_actor
from .storage import Sender, store_statements

__all__ = ["Sender", "actor_matches", "record_statement", "statement_actor", "store_statements"]


def record_statement(*, user: AbstractBaseUser, statement: dict[str, Any]) -> tuple[Statement, bool]:
    """The lesson player's rule: one statement by the learner about themselves and one of this site's
    published activities in a course they are enrolled in; return it and whether it is new."""
    return store_statements(sender=Sender(user=user), statements=[statement], site_activities_only=True)[0]
