"""The logged-in learner's lesson page is a read: a fixed, small number of queries whatever the number
of H5P blocks, lessons or learners, and no write when nothing changed."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lms.models import Enrolment
from lms.services import enrol
from tests.factories import LessonPageFactory, UserFactory, knowledge_check
from tests.h5p_packages import media_folder  # noqa: F401  (the media fixture)

from .test_h5p_state import h5p_block, package

LESSON_PAGE_QUERIES = 12
WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT")


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def learner_client(tree, learner):
    enrol(user=learner, course=tree.course)
    client = Client()
    client.force_login(learner)
    return client


def test_the_lesson_page_is_a_small_fixed_read(tree, learner, learner_client, media):
    one = LessonPageFactory(parent=tree.module, body=[h5p_block(package("One")), knowledge_check()])
    four = LessonPageFactory(
        parent=tree.module, body=[h5p_block(package(f"Four {n}")) for n in range(4)] + [knowledge_check()]
    )
    first_visit = _get(learner_client, one.url)
    assert any(sql.startswith(("INSERT", "UPDATE")) for sql in first_visit)  # the visit is recorded once
    _get(learner_client, one.url)  # the site's caches warm, as on a running site
    small = _get(learner_client, one.url)
    assert not [sql for sql in small if sql.startswith(WRITES)], small
    assert len(small) <= LESSON_PAGE_QUERIES, "\n".join(small)

    _get(learner_client, four.url)
    _get(learner_client, one.url)  # back where the learner was: the last lesson changes once more
    for _ in range(20):  # more lessons and more learners
        LessonPageFactory(parent=tree.module)
        other = UserFactory()
        Enrolment.objects.create(user=other, course=tree.course)
    _get(learner_client, one.url)  # publishing forgot the cached routes and structure: built once again
    assert len(_get(learner_client, one.url)) == len(small)
    _get(learner_client, four.url)
    big = _get(learner_client, four.url)
    assert len(big) == len(small), "\n".join(big)
    assert not [sql for sql in big if sql.startswith(WRITES)]
