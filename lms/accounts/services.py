"""Learners' accounts: signing up, downloading their data, erasing it."""

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..models import (
    ActivityResult,
    Enrolment,
    H5PState,
    LearnerKind,
    LearnerProfile,
    LessonProgress,
    OneTimeCode,
    ScormAttempt,
    Statement,
)
from ..signals import learner_erased

# --- accounts ----------------------------------------------------------------------------------


@transaction.atomic
def sign_up(*, full_name: str, sign_in_name: str, password: str, registered_at=None) -> AbstractBaseUser:
    """Create a citizen's account; ``sign_in_name`` is a normalised email or +880 mobile number;
    ``registered_at`` is the Digital Centre whose operator registered them, if any."""
    first, _sep, last = full_name.strip().partition(" ")
    is_phone = sign_in_name.startswith("+")
    user = get_user_model().objects.create_user(
        username=sign_in_name,
        email="" if is_phone else sign_in_name,
        password=password,
        first_name=first[:150],
        last_name=last[:150],
    )
    LearnerProfile.objects.create(
        user=user, kind=LearnerKind.CITIZEN, phone=sign_in_name if is_phone else None, registered_at=registered_at
    )
    return user


def learner_data(*, user: AbstractBaseUser) -> dict[str, Any]:
    """Everything the site keeps about a learner, for them to download (data portability)."""
    profile = LearnerProfile.objects.filter(user=user).select_related("organisation").first()
    enrolments = Enrolment.objects.filter(user=user).select_related("course", "last_lesson")
    return {
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": None
        if profile is None
        else {
            "kind": profile.kind,
            "organisation": profile.organisation.name if profile.organisation else None,
            "designation": profile.designation,
            "phone": profile.phone,
            "preferred_language": profile.preferred_language,
        },
        "enrolments": [
            {
                "course": enrolment.course.title,
                "status": enrolment.status,
                "progress_percent": enrolment.progress_percent,
                "score_scaled": str(enrolment.score_scaled) if enrolment.score_scaled is not None else None,
                "enrolled_at": enrolment.enrolled_at.isoformat(),
                "completed_at": enrolment.completed_at.isoformat() if enrolment.completed_at else None,
                "due_on": enrolment.due_on.isoformat() if enrolment.due_on else None,
            }
            for enrolment in enrolments
        ],
        "lessons": list(
            LessonProgress.objects.filter(enrolment__user=user).values(
                "lesson_id", "first_visited_at", "last_visited_at", "completed_at"
            )
        ),
        "activity_results": [
            {**row, "score_scaled": str(row["score_scaled"]) if row["score_scaled"] is not None else None}
            for row in ActivityResult.objects.filter(enrolment__user=user).values(
                "activity_iri", "event_id", "score_scaled", "success", "completion", "recorded_at"
            )
        ],
        "statements": list(Statement.objects.filter(user=user).values_list("payload", flat=True)),
        "h5p_saved_states": [
            {**row, "content_id": str(row["content_id"])}
            for row in H5PState.objects.filter(enrolment__user=user)
            .order_by("lesson_id", "block_id", "data_type", "sub_content_id")
            .values("lesson_id", "block_id", "content_id", "data_type", "sub_content_id", "data", "updated_at")
        ],
        "scorm_attempts": [
            {**row, "score_scaled": str(row["score_scaled"]) if row["score_scaled"] is not None else None}
            for row in ScormAttempt.objects.filter(enrolment__user=user)
            .order_by("lesson_id", "block_id", "sco", "number")
            .values(
                "lesson_id",
                "block_id",
                "sco",
                "number",
                "completion_status",
                "success_status",
                "score_scaled",
                "location",
                "suspend_data",
                "total_seconds",
                "cmi",
                "started_at",
                "updated_at",
            )
        ],
    }


@transaction.atomic
def erase_learner(*, user: AbstractBaseUser) -> None:
    """Remove a learner's personal data; keep their enrolments and results, now anonymous, so reports
    still count them. Statements are deleted: their payload names the learner. H5P saved states are
    deleted: they hold whatever the learner typed into an activity. SCORM attempts too: their runtime
    data names the learner and holds their answers (the results they reached stay, anonymous)."""
    Statement.objects.filter(user=user).delete()
    H5PState.objects.filter(enrolment__user=user).delete()
    OneTimeCode.objects.filter(user=user).delete()  # each names the number or address it was sent to
    ScormAttempt.objects.filter(enrolment__user=user).delete()
    user.username = f"erased-{uuid.uuid4().hex[:12]}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.administered_organisations.clear()
    LearnerProfile.objects.update_or_create(
        user=user, defaults={"designation": "", "phone": None, "registered_at": None, "erased_at": timezone.now()}
    )
    learner_erased.send(sender=type(user), user=user)  # certification withholds the name it printed
