"""Concurrent posts of one statement id (a player retrying, two tabs) answer as the first did: one
201, the rest 200 with the same id, one statement stored, never a 500. On PostgreSQL, where
concurrent transactions really race (SQLite serialises them)."""

import json
import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client

from courses.activities import site_origin
from lms.models import ActivityResult, Enrolment, Statement
from tests.factories import UserFactory

from .conftest import check_iri

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_statement_id_answer_as_the_first_did(tree):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: run with DATABASE_URL=postgres://…")
    learner = UserFactory(username="racer")
    Enrolment.objects.create(user=learner, course=tree.course)
    body = json.dumps(
        {
            "id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "account": {"homePage": site_origin(), "name": learner.username}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"objectType": "Activity", "id": check_iri(tree.lessons[0])},
            "result": {"score": {"raw": 1, "min": 0, "max": 1, "scaled": 1}, "success": True, "completion": True},
        }
    )
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(learner)
        clients.append(client)
    start, answers = threading.Barrier(THREADS), []

    def post(client: Client) -> None:
        try:
            start.wait()
            response = client.post("/learning/statements/", data=body, content_type="application/json")
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _id in answers)
    assert len(answers) == THREADS and statuses.count(201) == 1 and statuses.count(200) == THREADS - 1, statuses
    assert {answer_id for _status, answer_id in answers} == {json.loads(body)["id"]}
    assert Statement.objects.count() == 1 and ActivityResult.objects.count() == 1
