"""Reading H5P saved states: one, or all of a lesson's in one query."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import FilteredRelation, Q

from courses.models import LessonPage

from ..h5p_state.services import H5PStateKey, h5p_state_owner
from ..models import (
    Enrolment,
    H5PState,
)
from ..progress.structure import source_course_of_lesson

# --- H5P saved state ---------------------------------------------------------------------------


def h5p_state_data(*, user: AbstractBaseUser, key: H5PStateKey) -> str | None:
    """The learner's own saved state for ``key`` (a JSON text), or None; refusals as h5p_state_owner."""
    owner = h5p_state_owner(user=user, key=key)
    return (
        H5PState.objects.filter(
            enrolment=owner.enrolment,
            lesson=owner.lesson,
            block_id=key.block_id,
            content_id=owner.content_id,
            data_type=key.data_type,
            sub_content_id=key.sub_content_id,
        )
        .values_list("data", flat=True)
        .first()
    )


def lesson_h5p_states(*, user: AbstractBaseUser, lesson: LessonPage) -> dict[str, dict[str, dict]] | None:
    """The states to preload into the lesson's H5P players, in one query whatever the number of blocks.

    None when nothing can be kept (not signed in, or not enrolled in the lesson's course). Otherwise
    ``{block_id: {package uuid: {sub-content id: {data type: JSON text}}}}`` for the rows H5P asked
    to preload; the page plays a block's state only when the block still has that package."""
    if not user.is_authenticated:
        return None
    course_id = source_course_of_lesson(lesson.pk)  # the course across its languages (cached)
    if course_id is None:
        return None
    rows = list(
        Enrolment.objects.filter(user=user, course_id=course_id)
        .annotate(state=FilteredRelation("h5p_states", condition=Q(h5p_states__lesson=lesson)))
        .values_list(
            "state__block_id",
            "state__content_id",
            "state__sub_content_id",
            "state__data_type",
            "state__data",
            "state__preload",
        )
    )
    if not rows:
        return None
    states: dict[str, dict[str, dict]] = {}
    for block_id, content_id, sub_content_id, data_type, data, preload in rows:
        if block_id is None:  # enrolled, nothing saved in this lesson
            continue
        package = states.setdefault(block_id, {}).setdefault(str(content_id), {})
        if preload:
            package.setdefault(sub_content_id, {})[data_type] = data
    return states
