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
