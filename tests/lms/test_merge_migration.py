"""The data migration that makes a course one thing across languages, on a database built by the old
migrations: a learner enrolled in both the English and the Bengali copy keeps one enrolment, the
furthest progress and every record, and their certificate follows."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lms.models import ActivityResult, ActivityScore, Assignment, Enrolment, LessonProgress, Notice
from tests.factories import UserFactory, translate_tree

from .factories import organisation

BEFORE = [("lms", "0005_h5p_saved_state"), ("certification", "0002_wallet_exchange")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_duplicate_enrolments_in_two_languages_merge_into_the_furthest(tree):
    from tests.conftest import Tree  # noqa: F401 (the tree fixture built the English course)

    bengali = translate_tree(tree, "bn")
    bn_course, bn_lessons = bengali[tree.course.pk], [bengali[lesson.pk] for lesson in tree.lessons]
    learner = UserFactory(username="both-languages")
    other = UserFactory(username="bengali-only")
    unit = organisation("Ministry of Posts")
    old = _migrate(BEFORE)
    OldEnrolment = old.get_model("lms", "Enrolment")
    OldLessonProgress = old.get_model("lms", "LessonProgress")
    OldResult = old.get_model("lms", "ActivityResult")
    OldScore = old.get_model("lms", "ActivityScore")
    OldAssignment = old.get_model("lms", "Assignment")
    OldNotice = old.get_model("lms", "Notice")
    now = timezone.now()
    due = timezone.localdate() + timedelta(days=10)

    en_assignment = OldAssignment.objects.create(organisation_id=unit.pk, course_id=tree.course.pk, due_on=due)
    bn_assignment = OldAssignment.objects.create(
        organisation_id=unit.pk, course_id=bn_course.pk, due_on=due + timedelta(days=5)
    )
    english = OldEnrolment.objects.create(
        user_id=learner.pk, course_id=tree.course.pk, status="in_progress", progress_percent=33, started_at=now,
        assignment_id=en_assignment.pk, last_lesson_id=tree.lessons[0].pk, due_on=due,
    )  # fmt: skip
    bangla = OldEnrolment.objects.create(
        user_id=learner.pk, course_id=bn_course.pk, status="in_progress", progress_percent=66,
        started_at=now - timedelta(days=2), assignment_id=bn_assignment.pk, last_lesson_id=bn_lessons[1].pk,
        due_on=due + timedelta(days=5),
    )  # fmt: skip
    alone = OldEnrolment.objects.create(user_id=other.pk, course_id=bn_course.pk, last_lesson_id=bn_lessons[0].pk)

    def block(lesson):
        return next(b.id for b in lesson.body if b.block_type == "knowledge_check")

    OldLessonProgress.objects.create(enrolment_id=english.pk, lesson_id=tree.lessons[0].pk, completed_at=now)
    for index in (0, 1):  # the Bengali copy's first lesson was done in both languages
        OldLessonProgress.objects.create(
            enrolment_id=bangla.pk, lesson_id=bn_lessons[index].pk, completed_at=now - timedelta(days=1)
        )
    for enrolment, lesson, scaled, event in (
        (english, tree.lessons[0], "0.5", "same-event"),
        (bangla, bn_lessons[0], "1", "same-event"),
        (bangla, bn_lessons[1], "1", str(uuid.uuid4())),
    ):
        OldResult.objects.create(
            enrolment_id=enrolment.pk, lesson_id=lesson.pk, block_id=block(lesson), activity_iri="x", event_id=event,
            score_scaled=scaled,
        )  # fmt: skip
        OldScore.objects.create(
            enrolment_id=enrolment.pk, lesson_id=lesson.pk, block_id=block(lesson), score_scaled=scaled, attempts=1
        )
    OldIssuer = old.get_model("certification", "IssuerProfile")
    OldStatusList = old.get_model("certification", "StatusList")
    OldCertificate = old.get_model("certification", "Certificate")
    issuer = OldIssuer.objects.create(name="Site", slug="site", url="https://example.gov.bd", is_default=True)
    status_list = OldStatusList.objects.create(issuer=issuer, bits=b"\0" * 16, offset=0, stride=1)
    certificate = OldCertificate.objects.create(
        enrolment_id=english.pk, user_id=learner.pk, course_id=tree.course.pk, issuer=issuer, recipient_name="A",
        course_title=tree.course.title, language="en", completed_at=now, issued_at=now, verification_method="x",
        credential="{}", status_list=status_list, status_index=0,
    )  # fmt: skip
    bn_certificate = OldCertificate.objects.create(
        enrolment_id=bangla.pk, user_id=learner.pk, course_id=bn_course.pk, issuer=issuer, recipient_name="A",
        course_title=bn_course.title, language="bn", completed_at=now, issued_at=now, verification_method="x",
        credential="{}", status_list=status_list, status_index=1,
    )  # fmt: skip
    OldNotice.objects.create(enrolment_id=english.pk, kind="reminder")
    OldNotice.objects.create(enrolment_id=bangla.pk, kind="reminder")
    OldNotice.objects.create(enrolment_id=bangla.pk, kind="overdue")

    _migrate(_latest())

    merged = Enrolment.objects.get(user=learner)
    assert merged.pk == bangla.pk  # the one that got furthest
    assert merged.course_id == tree.course.pk
    assert merged.progress_percent == 66 and merged.started_at == now - timedelta(days=2)
    assert merged.last_lesson_id == tree.lessons[1].pk and merged.language == "bn"
    assert merged.due_on == due  # the earliest due date
    lessons = dict(LessonProgress.objects.filter(enrolment=merged).values_list("lesson_id", "completed_at"))
    assert set(lessons) == {tree.lessons[0].pk, tree.lessons[1].pk}
    assert lessons[tree.lessons[0].pk] == now - timedelta(days=1)  # the earliest completion
    results = list(ActivityResult.objects.filter(enrolment=merged).order_by("pk"))
    assert len(results) == 3  # every attempt kept, the clashing event id with a suffix
    assert len({result.event_id for result in results}) == 3
    assert {result.lesson_id for result in results} == {tree.lessons[0].pk, tree.lessons[1].pk}
    scores = {score.lesson_id: score for score in ActivityScore.objects.filter(enrolment=merged)}
    assert str(scores[tree.lessons[0].pk].score_scaled) == "1.0000" and scores[tree.lessons[0].pk].attempts == 2
    assert sorted(Notice.objects.filter(enrolment=merged).values_list("kind", flat=True)) == ["overdue", "reminder"]
    assert Assignment.objects.count() == 1 and Assignment.objects.get().course_id == tree.course.pk
    assert merged.assignment_id == Assignment.objects.get().pk

    from certification.models import Certificate

    kept = {c.pk: c for c in Certificate.objects.all()}
    assert {c.enrolment_id for c in kept.values()} == {merged.pk}  # both certificates kept, none revoked
    assert {c.course_id for c in kept.values()} == {tree.course.pk}
    assert kept[bn_certificate.pk].generation == 1 and kept[certificate.pk].generation == 2
    assert not any(c.revoked_at for c in kept.values())

    single = Enrolment.objects.get(user=other)
    assert single.pk == alone.pk and single.course_id == tree.course.pk
    assert single.last_lesson_id == tree.lessons[0].pk and single.language == "bn"
    assert Enrolment.objects.count() == 2
