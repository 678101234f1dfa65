"""What the offline outbox sends again is recorded once (docs/offline.md): a knowledge-check answer
carries its own event id, "mark as complete" answers in JSON and is the same done twice, and "Save
for offline" fetching a lesson is not a visit."""

import uuid

import pytest

from lms.models import ActivityResult, Enrolment, LessonProgress
from tests.factories import LessonPageFactory, UserFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def check_url(lesson) -> str:
    block = next(block for block in lesson.body if block.block_type == "knowledge_check")
    return f"{lesson.url}check/{block.id}/"


@pytest.fixture
def signed_in(client, enrolment):
    client.force_login(enrolment.user)
    return client


def test_an_answer_sent_twice_with_its_event_id_is_recorded_once(tree, signed_in, enrolment):
    event_id = str(uuid.uuid4())
    for _ in range(2):
        response = signed_in.post(check_url(tree.lessons[0]), {"choice": "1", "event_id": event_id}, **JSON)
        assert response.status_code == 200 and response.json() == {"correct": True}
    results = ActivityResult.objects.filter(enrolment=enrolment)
    assert list(results.values_list("event_id", flat=True)) == [event_id]


def test_an_event_id_that_is_not_a_uuid_is_ignored_and_each_answer_counts(tree, signed_in, enrolment):
    for _ in range(2):
        signed_in.post(check_url(tree.lessons[0]), {"choice": "0", "event_id": "x; DROP TABLE"})
    assert ActivityResult.objects.filter(enrolment=enrolment).count() == 2


def test_a_refused_answer_is_named_in_json(tree, signed_in, enrolment):
    response = signed_in.post(check_url(tree.lessons[0]), {"choice": "7"}, **JSON)
    assert response.status_code == 400 and response.json()["field"] == "choice"
    missing = signed_in.post(f"{tree.lessons[0].url}check/no-such-block/", {"choice": "1"}, **JSON)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert not ActivityResult.objects.exists()


def test_mark_as_complete_answers_json_and_is_the_same_done_twice(tree, client):
    lesson = LessonPageFactory(parent=tree.module, body=[])
    learner = UserFactory(username="rahim")
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    url = f"/en/learning/lessons/{lesson.pk}/complete/"
    anonymous = client.post(url, **JSON)
    assert anonymous.status_code == 403 and anonymous.json()["code"] == "not_signed_in"
    client.force_login(learner)
    for _ in range(2):
        response = client.post(url, **JSON)
        assert response.status_code == 200 and response.json()["completed"] is True
    assert LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).count() == 1
    with_questions = client.post(f"/en/learning/lessons/{tree.lessons[0].pk}/complete/", **JSON)
    assert with_questions.status_code >= 400 and with_questions.json()["code"] == "lesson_has_activities"
    lesson.unpublish()
    assert client.post(url, **JSON).status_code == 404


def test_saving_a_lesson_for_offline_is_not_reading_it(tree, signed_in, enrolment):
    signed_in.get(tree.lessons[1].url, HTTP_X_LEARNING_OFFLINE_SAVE="1")
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id is None and enrolment.started_at is None
    signed_in.get(tree.lessons[1].url)
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == tree.lessons[1].pk
