"""Reading a learner's notices: the site's own list, newest first."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ..models import Notice


def learner_notices(*, user: AbstractBaseUser, limit: int = 50) -> QuerySet[Notice]:
    """The learner's notices, newest first, with their enrolment's course (one query)."""
    return (
        Notice.objects.filter(enrolment__user=user)
        .select_related("enrolment__course", "enrolment__assignment__organisation")
        .order_by("-sent_at", "-pk")[:limit]
    )


def unread_notice_count(*, user: AbstractBaseUser) -> int:
    return Notice.objects.filter(enrolment__user=user, read_at__isnull=True).count()
