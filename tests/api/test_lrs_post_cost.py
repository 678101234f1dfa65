"""What one POST /xapi/statements costs, as bench/lrs.py sends it (a learner's token, an answer with a
result about a site activity): a fixed number of queries, whatever was posted before, and one shared-cache
read for the course structure besides the throttle's (the rest is this process's copy, under the same
versioned keys). A publication is still seen at once: the version is read on every POST."""

import base64
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.models import ActivityResult, ActivityScore, Enrolment, LessonProgress, Statement
from lms.services import enrol
from tests.lms.conftest import check_iri

pytestmark = pytest.mark.django_db
#: As the server runs (no transaction around the request): the token, then the recording function and
#: the statement's INSERT as one SQL statement (PostgreSQL, where results are recorded by
#: lms_record_activity_result); SQLite records them with Django's ORM. Inside a test's transaction the
#: one statement runs in a savepoint: two more.
QUERIES = {"postgresql": 2}
QUERIES_IN_A_TRANSACTION = {"postgresql": 4}


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


@pytest.mark.parametrize(
    "expected",
    [
        pytest.param(QUERIES, marks=pytest.mark.django_db(transaction=True), id="as-the-server-runs"),
        pytest.param(QUERIES_IN_A_TRANSACTION, id="in-a-transaction"),
    ],
)
def test_a_statement_post_costs_a_fixed_number_of_queries(poster, expected):
    for n in range(3):
        poster(n)  # the course's structure is cached, every lesson has a result
    counts = []
    for n in range(3, 9):
        with CaptureQueriesContext(connection) as queries:
            poster(n)
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    expected = expected.get(connection.vendor)
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


def progress_of(people, tree) -> tuple:
    enrolment = Enrolment.objects.get(user=people.learner, course=tree.course)
    return (
        enrolment.progress_percent,
        enrolment.status,
        ActivityResult.objects.count(),
        list(ActivityScore.objects.values_list("block_id", "attempts")),
        LessonProgress.objects.filter(completed_at__isnull=False).count(),
    )


@pytest.mark.parametrize(
    "transactional",
    [pytest.param(True, marks=pytest.mark.django_db(transaction=True), id="as-the-server-runs"), False],
)
def test_an_answer_under_a_stored_id_records_nothing(learner_client, people, tree, transactional):
    """A stored statement's id sent again with an answer that would move progress: a conflict (409), and
    the answer's result is not recorded either, although on PostgreSQL the recording and the INSERT that
    meets the stored id are one SQL statement."""
    iri = check_iri(tree.lessons[0])
    first = answer(people.learner, iri)
    del first["result"]
    first["verb"] = {"id": "http://adlnet.gov/expapi/verbs/experienced"}
    assert learner_client.post("/xapi/statements", first, format="json").status_code == 200
    before = progress_of(people, tree)
    again = answer(people.learner, iri) | {"id": first["id"]}
    response = learner_client.post("/xapi/statements", again, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "id_conflict"
    assert progress_of(people, tree) == before and before[2] == 0
    assert Statement.objects.get().activity_result is None
    # the same answer under a new id is recorded, and sending that one again changes nothing
    fresh = answer(people.learner, iri)
    assert learner_client.post("/xapi/statements", fresh, format="json").status_code == 200
    recorded = progress_of(people, tree)
    assert recorded[2] == 1 and recorded[0] > before[0]
    response = learner_client.post("/xapi/statements", fresh, format="json")
    assert response.status_code == 200 and response.json() == [fresh["id"]]
    assert progress_of(people, tree) == recorded and Statement.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_client_answer_for_a_learner_not_enrolled_is_stored_without_progress(people, tree, settings):
    """An LRS client may write about any actor: an answer by a site learner who is not enrolled is stored
    as any LRS stores it, and moves no progress."""
    from lms.statements.clients import create_lrs_client

    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    client, secret = create_lrs_client(name="Vendor LMS", scopes=["statements/write"])
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode(),
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )
    body = answer(people.learner, check_iri(tree.lessons[0]))
    response = api.post("/xapi/statements", body, format="json")
    assert response.status_code == 200, response.content
    stored = Statement.objects.get(statement_id=body["id"])
    assert stored.user == people.learner and stored.activity_result is None
    assert not ActivityResult.objects.exists() and not Enrolment.objects.filter(user=people.learner).exists()
    assert stored.payload["authority"]["account"]["name"] == f"lrs-client:{client.key}"
