"""What a course's completion rule counts, kept in the cache between publications.

Recording a result needs to know which published lesson an activity belongs to, which lessons are
required and which activities are scored. That only changes when a page is published, unpublished,
moved, deleted or given a view restriction; until then it is read from the cache (shared Redis in
production) instead of from every lesson body on every record. Any such change replaces a single
version token, so every process sees the new structure at once.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from wagtail.models import Page

from courses.activities import ACTIVITY_BLOCK_TYPES, ActivityNotFound, parse_activity_iri, resolve_activity
from courses.models import CoursePage, LessonPage, ScorePolicy

VERSION_KEY = "lms:content-version"
TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class CourseStructure:
    course_id: int
    course_path: str
    lesson_ids: frozenset[int]
    required_lesson_ids: frozenset[int]
    activities_by_lesson: dict[int, frozenset[str]]
    passing_score: int | None = None
    keeps_best_score: bool = True

    @property
    def activity_ids(self) -> frozenset[str]:
        return frozenset().union(*self.activities_by_lesson.values()) if self.activities_by_lesson else frozenset()


@dataclass(frozen=True)
class PublishedActivity:
    lesson_id: int
    block_id: str
    course_id: int
    course_path: str
    structure: CourseStructure


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def content_changed(**kwargs) -> None:
    """Forget every cached structure (connected to Wagtail's publishing and move signals)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _course_path_of(lesson_path: str) -> str:
    return lesson_path[: -2 * Page.steplen]


def _build(course_path: str) -> CourseStructure | None:
    course = CoursePage.objects.filter(path=course_path).values("pk", "passing_score", "score_policy").first()
    if course is None:
        return None
    rows = LessonPage.objects.live().public().filter(path__startswith=course_path).values_list("id", "required", "body")
    lesson_ids, required, activities = set(), set(), {}
    for lesson_id, is_required, body in rows:
        lesson_ids.add(lesson_id)
        if is_required:
            required.add(lesson_id)
        blocks = body.raw_data if hasattr(body, "raw_data") else body or []
        activities[lesson_id] = frozenset(
            block["id"] for block in blocks if block.get("type") in ACTIVITY_BLOCK_TYPES and block.get("id")
        )
    return CourseStructure(
        course_id=course["pk"],
        course_path=course_path,
        lesson_ids=frozenset(lesson_ids),
        required_lesson_ids=frozenset(required or lesson_ids),
        activities_by_lesson=activities,
        passing_score=course["passing_score"],
        keeps_best_score=course["score_policy"] == ScorePolicy.BEST,
    )


def course_structure(*, course_path: str) -> CourseStructure | None:
    """The published lessons, required lessons and activities of the course at ``course_path``."""
    key = f"lms:course-structure:{_version()}:{course_path}"
    structure = cache.get(key)
    if structure is None:
        structure = _build(course_path)
        if structure is not None:
            cache.set(key, structure, TIMEOUT)
    return structure


def published_activity(iri: str) -> PublishedActivity:
    """The activity an IRI names in a published lesson, or ActivityNotFound (drafts, unknown blocks).

    The first lookup of a lesson goes through ``resolve_activity``; later ones read the structure.
    """
    lesson_id, block_id = parse_activity_iri(iri)
    key = f"lms:lesson-course:{_version()}:{lesson_id}"
    course_path = cache.get(key)
    if course_path is None:
        activity = resolve_activity(iri)
        course_path = _course_path_of(activity.lesson.path)
        cache.set(key, course_path, TIMEOUT)
    structure = course_structure(course_path=course_path)
    if structure is None or block_id not in structure.activities_by_lesson.get(lesson_id, frozenset()):
        raise ActivityNotFound(f"no published activity at {iri!r}")
    return PublishedActivity(
        lesson_id=lesson_id,
        block_id=block_id,
        course_id=structure.course_id,
        course_path=course_path,
        structure=structure,
    )
