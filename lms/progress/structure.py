"""What a course's completion rule counts, kept in the cache between publications.

A course is its translation group: the rule counts the lessons and activities of its *source copy*
(``courses.identity``), and every copy's lessons and blocks are mapped onto them, so a result
recorded in the Bengali copy counts for the same lesson as one recorded in English. A lesson the
source has and a translation lacks still counts (the learner reads it in the source language); a
lesson only a translation has does not.

Recording a result needs to know which published lesson an activity belongs to, which lessons are
required and which activities are scored. That only changes when a page is published, unpublished,
moved, deleted or given a view restriction; until then it is read from the cache (shared Redis in
production) instead of from every lesson body on every record. Any such change replaces a single
version token, so every process sees the new structure at once.

Each process also keeps what it read under the versioned keys (``_Local``, a small LRU with the same
timeout): the version is still read from the shared cache on every call, so a publication is seen at
once everywhere, but recording a result (an xAPI statement) then costs one cache read, not three.
"""

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from wagtail.models import Page

from courses.activities import ActivityNotFound, parse_activity_iri
from courses.identity import activity_blocks, match_activities, source_ids
from courses.models import CoursePage, LessonPage, ScorePolicy
from courses.publication import published_for_learners

VERSION_KEY = "lms:content-version"
TIMEOUT = 24 * 60 * 60
LOCAL_ENTRIES = 512


class _Local:
    """This process's copy of cache entries under versioned keys (which never change meaning)."""

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str):
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[0] < time.monotonic():
                return None
            self.entries.move_to_end(key)
            return found[1]

    def set(self, key: str, value) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + TIMEOUT, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_local = _Local(LOCAL_ENTRIES)


def _cached(key: str):
    value = _local.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            _local.set(key, value)
    return value


def _store(key: str, value) -> None:
    cache.set(key, value, TIMEOUT)
    _local.set(key, value)


@dataclass(frozen=True)
class CourseStructure:
    """The source copy's published lessons and activities, and how every copy maps onto them."""

    course_id: int
    course_path: str
    lesson_ids: frozenset[int]
    required_lesson_ids: frozenset[int]
    activities_by_lesson: dict[int, frozenset[str]]
    passing_score: int | None = None
    keeps_best_score: bool = True
    lesson_sources: dict[int, int] = field(default_factory=dict)
    block_sources: dict[tuple[int, str], str] = field(default_factory=dict)
    lesson_order: tuple[int, ...] = ()

    @property
    def activity_ids(self) -> frozenset[str]:
        return frozenset().union(*self.activities_by_lesson.values()) if self.activities_by_lesson else frozenset()

    def source_lesson(self, lesson_id: int) -> int | None:
        """The source lesson a lesson of any copy is, or None when it is no published lesson of the course."""
        source = self.lesson_sources.get(lesson_id)
        return source if source in self.lesson_ids else None

    def source_block(self, lesson_id: int, block_id: str) -> str | None:
        """The source block a block of any copy's lesson is, or None when it is no activity of the course."""
        source = self.source_lesson(lesson_id)
        if source is None:
            return None
        block = block_id if lesson_id == source else self.block_sources.get((lesson_id, block_id))
        return block if block in self.activities_by_lesson.get(source, frozenset()) else None


@dataclass(frozen=True)
class PublishedActivity:
    """An activity as the records name it: the source lesson and block of the source course."""

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


def _build(course_id: int) -> CourseStructure | None:
    course = CoursePage.objects.filter(pk=course_id).values("pk", "path", "passing_score", "score_policy").first()
    if course is None:
        return None
    rows = (
        published_for_learners(LessonPage.objects.filter(path__startswith=course["path"]))
        .order_by("path")
        .values_list("id", "required", "body", "translation_key")
    )
    lesson_ids, required, activities, blocks_by_key, source_by_key, order = set(), set(), {}, {}, {}, []
    for lesson_id, is_required, body, key in rows:
        lesson_ids.add(lesson_id)
        order.append(lesson_id)
        if is_required:
            required.add(lesson_id)
        blocks = activity_blocks(body)
        activities[lesson_id] = frozenset(block_id for block_id, _type in blocks)
        blocks_by_key[key] = blocks
        source_by_key[key] = lesson_id
    lesson_sources = {lesson_id: lesson_id for lesson_id in lesson_ids}
    block_sources = {}
    copies = LessonPage.objects.live().filter(translation_key__in=list(source_by_key)).exclude(pk__in=lesson_ids)
    for copy_id, body, key in copies.values_list("id", "body", "translation_key"):
        source = source_by_key[key]
        lesson_sources[copy_id] = source
        for copy_block, source_block in match_activities(activity_blocks(body), blocks_by_key[key]).items():
            block_sources[(copy_id, copy_block)] = source_block
    return CourseStructure(
        course_id=course["pk"],
        course_path=course["path"],
        lesson_ids=frozenset(lesson_ids),
        required_lesson_ids=frozenset(required or lesson_ids),
        activities_by_lesson=activities,
        passing_score=course["passing_score"],
        keeps_best_score=course["score_policy"] == ScorePolicy.BEST,
        lesson_sources=lesson_sources,
        block_sources=block_sources,
        lesson_order=tuple(order),
    )


def course_structure(*, course_id: int, version: str | None = None) -> CourseStructure | None:
    """The structure of the course whose source copy is ``course_id`` (``version``: the cache's
    content version when the caller has already read it)."""
    key = f"lms:course-structure:{version or _version()}:{course_id}"
    structure = _cached(key)
    if structure is None:
        structure = _build(course_id)
        if structure is not None:
            _store(key, structure)
    return structure


def source_course_of_lesson(lesson_id: int, *, version: str | None = None) -> int | None:
    """The source course of the course any copy of a lesson belongs to (cached; None if unknown)."""
    key = f"lms:lesson-course:{version or _version()}:{lesson_id}"
    course_id = _cached(key)
    if course_id is None:
        path = LessonPage.objects.filter(pk=lesson_id).values_list("path", flat=True).first()
        if path is None:
            return None
        course_copy = Page.objects.filter(path=path[: -2 * Page.steplen]).values_list("pk", flat=True).first()
        if course_copy is None:
            return None
        course_id = source_ids([course_copy])[course_copy]
        _store(key, course_id)
    return course_id


def structure_for_lesson(lesson: Page) -> CourseStructure | None:
    """The structure of the course a lesson (of any copy) belongs to."""
    course_id = source_course_of_lesson(lesson.pk)
    return course_structure(course_id=course_id) if course_id is not None else None


def published_activity(iri: str) -> PublishedActivity:
    """The activity an IRI names, as the source lesson's block, or ActivityNotFound (drafts,
    unknown blocks, blocks only a translation has). The IRI may name any copy's lesson."""
    lesson_id, block_id = parse_activity_iri(iri)
    version = _version()  # the one shared-cache read, when this process has read the rest before
    course_id = source_course_of_lesson(lesson_id, version=version)
    structure = course_structure(course_id=course_id, version=version) if course_id is not None else None
    source_block = structure.source_block(lesson_id, block_id) if structure else None
    if source_block is None:
        raise ActivityNotFound(f"no published activity at {iri!r}")
    return PublishedActivity(
        lesson_id=structure.source_lesson(lesson_id),
        block_id=source_block,
        course_id=structure.course_id,
        course_path=structure.course_path,
        structure=structure,
    )
