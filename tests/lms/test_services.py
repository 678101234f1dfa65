"""Learning records through the services: progress, idempotency, completion rule and refusals."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.errors import EnrolmentRefused, InvalidStatement, LearningError, NotEnrolled, UnknownActivity
from lms.models import ActivityResult, Enrolment, EnrolmentSource, EnrolmentStatus, LessonProgress
from lms.progress.lessons import record_lesson_visit
from lms.services import complete_lesson, enrol, record_activity_result
from lms.signals import course_completed
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, UserFactory

from .conftest import check_iri


@pytest.fixture
def completions():
    received = []

    def listener(sender, enrolment, **kwargs):
        received.append((sender, enrolment.pk))

    course_completed.connect(listener)
    yield received
    course_completed.disconnect(listener)


def answer(user, lesson, *, scaled, event_id=None):
    return record_activity_result(
        user=user, activity_iri=check_iri(lesson), event_id=event_id or str(uuid.uuid4()), score_scaled=scaled
    )


def test_a_result_updates_stored_progress_in_the_same_call(tree, learner, enrolment):
    result = answer(learner, tree.lessons[0], scaled=1)
    enrolment.refresh_from_db()
    assert result.score_scaled == Decimal("1.0000")
    assert enrolment.progress_percent == 33
    assert enrolment.status == EnrolmentStatus.IN_PROGRESS
    assert enrolment.last_lesson_id == tree.lessons[0].pk
    assert enrolment.score_scaled == Decimal("0.3333")  # one of three activities answered, fully right
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=tree.lessons[0]).completed_at is not None


def test_the_same_event_twice_is_one_record(tree, learner, enrolment):
    first = answer(learner, tree.lessons[0], scaled=1, event_id="evt-1")
    again = answer(learner, tree.lessons[0], scaled=0, event_id="evt-1")
    assert first.pk == again.pk
    assert ActivityResult.objects.count() == 1
    enrolment.refresh_from_db()
    assert enrolment.score_scaled == Decimal("0.3333")


def test_raw_and_max_give_the_scaled_score(tree, learner, enrolment):
    result = record_activity_result(
        user=learner, activity_iri=check_iri(tree.lessons[0]), event_id="e", score_raw=3, score_max=4
    )
    assert result.score_scaled == Decimal("0.7500")


def test_not_enrolled_is_refused_and_changes_nothing(tree, learner):
    with pytest.raises(NotEnrolled) as refused:
        answer(learner, tree.lessons[0], scaled=1)
    assert "Enrol" in refused.value.message
    assert ActivityResult.objects.count() == 0
    assert LessonProgress.objects.count() == 0


def test_unpublished_lesson_is_refused(tree, learner, enrolment):
    draft = LessonPageFactory(parent=tree.module, live=False)
    with pytest.raises(UnknownActivity):
        answer(learner, draft, scaled=1)
    assert ActivityResult.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"score_scaled": 2}, "score_scaled"),
        ({"score_raw": 5, "score_max": 4}, "score_raw"),
        ({"score_raw": 1, "score_max": 0}, "score_max"),
        ({"score_scaled": "lots"}, "score_scaled"),
    ],
)
def test_out_of_range_scores_are_refused(tree, learner, enrolment, kwargs, field):
    with pytest.raises(InvalidStatement) as refused:
        record_activity_result(user=learner, activity_iri=check_iri(tree.lessons[0]), event_id="e", **kwargs)
    assert refused.value.field == field
    assert ActivityResult.objects.count() == 0


def test_completing_every_lesson_completes_the_course_and_signals_once(
    tree, learner, enrolment, completions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in tree.lessons:
            answer(learner, lesson, scaled=1)
        answer(learner, tree.lessons[0], scaled=1)  # another attempt after completion
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.progress_percent == 100
    assert enrolment.completed_at is not None
    assert completions == [(Enrolment, enrolment.pk)]


def test_no_signal_before_commit(tree, learner, enrolment, completions, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for lesson in tree.lessons:
            answer(learner, lesson, scaled=1)
    assert completions == []
    assert len(callbacks) == 1


def test_passing_score_with_best_attempt(tree, learner, enrolment):
    tree.course.passing_score = 80
    tree.course.save_revision().publish()
    for lesson in tree.lessons:
        answer(learner, lesson, scaled=0)
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 100
    assert enrolment.status == EnrolmentStatus.IN_PROGRESS  # lessons done, score too low
    for lesson in tree.lessons:
        answer(learner, lesson, scaled=1)
    answer(learner, tree.lessons[0], scaled=0)  # a worse later attempt does not count under "best"
    enrolment.refresh_from_db()
    assert enrolment.score_scaled == Decimal("1.0000")
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_latest_attempt_policy(tree, learner, enrolment):
    tree.course.passing_score = 80
    tree.course.score_policy = "latest"
    tree.course.save_revision().publish()
    answer(learner, tree.lessons[0], scaled=1)
    answer(learner, tree.lessons[0], scaled=Decimal("0.5"))
    enrolment.refresh_from_db()
    assert enrolment.score_scaled == Decimal("0.1667")


def test_optional_lessons_do_not_count(learner, tree):
    LessonPageFactory(parent=tree.module, required=False)
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    for lesson in tree.lessons:
        answer(learner, lesson, scaled=1)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_mark_complete_for_lessons_without_activities(tree, learner):
    plain = LessonPageFactory(
        parent=tree.module, body=[{"type": "paragraph", "id": str(uuid.uuid4()), "value": "<p>Read me.</p>"}]
    )
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    complete_lesson(user=learner, lesson=plain)
    complete_lesson(user=learner, lesson=plain)
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 25
    with pytest.raises(LearningError) as refused:
        complete_lesson(user=learner, lesson=tree.lessons[0])
    assert refused.value.code == "lesson_has_activities"


def test_visit_is_only_recorded_within_an_enrolment(tree, learner):
    assert record_lesson_visit(user=learner, lesson=tree.lessons[1]) is None
    assert LessonProgress.objects.count() == 0
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    record_lesson_visit(user=learner, lesson=tree.lessons[1])
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == tree.lessons[1].pk
    assert enrolment.status == EnrolmentStatus.IN_PROGRESS


def test_enrolling_twice_is_refused(tree, learner):
    enrol(user=learner, course=tree.course)
    with pytest.raises(EnrolmentRefused) as refused:
        enrol(user=learner, course=tree.course)
    assert refused.value.code == "already_enrolled"
    assert Enrolment.objects.count() == 1


def test_prerequisites_are_enforced(tree, learner):
    advanced = CoursePageFactory(parent=tree.catalogue, title="Advanced service design")
    ModulePageFactory(parent=advanced)
    advanced.prerequisites.add(tree.course)
    advanced.save_revision().publish()
    with pytest.raises(EnrolmentRefused) as refused:
        enrol(user=learner, course=advanced)
    assert tree.course.title in refused.value.message
    Enrolment.objects.create(user=learner, course=tree.course, status=EnrolmentStatus.COMPLETED)
    assert enrol(user=learner, course=advanced).course_id == advanced.pk


def test_refusals_speak_to_whoever_asked_for_the_enrolment(tree, learner):
    learner.first_name, learner.last_name = "Amina", "Begum"
    advanced = CoursePageFactory(parent=tree.catalogue, title="Advanced service design")
    ModulePageFactory(parent=advanced)
    advanced.prerequisites.add(tree.course)
    advanced.save_revision().publish()
    refusals = {}
    for source in (EnrolmentSource.SELF, EnrolmentSource.ADMIN):
        with pytest.raises(EnrolmentRefused) as refused:
            enrol(user=learner, course=advanced, source=source)
        refusals[source] = refused.value.message
    assert refusals == {
        EnrolmentSource.SELF: f"Complete these courses first: {tree.course.title}.",
        EnrolmentSource.ADMIN: f"Amina Begum has not completed the prerequisite courses yet: {tree.course.title}.",
    }
    due = timezone.localdate() + timedelta(days=9)
    assert enrol(user=learner, course=tree.course, source=EnrolmentSource.ADMIN, due_on=due).due_on == due
    for source, message in (
        (EnrolmentSource.SELF, "You are already enrolled in this course."),
        (EnrolmentSource.ADMIN, "Amina Begum is already enrolled in this course."),
    ):
        with pytest.raises(EnrolmentRefused) as refused:
            enrol(user=learner, course=tree.course, source=source)
        assert (refused.value.code, refused.value.message) == ("already_enrolled", message)


def test_one_learner_cannot_record_for_another(tree, learner, enrolment):
    other = UserFactory()
    with pytest.raises(NotEnrolled):
        answer(other, tree.lessons[0], scaled=1)
    assert ActivityResult.objects.count() == 0


def test_unpublishing_a_lesson_after_results_were_recorded_refuses_new_ones(tree, learner, enrolment):
    answer(learner, tree.lessons[0], scaled=1)  # the course structure is now cached
    tree.lessons[0].unpublish()
    with pytest.raises(UnknownActivity):
        answer(learner, tree.lessons[0], scaled=1)
    answer(learner, tree.lessons[1], scaled=1)
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 50  # one of the two lessons still published


def test_recording_costs_a_fixed_number_of_queries(tree, learner, enrolment, django_assert_max_num_queries):
    """On PostgreSQL one call of the database function (lms.0002); elsewhere the ORM's queries."""
    from django.db import connection

    from lms.progress.structure import published_activity

    answer(learner, tree.lessons[0], scaled=1)
    published_activity(check_iri(tree.lessons[1]))  # the first lookup of a lesson is cached after
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 12):
        answer(learner, tree.lessons[0], scaled=0)
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 12):
        answer(learner, tree.lessons[1], scaled=1)  # a first result for another lesson completes that lesson
