import pytest

from courses.activities import activity_iri
from lms.models import Enrolment
from tests.factories import UserFactory


@pytest.fixture
def learner(db):
    return UserFactory(username="amina", email="amina@example.gov.bd")


@pytest.fixture
def enrolment(tree, learner) -> Enrolment:
    return Enrolment.objects.create(user=learner, course=tree.course)


def check_iri(lesson) -> str:
    """The IRI of the lesson's knowledge check (the factory puts one in each lesson)."""
    block = next(block for block in lesson.body if block.block_type == "knowledge_check")
    return activity_iri(lesson_id=lesson.pk, block_id=block.id)
