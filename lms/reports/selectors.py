"""Trainers' reports: the courses a trainer may read, their funnel and question results."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from courses.activities import ACTIVITY_BLOCK_TYPES
from courses.identity import copies_in_language, source_id_expression
from courses.models import CoursePage, LessonPage
from courses.publication import published_for_learners

from ..models import (
    ActivityResult,
    Enrolment,
    LessonProgress,
)
from ..organisations.selectors import enrolment_export_rows

# --- trainers ----------------------------------------------------------------------------------


def trainer_courses(*, user: AbstractBaseUser) -> QuerySet[CoursePage]:
    """Courses whose results a user may see, each once (its source copy): those of which they own any
    language's copy (a trainer owns the courses they create) or are a co-trainer; all of them for a
    superuser."""
    if not user.is_authenticated:
        return CoursePage.objects.none()
    sources = CoursePage.objects.annotate(course_id=source_id_expression())
    if not user.is_superuser:
        sources = sources.filter(Q(owner=user) | Q(co_trainers=user))
    return CoursePage.objects.filter(pk__in=sources.values("course_id")).order_by("title")


def titled_for_reader(courses, language: str) -> list[CoursePage]:
    """The courses with ``reader_title``: the title of their copy in ``language``, else their own."""
    courses = list(courses)
    copies = copies_in_language([course.pk for course in courses], language)
    for course in courses:
        copy = copies.get(course.pk)
        course.reader_title = copy.title if copy is not None else course.title
    return courses


def course_funnel(*, course: CoursePage) -> list[dict]:
    """Per published lesson in order: how many enrolled learners opened it and how many completed it."""
    lessons = list(
        published_for_learners(LessonPage.objects.filter(path__startswith=course.path))
        .order_by("path")
        .values("id", "title")
    )
    counts = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(enrolment__course=course)
        .values("lesson_id")
        .annotate(visited=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
    }
    enrolled = Enrolment.objects.filter(course=course).count()
    funnel = []
    for lesson in lessons:
        row = counts.get(lesson["id"], {})
        funnel.append(
            {
                "lesson_id": lesson["id"],
                "title": lesson["title"],
                "enrolled": enrolled,
                "visited": row.get("visited", 0),
                "completed": row.get("completed", 0),
                "completed_percent": round(100 * row.get("completed", 0) / enrolled) if enrolled else 0,
            }
        )
    return funnel


def question_results(*, course: CoursePage) -> list[dict]:
    """Per activity: attempts, learners, share answered right; the most-missed first."""
    questions = {}
    for title, body in (
        LessonPage.objects.live().filter(path__startswith=course.path).order_by("path").values_list("title", "body")
    ):
        for block in body.raw_data if hasattr(body, "raw_data") else body or []:
            if block.get("type") in ACTIVITY_BLOCK_TYPES:
                value = block.get("value") or {}
                questions[block["id"]] = {"lesson": title, "question": value.get("question", "") or block["id"]}
    rows = (
        ActivityResult.objects.filter(enrolment__course=course, block_id__in=list(questions))
        .values("block_id")
        .annotate(
            attempts=Count("id"),
            learners=Count("enrolment", distinct=True),
            right=Count("id", filter=Q(success=True)),
        )
    )
    results = []
    for row in rows:
        info = questions[row["block_id"]]
        results.append(
            {
                **info,
                "block_id": row["block_id"],
                "attempts": row["attempts"],
                "learners": row["learners"],
                "right_percent": round(100 * row["right"] / row["attempts"]) if row["attempts"] else 0,
            }
        )
    answered = {row["block_id"] for row in results}
    results += [
        {**info, "block_id": block_id, "attempts": 0, "learners": 0, "right_percent": 0}
        for block_id, info in questions.items()
        if block_id not in answered
    ]
    return sorted(results, key=lambda row: (row["right_percent"] if row["attempts"] else 101, row["lesson"]))


def course_enrolment_rows(*, course: CoursePage):
    """Every enrolment in a course as plain tuples, read in chunks for the trainer's streamed export."""
    return enrolment_export_rows(Enrolment.objects.filter(course=course))
