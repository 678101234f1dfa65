"""Queries that read the course tree. Each costs a fixed number of queries, whatever the tree's size."""

from collections.abc import Mapping
from typing import Any

from django.db.models import F, QuerySet
from wagtail.models import Page

from .models import Audience, CataloguePage, CoursePage, Language, LessonPage, ModulePage


def catalogue_filters(params: Mapping[str, str]) -> dict[str, str | None]:
    """Keep only the filter values the catalogue knows; an unknown value means no filter."""
    audience = params.get("audience") or None
    language = params.get("language") or None
    return {
        "audience": audience if audience in Audience.values else None,
        "language": language if language in Language.values else None,
        "topic": params.get("topic") or None,
    }


def catalogue_courses(
    *, catalogue: CataloguePage, audience: str | None = None, language: str | None = None, topic: str | None = None
) -> QuerySet[CoursePage]:
    """Published, public courses of a catalogue. Audience "both" matches either audience."""
    courses = CoursePage.objects.child_of(catalogue)
    return _filter_courses(courses, audience=audience, language=language, topic=topic)


def published_courses(
    *,
    locale: str | None = None,
    audience: str | None = None,
    language: str | None = None,
    topic: str | None = None,
    accredited: bool | None = None,
    accrediting_body: str | None = None,
) -> QuerySet[CoursePage]:
    """Published, public courses of every catalogue, optionally of one locale (for the API)."""
    courses = CoursePage.objects.all()
    if locale:
        courses = courses.filter(locale__language_code=locale)
    if accredited is not None:
        courses = courses.filter(accrediting_body__isnull=not accredited)
    if accrediting_body:
        courses = courses.filter(accrediting_body__short_name=accrediting_body)
    return _filter_courses(courses, audience=audience, language=language, topic=topic).select_related("locale")


def _filter_courses(
    courses: QuerySet[CoursePage], *, audience: str | None, language: str | None, topic: str | None
) -> QuerySet[CoursePage]:
    courses = courses.live().public().select_related("accrediting_body")
    if audience:
        courses = courses.filter(audience__in=[audience, Audience.BOTH])
    if language:
        courses = courses.filter(language=language)
    if topic:
        courses = courses.filter(topics__slug=topic)
    return courses.prefetch_related("topics").order_by("path").distinct()


def course_outline(*, course: CoursePage) -> list[ModulePage]:
    """The course's published modules, each with ``lessons``: its published lessons, in order."""
    lessons = (
        LessonPage.objects.live()
        .public()
        .order_by("path")
        .only("id", "title", "slug", "url_path", "path", "depth", "required", "estimated_minutes", "locale_id")
    )
    modules = list(ModulePage.objects.child_of(course).live().public().order_by("path"))
    by_path = {module.path: module for module in modules}
    for module in modules:
        module.lessons = []
    if modules:
        step = Page.steplen
        for lesson in lessons.filter(path__startswith=course.path, depth=course.depth + 2):
            module = by_path.get(lesson.path[:-step])
            if module is not None:
                module.lessons.append(lesson)
    return modules


def module_lessons(*, module: ModulePage) -> QuerySet[LessonPage]:
    return LessonPage.objects.child_of(module).live().public().order_by("path")


def lesson_navigation(*, lesson: LessonPage) -> dict[str, Any]:
    """The lesson's module and course, and its neighbours within the module, in two queries."""
    # The course's language of instruction comes along (a lesson of a Bengali-taught course shown
    # under /en/ is still Bengali text, and says so to screen readers).
    ancestors = {
        page.depth: page
        for page in Page.objects.filter(
            path__in=[lesson.path[: -Page.steplen], lesson.path[: -2 * Page.steplen]]
        ).annotate(course_language=F("coursepage__language"))
    }
    module = ancestors.get(lesson.depth - 1)
    course = ancestors.get(lesson.depth - 2)
    siblings = list(
        LessonPage.objects.sibling_of(lesson).live().public().order_by("path").only("id", "title", "url_path", "path")
    )
    position = next((i for i, page in enumerate(siblings) if page.pk == lesson.pk), None)
    previous_lesson = siblings[position - 1] if position else None
    next_lesson = siblings[position + 1] if position is not None and position + 1 < len(siblings) else None
    return {
        "module": module,
        "course": course,
        "siblings": siblings,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
    }
