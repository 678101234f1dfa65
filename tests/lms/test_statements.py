"""The statement endpoint, from the outside: what the H5P player and the lesson pages post."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from courses.activities import site_origin
from lms.models import ActivityResult, Enrolment, Statement
from tests.factories import LessonPageFactory, UserFactory

from .conftest import check_iri

URL = "/learning/statements/"


def statement(user, iri, **overrides):
    data = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": site_origin(), "name": user.username}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"objectType": "Activity", "id": iri},
        "result": {"score": {"raw": 1, "min": 0, "max": 1, "scaled": 1}, "success": True, "completion": True},
    }
    data.update(overrides)
    return data


def post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def signed_in(learner, enrolment):
    client = Client()
    client.force_login(learner)
    return client


def test_url_name():
    assert reverse("lms:statements") == URL


def test_posting_the_same_statement_twice_stores_one(tree, learner, signed_in):
    body = statement(learner, check_iri(tree.lessons[0]))
    first = post(signed_in, body)
    assert first.status_code == 201
    assert first.json()["id"] == body["id"] and first.json()["created"] is True
    assert first.json()["activity"]["attempts"] == 1  # what the page shows as "your result so far"
    again = post(signed_in, body)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert Statement.objects.count() == 1
    assert ActivityResult.objects.count() == 1
    assert Enrolment.objects.get().progress_percent == 33


def test_mbox_actor_and_a_list(tree, learner, signed_in):
    mbox = {"mbox": f"mailto:{learner.email}"}
    bodies = [statement(learner, check_iri(lesson), actor=mbox) for lesson in tree.lessons[:2]]
    response = post(signed_in, bodies)
    assert response.status_code == 201
    assert response.json()["ids"] == [body["id"] for body in bodies]
    assert ActivityResult.objects.count() == 2


def test_a_list_is_all_or_nothing(tree, learner, signed_in):
    good = statement(learner, check_iri(tree.lessons[0]))
    bad = statement(learner, check_iri(tree.lessons[1]), verb={"id": "not an iri"})
    response = post(signed_in, [good, bad])
    assert response.status_code == 400
    assert response.json()["field"] == "verb.id"
    assert Statement.objects.count() == 0
    assert ActivityResult.objects.count() == 0


def test_another_learners_actor_is_forbidden(tree, learner, signed_in):
    other = UserFactory()
    response = post(signed_in, statement(other, check_iri(tree.lessons[0])))
    assert response.status_code == 403
    assert response.json()["code"] == "actor_mismatch"
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"verb": {}}, "verb.id"),
        ({"object": {"id": 42}}, "object.id"),
        ({"result": {"score": {"scaled": 1.5}}}, "result.score.scaled"),
        ({"result": {"score": {"raw": 7, "min": 0, "max": 5}}}, "result.score.raw"),
        ({"result": {"score": {"min": 5, "max": 5}}}, "result.score.min"),
        ({"result": {"success": "yes"}}, "result.success"),
        ({"result": {"duration": "ten minutes"}}, "result.duration"),
    ],
)
def test_bad_statements_get_a_specific_400(tree, learner, signed_in, change, field):
    response = post(signed_in, statement(learner, check_iri(tree.lessons[0]), **change))
    assert response.status_code == 400
    error = response.json()
    assert error["field"] == field
    assert error["code"] and error["message"]
    assert Statement.objects.count() == 0


def test_missing_actor_and_bad_json(tree, learner, signed_in):
    body = statement(learner, check_iri(tree.lessons[0]))
    del body["actor"]
    assert post(signed_in, body).json()["code"] == "missing_actor"
    response = signed_in.post(URL, data="{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_unpublished_or_unknown_activity_is_404(tree, learner, signed_in):
    draft = LessonPageFactory(parent=tree.module, live=False)
    assert post(signed_in, statement(learner, check_iri(draft))).status_code == 404
    unknown = f"{site_origin()}/activities/{tree.lessons[0].pk}/{uuid.uuid4()}"
    response = post(signed_in, statement(learner, unknown))
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_activity"


def test_not_enrolled_learner_gets_a_clear_refusal(tree):
    stranger = UserFactory()
    client = Client()
    client.force_login(stranger)
    response = post(client, statement(stranger, check_iri(tree.lessons[0])))
    assert response.status_code == 403
    assert response.json()["code"] == "not_enrolled"
    assert Statement.objects.count() == 0


def test_reusing_another_learners_statement_id_conflicts(tree, learner, signed_in):
    body = statement(learner, check_iri(tree.lessons[0]))
    post(signed_in, body)
    other = UserFactory()
    Enrolment.objects.create(user=other, course=tree.course)
    client = Client()
    client.force_login(other)
    response = post(client, statement(other, check_iri(tree.lessons[0]), id=body["id"]))
    assert response.status_code == 409
    assert Statement.objects.count() == 1


def test_sub_content_statements_are_stored_without_a_result(tree, learner, signed_in):
    part = check_iri(tree.lessons[0]) + "?subContentId=abc"
    assert post(signed_in, statement(learner, part)).status_code == 201
    assert Statement.objects.count() == 1
    assert ActivityResult.objects.count() == 0


def test_anonymous_and_get_are_refused(tree, learner):
    client = Client()
    response = post(client, statement(learner, check_iri(tree.lessons[0])))
    assert response.status_code == 403
    assert response.json()["code"] == "not_signed_in"
    assert client.get(URL).status_code == 405


def test_csrf_is_enforced(tree, learner, enrolment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = post(client, statement(learner, check_iri(tree.lessons[0])))
    assert response.status_code == 403
    assert Statement.objects.count() == 0


def test_the_knowledge_check_form_records_an_enrolled_learners_answer(tree, learner, signed_in):
    lesson = tree.lessons[0]
    block = next(block for block in lesson.body if block.block_type == "knowledge_check")
    url = lesson.get_url() + f"check/{block.id}/"
    response = signed_in.post(url, {"choice": "1"})
    assert response.status_code == 200
    result = ActivityResult.objects.get()
    assert result.success is True
    enrolment = Enrolment.objects.get()
    assert enrolment.progress_percent == 33
    assert signed_in.post(url, {"choice": ""}).status_code == 400  # no answer chosen: nothing recorded
    assert ActivityResult.objects.count() == 1


def test_the_knowledge_check_form_records_nothing_outside_an_enrolment(tree):
    stranger = UserFactory()
    client = Client()
    client.force_login(stranger)
    lesson = tree.lessons[0]
    block = next(block for block in lesson.body if block.block_type == "knowledge_check")
    assert client.post(lesson.get_url() + f"check/{block.id}/", {"choice": "1"}).status_code == 200
    assert ActivityResult.objects.count() == 0


def test_opening_a_lesson_records_where_the_learner_left_off(tree, learner, signed_in):
    assert signed_in.get(tree.lessons[2].get_url()).status_code == 200
    assert Enrolment.objects.get().last_lesson_id == tree.lessons[2].pk
