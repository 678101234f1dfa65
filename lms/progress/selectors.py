"""Reading progress: an enrolment's lessons with their visit and completion times."""

from django.db.models import F

from courses.identity import copies_in_language
from courses.models import LessonPage
from courses.publication import published_for_learners

from ..models import (
    ActivityScore,
    Enrolment,
    LessonProgress,
)

# --- learners' apps (the API) ------------------------------------------------------------------


def enrolment_lessons(*, enrolment: Enrolment, language: str = "") -> list[dict]:
    """The course's lessons in order (its source copy's, which completion counts), each with this
    enrolment's visit and completion times, titled in ``language`` where a copy exists: a fixed
    number of queries, so a learner's app shows per-lesson progress without one request per lesson."""
    progress = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(enrolment=enrolment).values(
            "lesson_id", "first_visited_at", "completed_at"
        )
    }
    lessons = list(
        published_for_learners(LessonPage.objects.filter(path__startswith=enrolment.course.path))
        .order_by("path")
        .values("id", "title", "slug")
    )
    copies = copies_in_language([lesson["id"] for lesson in lessons], language) if language else {}
    for lesson in lessons:
        copy = copies.get(lesson["id"])
        if copy is not None and copy.live:
            lesson.update(title=copy.title, slug=copy.slug)
    return [
        {
            **lesson,
            "visited_at": progress.get(lesson["id"], {}).get("first_visited_at"),
            "completed_at": progress.get(lesson["id"], {}).get("completed_at"),
        }
        for lesson in lessons
    ]


def completed_lessons(*, enrolment: Enrolment) -> set[int]:
    """The source lessons this enrolment has completed (one query)."""
    return set(
        LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )


def next_lesson_to_do(*, enrolment: Enrolment, lesson_order, done: set[int]) -> int | None:
    """Where "continue" leads: the first lesson not yet completed at or after the last one opened,
    else the first not completed from the start (a learner who skipped one is taken back to it);
    None once every lesson is done. ``lesson_order``: the course's source lessons in order."""
    order = list(lesson_order)
    if not order:
        return None
    start = order.index(enrolment.last_lesson_id) if enrolment.last_lesson_id in order else 0
    for lesson_id in order[start:] + order[:start]:
        if lesson_id not in done:
            return lesson_id
    return None


def activity_standing(*, result_id: int) -> dict | None:
    """Where the learner stands on the activity of one result: its counting score (best or latest by
    the course's policy) as a percentage, and the attempts so far (one query)."""
    row = (
        ActivityScore.objects.filter(
            enrolment__activity_results__pk=result_id, block_id=F("enrolment__activity_results__block_id")
        )
        .values("score_scaled", "attempts", "success")
        .first()
    )
    if row is None:
        return None
    scaled = row["score_scaled"]
    return {
        "score_percent": round(scaled * 100) if scaled is not None else None,
        "attempts": row["attempts"],
        "success": row["success"],
    }
