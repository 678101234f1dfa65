"""Site search over the courses, modules and lessons a visitor may see.

One rule decides what a learner may see (``courses.publication``); search asks it rather than
Wagtail's ``public()``, so a course restricted to signed-in civil servants is found by them and by
nobody else. The query is cleaned before it reaches the search backend: only letters, marks and
digits count (Bengali vowel signs are marks, so they stay inside their words), at most
``MAX_QUERY_CHARACTERS`` characters and ``MAX_WORDS`` words, so a 10,000-character paste or a line
of punctuation gets a clear answer instead of an error from the full-text engine.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Locale, Page

from .models import CoursePage, LessonPage, ModulePage
from .publication import published_for_learners

MAX_QUERY_CHARACTERS = 200
MAX_WORDS = 12
RESULTS_PER_KIND = 20
KINDS = (("course", CoursePage), ("module", ModulePage), ("lesson", LessonPage))


class QueryProblem(ValueError):
    """The query cannot be searched; ``code`` says why ("empty", "too_long", "no_words")."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def search_words(query: str) -> list[str]:
    """The words of ``query``: runs of letters, marks and digits, in any script."""
    if len(query) > MAX_QUERY_CHARACTERS:
        raise QueryProblem("too_long")
    if not query.strip():
        raise QueryProblem("empty")
    cleaned = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in query)
    words = cleaned.split()[:MAX_WORDS]
    if not words:
        raise QueryProblem("no_words")
    return words


@dataclass(frozen=True)
class SearchResult:
    kind: str
    page: Page
    course_title: str
    summary: str


def search_learning_pages(*, query: str, language: str, user=None, session=None) -> list[SearchResult]:
    """Courses, then modules, then lessons in the reader's language that match ``query`` and that
    ``user`` may see, best match first within each kind. Raises ``QueryProblem`` for bad input."""
    words = search_words(query)
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    visitor = user if user is not None else AnonymousUser()  # None here means nobody signed in
    found: list[tuple[str, Page]] = []
    for kind, model in KINDS:
        pages = published_for_learners(model.objects.filter(locale=locale), user=visitor, session=session)
        found.extend((kind, page) for page in pages.search(" ".join(words), operator="and")[:RESULTS_PER_KIND])
    steplen = Page.steplen
    ancestors = {page.path[:end] for _kind, page in found for end in range(steplen, len(page.path), steplen)}
    titles = dict(CoursePage.objects.filter(path__in=ancestors).values_list("path", "title"))

    def course_title(page: Page) -> str:
        prefixes = (page.path[:end] for end in range(steplen, len(page.path), steplen))
        return next((titles[prefix] for prefix in prefixes if prefix in titles), "")

    return [
        SearchResult(
            kind=kind,
            page=page,
            course_title="" if kind == "course" else course_title(page),
            summary=Truncator(strip_tags(getattr(page, "summary", "") or "")).words(30),
        )
        for kind, page in found
    ]
