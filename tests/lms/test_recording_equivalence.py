"""On PostgreSQL a result is recorded by a database function (migration lms.0002); elsewhere by the ORM.

Both must leave exactly the same rows. These tests replay the same sequences of events through each,
for two learners in the same course, and compare everything the completion rule depends on after
every event: the result rows, the counting scores, lesson completion, the enrolment's percent,
score, status and last lesson, and how often ``course_completed`` was sent.
"""

import random
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from courses.activities import activity_iri
from lms.errors import NotEnrolled
from lms.models import ActivityResult, ActivityScore, Enrolment, LessonProgress
from lms.progress.recording import _record_in_postgresql, _record_with_orm
from lms.progress.structure import published_activity
from lms.signals import course_completed
from tests.factories import LessonPageFactory, UserFactory, knowledge_check

from .conftest import check_iri

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database function exists on PostgreSQL only"
)


def state(enrolment: Enrolment) -> dict:
    enrolment.refresh_from_db()
    return {
        "enrolment": (
            enrolment.progress_percent,
            enrolment.score_scaled,
            enrolment.status,
            enrolment.last_lesson_id,
            enrolment.started_at is not None,
            enrolment.completed_at is not None,
        ),
        "scores": sorted(
            ActivityScore.objects.filter(enrolment=enrolment).values_list(
                "block_id", "score_scaled", "success", "attempts"
            )
        ),
        "lessons": sorted(
            (lesson_id, done is not None)
            for lesson_id, done in LessonProgress.objects.filter(enrolment=enrolment).values_list(
                "lesson_id", "completed_at"
            )
        ),
        "results": sorted(
            ActivityResult.objects.filter(enrolment=enrolment).values_list(
                "event_id",
                "block_id",
                "score_raw",
                "score_max",
                "score_scaled",
                "success",
                "completion",
                "duration",
                "response",
            )
        ),
    }


def fields_for(iri: str, rng: random.Random, events: list[str]) -> dict:
    if events and rng.random() < 0.2:
        event_id = rng.choice(events)  # the same event again: nothing may change
    else:
        event_id = str(uuid.uuid4())
        events.append(event_id)
    scaled = rng.choice([None, Decimal("-0.5"), Decimal("0"), Decimal("0.3333"), Decimal("0.5"), Decimal("1")])
    return {
        "activity_iri": iri,
        "event_id": event_id,
        "score_raw": None if scaled is None else scaled * 3,
        "score_max": None if scaled is None else Decimal(3),
        "score_scaled": scaled,
        "success": None if scaled is None else scaled >= Decimal("0.5"),
        "completion": rng.choice([None, True, False]),
        "duration": None,
        "response": rng.choice(["", "B", "the second answer"]),
    }


@pytest.mark.parametrize(
    ("policy", "passing_score", "seed"),
    [("best", None, 1), ("best", 60, 2), ("latest", 60, 3), ("latest", None, 4), ("best", 100, 5)],
)
def test_the_database_function_leaves_the_same_rows_as_the_orm(
    tree, policy, passing_score, seed, django_capture_on_commit_callbacks
):
    capture_on_commit = django_capture_on_commit_callbacks
    course = tree.course
    course.score_policy = policy
    course.passing_score = passing_score
    course.save()
    # a lesson with two activities, completed only when both have been attempted, and an optional one
    LessonPageFactory(
        parent=tree.module,
        body=[knowledge_check(), knowledge_check()],
    )
    LessonPageFactory(parent=tree.module, required=False)
    lessons = list(type(tree.lessons[0]).objects.child_of(tree.module).live().order_by("path"))
    iris = [
        activity_iri(lesson_id=lesson.pk, block_id=block.id)
        for lesson in lessons
        for block in lesson.body
        if block.block_type == "knowledge_check"
    ]
    orm_user, sql_user = UserFactory(), UserFactory()
    orm_enrolment = Enrolment.objects.create(user=orm_user, course=course)
    sql_enrolment = Enrolment.objects.create(user=sql_user, course=course)
    sent = {orm_enrolment.pk: 0, sql_enrolment.pk: 0}

    def listener(sender, enrolment, **kwargs):
        sent[enrolment.pk] += 1

    course_completed.connect(listener)
    rng = random.Random(seed)
    events = []
    try:
        for _step in range(60):
            iri = rng.choice(iris)
            activity = published_activity(iri)
            fields = fields_for(iri, rng, events)
            with capture_on_commit(execute=True):
                orm_result = _record_with_orm(user=orm_user, activity=activity, fields=dict(fields))
            with capture_on_commit(execute=True):
                sql_result = _record_in_postgresql(user=sql_user, activity=activity, fields=dict(fields))
            assert (orm_result.event_id, orm_result.score_scaled) == (sql_result.event_id, sql_result.score_scaled)
            orm_state, sql_state = state(orm_enrolment), state(sql_enrolment)
            assert orm_state == sql_state
    finally:
        course_completed.disconnect(listener)
    assert sent[orm_enrolment.pk] == sent[sql_enrolment.pk] <= 1
    assert orm_state["enrolment"][0] == 100  # the sequences are long enough to finish every lesson


def test_the_database_function_refuses_a_learner_who_is_not_enrolled(tree):
    stranger = UserFactory()
    activity = published_activity(check_iri(tree.lessons[0]))
    fields = {
        "activity_iri": check_iri(tree.lessons[0]),
        "event_id": "e-1",
        "score_raw": None,
        "score_max": None,
        "score_scaled": Decimal(1),
        "success": True,
        "completion": True,
        "duration": None,
        "response": "B",
    }
    with pytest.raises(NotEnrolled):
        _record_in_postgresql(user=stranger, activity=activity, fields=fields)
    assert not ActivityResult.objects.exists()
    assert not ActivityScore.objects.exists()
    assert not LessonProgress.objects.exists()
