"""Queries that read the course tree. Each costs a fixed number of queries, whatever the tree's size."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet
from wagtail.models import Page

from .identity import copies_in_language, locales_of, source_id, source_id_expression
from .models import Audience, CataloguePage, CoursePage, Language, LessonPage, ModulePage
from .publication import published_for_learners


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
    *,
    catalogue: CataloguePage,
    user=None,
    audience: str | None = None,
    language: str | None = None,
    topic: str | None = None,
) -> QuerySet[CoursePage]:
    """A catalogue's courses published for this visitor. Audience "both" matches either audience."""
    courses = CoursePage.objects.child_of(catalogue)
    return _filter_courses(courses, user=user, audience=audience, language=language, topic=topic)


def published_courses(
    *,
    user=None,
    locale: str | None = None,
    audience: str | None = None,
    language: str | None = None,
    topic: str | None = None,
    accredited: bool | None = None,
    accrediting_body: str | None = None,
) -> QuerySet[CoursePage]:
    """Courses of every catalogue published for ``user`` (an anonymous visitor when None), optionally
    of one locale (for the API)."""
    courses = CoursePage.objects.all()
    if locale:
        courses = courses.filter(locale__language_code=locale)
    if accredited is not None:
        courses = courses.filter(accrediting_body__isnull=not accredited)
    if accrediting_body:
        courses = courses.filter(accrediting_body__short_name=accrediting_body)
    courses = _filter_courses(courses, user=user, audience=audience, language=language, topic=topic)
    return courses.select_related("locale").annotate(course_id=source_id_expression())


def _filter_courses(
    courses: QuerySet[CoursePage], *, user, audience: str | None, language: str | None, topic: str | None
) -> QuerySet[CoursePage]:
    courses = published_for_learners(courses, user=user or AnonymousUser()).select_related("accrediting_body")
    if audience:
        courses = courses.filter(audience__in=[audience, Audience.BOTH])
    if language:
        courses = courses.filter(language=language)
    if topic:
        courses = courses.filter(topics__slug=topic)
    return courses.prefetch_related("topics").order_by("path").distinct()


def course_outline(*, course: CoursePage, user=None) -> list[ModulePage]:
    """The course's modules published for ``user``, each with ``lessons``: its published lessons, in order."""
    lessons = (
        published_for_learners(LessonPage.objects.all(), user=user or AnonymousUser())
        .order_by("path")
        .only("id", "title", "slug", "url_path", "path", "depth", "required", "estimated_minutes", "locale_id")
    )
    modules = list(
        published_for_learners(ModulePage.objects.child_of(course), user=user or AnonymousUser()).order_by("path")
    )
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


def module_lessons(*, module: ModulePage, user=None) -> QuerySet[LessonPage]:
    return published_for_learners(LessonPage.objects.child_of(module), user=user or AnonymousUser()).order_by("path")


def untranslated_lessons(*, course: CoursePage, user=None) -> list[LessonPage]:
    """The source course's published lessons that have no published copy in this copy's language: the
    learner reads them in the source language, and they still count towards completion. Empty for
    the source copy itself. Three queries."""
    source = source_id(course)
    if source == course.pk:
        return []
    source_path = Page.objects.filter(pk=source).values_list("path", flat=True).first()
    visible = published_for_learners(LessonPage.objects.all(), user=user or AnonymousUser())
    here = visible.filter(path__startswith=course.path).values("translation_key")
    return list(
        visible.filter(path__startswith=source_path)
        .exclude(translation_key__in=here)
        .select_related("locale")
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth", "locale", "translation_key")
    )


def lesson_navigation(*, lesson: LessonPage, user=None) -> dict[str, Any]:
    """The lesson's module and course, its place in the whole course ("lesson 4 of 9") and its
    neighbours across module boundaries (the last lesson of a module leads to the next module's
    first), in one query whatever the size of the course."""
    # The course's language of instruction comes along (a lesson of a Bengali-taught course shown
    # under /en/ is still Bengali text, and says so to screen readers).
    course_path = lesson.path[: -2 * Page.steplen]
    visible = published_for_learners(Page.objects.all(), user=user or AnonymousUser())
    pages = list(
        visible.filter(path__startswith=course_path, depth__in=[lesson.depth - 2, lesson.depth - 1, lesson.depth])
        .annotate(course_language=F("coursepage__language"))
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth", "content_type_id", "locale_id", "slug", "translation_key")
    )
    course = next((page for page in pages if page.depth == lesson.depth - 2), None)
    module = next((page for page in pages if page.path == lesson.path[: -Page.steplen]), None)
    lesson_type = ContentType.objects.get_for_model(LessonPage).pk  # cached by Django after the first
    modules = {page.path: page for page in pages if page.depth == lesson.depth - 1}
    lessons = [
        page
        for page in pages
        if page.depth == lesson.depth and page.content_type_id == lesson_type and page.path[: -Page.steplen] in modules
    ]
    for page in lessons:
        parent = modules[page.path[: -Page.steplen]]
        page.module_title = parent.title if parent.path != lesson.path[: -Page.steplen] else ""
    position = next((i for i, page in enumerate(lessons) if page.pk == lesson.pk), None)
    return {
        "module": module,
        "course": course,
        "lesson_number": position + 1 if position is not None else None,
        "lesson_count": len(lessons),
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson": lessons[position + 1] if position is not None and position + 1 < len(lessons) else None,
    }


@dataclass(frozen=True)
class CourseChoice:
    """One course for a picker: its id across languages, its title in the reader's language, and the
    other languages it is written in."""

    course_id: int
    title: str
    other_languages: tuple[str, ...]

    @property
    def label(self) -> str:
        if not self.other_languages:
            return self.title
        return f"{self.title} ({' · '.join(self.other_languages)})"


def course_choices(*, language: str) -> list[CourseChoice]:
    """Every live course once, by its source copy, titled in ``language`` where it has a copy in it,
    with the names of its other languages: what the assign and enrol pickers list. Four queries."""
    names = dict(settings.LANGUAGES)
    sources = list(
        CoursePage.objects.live()
        .annotate(course_id=source_id_expression())
        .filter(pk=F("course_id"))
        .values_list("pk", "title")
    )
    ids = [pk for pk, _title in sources]
    copies = copies_in_language(ids, language)
    languages = locales_of(ids)
    choices = []
    for pk, title in sources:
        copy = copies.get(pk)
        shown = copy.title if copy is not None and copy.live else title
        shown_language = language if copy is not None and copy.live else None
        others = tuple(names.get(code, code) for code in languages.get(pk, []) if code != shown_language)
        choices.append(CourseChoice(course_id=pk, title=shown, other_languages=others))
    return sorted(choices, key=lambda choice: choice.title.casefold())
