"""H5P saved state ("content user data"): where a learner stopped in an activity."""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from courses.activities import ActivityNotFound, activity_iri, resolve_activity
from courses.models import LessonPage
from foundation import json_input

from ..errors import (
    LearningError,
    NotEnrolled,
    UnknownActivity,
)
from ..models import (
    Enrolment,
    H5PState,
)
from ..progress.lessons import enrolment_for_lesson

# --- H5P saved state ("content user data") ------------------------------------------------------

H5P_STATE_MAX_BYTES = 64 * 1024
H5P_STATE_DELETE = "0"  # what the H5P core posts as ``data`` to delete a saved state
_H5P_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class InvalidH5PState(LearningError):
    status = 400


class H5PContentChanged(LearningError):
    """The state is about a package the block no longer plays: the page was opened before a change."""

    status = 409


@dataclass(frozen=True)
class H5PStateKey:
    """Which state: the lesson block (and its package) a learner plays, the data type and sub-content."""

    lesson_id: int
    block_id: str
    content_id: str
    data_type: str = "state"
    sub_content_id: str = "0"


@dataclass(frozen=True)
class H5PStateOwner:
    enrolment: Enrolment
    lesson: LessonPage
    content_id: uuid.UUID


def h5p_state_owner(*, user: AbstractBaseUser, key: H5PStateKey) -> H5PStateOwner:
    """The enrolment a state of ``key`` belongs to, for the signed-in ``user``.

    Unknown lessons, blocks that are not H5P activities and unknown package ids are UnknownActivity
    (404) whoever asks; a package the block no longer plays is H5PContentChanged (409); a learner not
    enrolled in the lesson's course gets NotEnrolled (403). The state is always the user's own: no
    part of the key names a learner."""
    for value, field in ((key.data_type, "data_type"), (key.sub_content_id, "sub_content_id")):
        if not _H5P_NAME.match(value or ""):
            raise InvalidH5PState(_("This is not an H5P data type or sub-content id."), code="invalid_key", field=field)
    try:
        content_id = uuid.UUID(str(key.content_id))
        activity = resolve_activity(activity_iri(lesson_id=int(key.lesson_id), block_id=str(key.block_id)))
    except (ValueError, ActivityNotFound) as exc:
        raise UnknownActivity(_("There is no such H5P activity."), code="unknown_activity") from exc
    package = activity.value.get("activity") if activity.block_type == "h5p" else None
    if package is None:
        raise UnknownActivity(_("There is no such H5P activity."), code="unknown_activity")
    if package.uuid != content_id:
        raise H5PContentChanged(
            _("This activity has changed since the page was opened. Reload the page to start it again."),
            code="content_changed",
        )
    if not user.is_authenticated:
        raise NotEnrolled(_("Sign in to keep your place in activities."), code="not_signed_in")
    enrolment = enrolment_for_lesson(user=user, lesson=activity.lesson)
    if enrolment is None:
        raise NotEnrolled(
            _("Enrol in this course first: your place in activities is only kept in courses you are enrolled in."),
            code="not_enrolled",
        )
    return H5PStateOwner(enrolment=enrolment, lesson=activity.lesson, content_id=content_id)


def check_h5p_state(data: Any) -> str:
    """The state as stored: a JSON text of at most H5P_STATE_MAX_BYTES bytes, or InvalidH5PState."""
    if not isinstance(data, str):
        raise InvalidH5PState(_("The saved state must be a JSON text."), code="invalid_state", field="data")
    if len(data.encode("utf-8", "surrogatepass")) > H5P_STATE_MAX_BYTES:
        raise InvalidH5PState(
            _("The saved state is larger than %(kb)d KB; it was not kept.") % {"kb": H5P_STATE_MAX_BYTES // 1024},
            code="state_too_large",
            field="data",
        )
    try:
        json_input.loads(data)
    except json_input.JsonInputError as exc:
        raise InvalidH5PState(_("The saved state must be a JSON text."), code="invalid_state", field="data") from exc
    return data


def save_h5p_state(
    *, user: AbstractBaseUser, key: H5PStateKey, data: Any, preload: bool = True, invalidate: bool = True
) -> H5PState | None:
    """Keep (or, when ``data`` is "0" as the H5P core sends it, delete) one state of an activity.

    Both also delete the block's states kept for another package, so a re-uploaded activity
    never restarts from a state that does not fit it. Returns the stored row, or None when deleted."""
    if data == H5P_STATE_DELETE:
        owner = h5p_state_owner(user=user, key=key)
        H5PState.objects.filter(enrolment=owner.enrolment, lesson=owner.lesson, block_id=key.block_id).filter(
            Q(data_type=key.data_type, sub_content_id=key.sub_content_id) | ~Q(content_id=owner.content_id)
        ).delete()
        return None
    data = check_h5p_state(data)
    owner = h5p_state_owner(user=user, key=key)
    with transaction.atomic():
        H5PState.objects.filter(enrolment=owner.enrolment, lesson=owner.lesson, block_id=key.block_id).exclude(
            content_id=owner.content_id
        ).delete()
        state, _created = H5PState.objects.update_or_create(
            enrolment=owner.enrolment,
            lesson=owner.lesson,
            block_id=key.block_id,
            data_type=key.data_type,
            sub_content_id=key.sub_content_id,
            defaults={
                "content_id": owner.content_id,
                "data": data,
                "preload": bool(preload),
                "invalidate": bool(invalidate),
            },
        )
    return state
