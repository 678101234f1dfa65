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
    from wagtail.models import Locale, Page

    from courses.services import ensure_editorial_roles

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    ensure_editorial_roles()
