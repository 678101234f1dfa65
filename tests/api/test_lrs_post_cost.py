"""What one POST /xapi/statements costs, as bench/lrs.py sends it (a learner's token, an answer with a
result about a site activity): a fixed number of queries, whatever was posted before, and one shared-cache
read for the course structure besides the throttle's (the rest is this process's copy, under the same
versioned keys). A publication is still seen at once: the version is read on every POST."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.models import ActivityResult, Statement
from lms.services import enrol
from tests.lms.conftest import check_iri

pytestmark = pytest.mark.django_db
#: token, the recording function, the statement's INSERT and the transaction's two (PostgreSQL, where
#: results are recorded by lms_record_activity_result); SQLite records them with Django's ORM.
QUERIES = {"postgresql": 5}


def answer(user, iri: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "http://testserver", "name": user.username}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"objectType": "Activity", "id": iri},
        "result": {"score": {"raw": 1, "min": 0, "max": 1}, "success": True, "completion": True},
    }


@pytest.fixture
def learner_client(people, tree, settings) -> APIClient:
    """The enrolled learner's token client, as bench/lrs.py posts."""
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    enrol(user=people.learner, course=tree.course)
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people.learner).key}",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )
    return client


@pytest.fixture
def poster(learner_client, people, tree):
    iris = [check_iri(lesson) for lesson in tree.lessons]

    def post(n: int):
        response = learner_client.post("/xapi/statements", answer(people.learner, iris[n % 3]), format="json")
        assert response.status_code == 200, response.content
        return response

    return post


def test_a_statement_post_costs_a_fixed_number_of_queries(poster):
    for n in range(3):
        poster(n)  # the course's structure is cached, every lesson has a result
    counts = []
    for n in range(3, 9):
        with CaptureQueriesContext(connection) as queries:
            poster(n)
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    expected = QUERIES.get(connection.vendor)
    assert expected is None or counts[0] == expected, [q["sql"][:120] for q in queries.captured_queries]
    assert Statement.objects.count() == 9 and ActivityResult.objects.count() == 9


def test_a_statement_post_reads_the_shared_cache_twice(poster, monkeypatch):
    poster(0)
    reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: reads.append(key) or real_get(key, *args, **kwargs))
    poster(3)  # the same lesson's activity again
    assert len(reads) == 2, reads  # the throttle's history and the content version
    assert any(key == "lms:content-version" for key in reads)


def test_a_batch_stores_its_statements_in_one_insert(learner_client, people, tree):
    """20 answers in one POST (bench/lrs.py's batch): one recording each, and the statements in a single
    INSERT, so the batch costs 4 queries more than its recordings (PostgreSQL)."""
    client = learner_client
    iris = [check_iri(lesson) for lesson in tree.lessons]
    for iri in iris:  # every lesson's structure cached, and the course completed before the batch
        client.post("/xapi/statements", answer(people.learner, iri), format="json")
    batch = [answer(people.learner, iris[n % 3]) for n in range(20)]
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/xapi/statements", batch, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == [statement["id"] for statement in batch]
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "lms_statement"')]
    assert len(inserts) == 1
    stored = Statement.objects.filter(statement_id__in=[s["id"] for s in batch])
    assert stored.count() == 20 and stored.filter(activity_result__isnull=False).count() == 20
    if connection.vendor == "postgresql":
        # token, the ids already stored, the transaction's two (savepoints here), one recording each, the INSERT
        assert len(queries) == 4 + 20 + 1, "\n".join(q["sql"][:150] for q in queries.captured_queries)
