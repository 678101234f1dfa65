from dataclasses import dataclass

import pytest

from courses.models import CataloguePage, CoursePage, LessonPage, ModulePage

from .factories import CataloguePageFactory, CoursePageFactory, LessonPageFactory, ModulePageFactory


@dataclass
class Tree:
    catalogue: CataloguePage
    course: CoursePage
    module: ModulePage
    lessons: list[LessonPage]


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever language an earlier request or test activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def tree(db) -> Tree:
    """A published catalogue with one course, one module and three lessons."""
    catalogue = CataloguePageFactory()
    course = CoursePageFactory(parent=catalogue)
    module = ModulePageFactory(parent=course)
    lessons = [LessonPageFactory(parent=module) for _ in range(3)]
    return Tree(catalogue=catalogue, course=course, module=module, lessons=lessons)


@pytest.fixture
def page_tree_root(transactional_db):
    """What migrations create and a transactional test's flush removes: the root page, the default
    locale and the editorial roles. Transactional tests (a live server) request it before any page."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DEFAULT_DB_ALIAS
    from wagtail.models import Locale, Page

    from courses.services import ensure_editorial_roles

    # A flush empties every table; content types and permissions come back with new ids through
    # post_migrate, and the content type cache still holds the old ones.
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    ensure_editorial_roles()


@pytest.fixture(autouse=True)
def _page_tree_for_transactional_tests(request):
    """Transactional tests (live server, real worker, threads) run after flushes: rebuild the tree first."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "live_server",
        "transactional_db",
    } & set(request.fixturenames)
    if transactional:
        request.getfixturevalue("page_tree_root")
