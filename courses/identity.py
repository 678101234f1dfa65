"""One course, module, lesson and activity, whatever languages it is written in.

Wagtail keeps each translation of a page as a page of its own, linked to the others by
``translation_key``. Everything that belongs to a learner must point at the thing itself, not at one
language's copy of it, or a learner who switches language loses their place. The thing is named by
its *source copy*: the page of the translation group that was created first (the lowest id), which
is the one the others were translated from. Learning records point at the source copy; pages and
pickers show the copy in the reader's language.

An activity (a scored block of a lesson) is the source lesson's block. A translation made with
Wagtail's own tools keeps the block ids of its source, so the same id names the same activity in
every language; a translation whose editor replaced a block gets a new id, and is matched to the
source's block of the same type in the same position among the lesson's activities. A block a
translation has and the source does not is no activity of the course: it is shown, and does not
count.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from wagtail.models import Locale, Page


def source_id_expression() -> Subquery:
    """The source copy's id as an expression, to annotate a page queryset with (``course_id=...``)."""
    return Subquery(Page.objects.filter(translation_key=OuterRef("translation_key")).order_by("pk").values("pk")[:1])


def source_ids(page_ids: Iterable[int]) -> dict[int, int]:
    """The source copy's id of each page, in one query (a page without translations is its own)."""
    ids = {int(pk) for pk in page_ids}
    if not ids:
        return {}
    return dict(Page.objects.filter(pk__in=ids).annotate(source=source_id_expression()).values_list("pk", "source"))


SOURCE_VERSION_KEY = "courses:source-version"


def forget_sources(**kwargs) -> None:
    """A page was deleted: the next page of its group may now be the source (connected to post_delete)."""
    cache.set(SOURCE_VERSION_KEY, uuid.uuid4().hex, None)


def source_id(page: Page) -> int:
    """The id of the page's source copy: kept on the page object and in the cache (a source only
    changes when a page is deleted, since translations are always created after their source)."""
    cached = getattr(page, "_source_id", None)
    if cached is None:
        version = cache.get(SOURCE_VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            cache.add(SOURCE_VERSION_KEY, version, None)
            version = cache.get(SOURCE_VERSION_KEY, version)
        key = f"courses:source:{version}:{page.pk}"
        cached = cache.get(key)
        if cached is None:
            cached = source_ids([page.pk])[page.pk]
            cache.set(key, cached, 24 * 60 * 60)
        page._source_id = cached
    return cached


def language_code_of(locale_id: int | None) -> str:
    """A locale's language code, without a query once the site's few locales are known."""
    if locale_id is None:
        return ""
    codes = cache.get("courses:locale-codes")
    if codes is None or locale_id not in codes:
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        cache.set("courses:locale-codes", codes, 24 * 60 * 60)
    return codes.get(locale_id, "")


def source_of(page: Page) -> Page:
    """The source copy itself, as its specific page type."""
    pk = source_id(page)
    return page if pk == page.pk else Page.objects.get(pk=pk).specific


def copies_in_language(source_page_ids: Iterable[int], language_code: str) -> dict[int, Page]:
    """For each source copy, its copy in ``language_code`` (specific), where one exists: one query
    for the pages plus one per page type. The reader's copy of a course, lesson or module."""
    ids = {int(pk) for pk in source_page_ids}
    if not ids:
        return {}
    keys = dict(Page.objects.filter(pk__in=ids).values_list("translation_key", "pk"))
    copies = (
        Page.objects.filter(translation_key__in=list(keys), locale__language_code=language_code)
        .specific()
        .select_related("locale")
    )
    return {keys[copy.translation_key]: copy for copy in copies}


def copy_for_reader(page: Page, language_code: str) -> Page:
    """The copy of ``page`` in the reader's language, or the page itself when there is none."""
    if page.locale_id and getattr(page.locale, "language_code", None) == language_code:
        return page
    return copies_in_language([page.pk], language_code).get(page.pk, page)


def locales_of(source_page_ids: Iterable[int]) -> dict[int, list[str]]:
    """The language codes each source copy's group exists in (for pickers: "also in বাংলা")."""
    ids = {int(pk) for pk in source_page_ids}
    if not ids:
        return {}
    keys = dict(Page.objects.filter(pk__in=ids).values_list("translation_key", "pk"))
    languages: dict[int, list[str]] = {pk: [] for pk in ids}
    for key, code in (
        Page.objects.filter(translation_key__in=list(keys))
        .order_by("locale__language_code")
        .values_list("translation_key", "locale__language_code")
    ):
        languages[keys[key]].append(code)
    return languages


# --- activities -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonIdentity:
    """Which lesson a copy is, and which of the source lesson's activities each of its blocks is.

    ``activities`` maps the copy's activity block ids to the source's block ids (the same id for a
    block Wagtail translated); a block without a counterpart in the source is left out."""

    lesson_id: int
    source_id: int
    activities: dict[str, str]

    @property
    def is_source(self) -> bool:
        return self.lesson_id == self.source_id


def activity_blocks(raw_body) -> list[tuple[str, str]]:
    """(block id, block type) of a lesson body's activity blocks, in order, from its raw data."""
    from .activities import ACTIVITY_BLOCK_TYPES

    blocks = raw_body.raw_data if hasattr(raw_body, "raw_data") else raw_body or []
    return [
        (block["id"], block["type"])
        for block in blocks
        if block.get("type") in ACTIVITY_BLOCK_TYPES and block.get("id")
    ]


def match_activities(copy_blocks: list[tuple[str, str]], source_blocks: list[tuple[str, str]]) -> dict[str, str]:
    """The source block each of a translation's activity blocks is: by id, else by type and position."""
    source_by_id = dict(source_blocks)
    unmatched: dict[str, list[str]] = {}
    shared = {block_id for block_id, _type in copy_blocks if block_id in source_by_id}
    for block_id, block_type in source_blocks:
        if block_id not in shared:
            unmatched.setdefault(block_type, []).append(block_id)
    matched = {}
    for block_id, block_type in copy_blocks:
        if block_id in source_by_id:
            matched[block_id] = block_id
        elif unmatched.get(block_type):
            matched[block_id] = unmatched[block_type].pop(0)
    return matched


def lesson_identity(lesson: Page) -> LessonIdentity:
    """The lesson's source and its activities' identity: one query for a source lesson, two for a copy.
    Kept on the page object, so the hooks of one request share it."""
    cached = getattr(lesson, "_lesson_identity", None)
    if cached is not None:
        return cached
    own = activity_blocks(lesson.body)
    source = source_id(lesson)
    if source == lesson.pk:
        identity = LessonIdentity(lesson_id=lesson.pk, source_id=source, activities={b: b for b, _t in own})
    else:
        from .models import LessonPage

        body = LessonPage.objects.filter(pk=source).values_list("body", flat=True).first()
        identity = LessonIdentity(
            lesson_id=lesson.pk, source_id=source, activities=match_activities(own, activity_blocks(body))
        )
    lesson._lesson_identity = identity
    return identity


def default_language_code() -> str:
    return Locale.get_default().language_code
