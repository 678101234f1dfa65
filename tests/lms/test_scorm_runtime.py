"""The SCORM runtime's data: per learner, SCO and attempt, resumed where they stopped; CMI values checked
with SCORM's error codes; another learner's attempt a 404; a commit costs the same queries whatever the
size of its data; completion, success and score reach progress through the recording rule, so the
course completes; export and erasure cover it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.scorm.services import import_package
from lms.accounts.services import erase_learner, learner_data
from lms.models import ActivityResult, ActivityScore, Enrolment, ScormAttempt
from tests.factories import LessonPageFactory, UserFactory
from tests.h5p_packages import media_folder  # noqa: F401  (the media fixture)
from tests.scorm_packages import package_files, scorm_block, write_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(tree, media, settings):
    """A course whose only required lesson places a one-SCO SCORM 1.2 package; an enrolled learner."""
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    for lesson in tree.lessons:
        lesson.required = False
        lesson.save_revision().publish()
    package = import_package(write_package(media.parent, package_files()), name="p.zip")
    lesson = LessonPageFactory(parent=tree.module, body=[scorm_block(package)])
    learner = UserFactory(username="rina", first_name="Rina", last_name="Das")
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    return lesson, package, learner, enrolment


def launch(client, lesson, sco="sco_1"):
    url = f"/learning/scorm/{lesson.pk}/{lesson.body[0].id}/launch/"
    return client.post(url, json.dumps({"sco": sco}), content_type="application/json")


def commit(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_learner_is_resumed_where_they_stopped(client, placed):
    lesson, _package, learner, enrolment = placed
    client.force_login(learner)
    first = launch(client, lesson).json()
    assert first["version"] == "1.2" and first["attempt"] == 1
    assert first["data"]["cmi.core.entry"] == "ab-initio"
    assert first["data"]["cmi.core.student_name"] == "Das, Rina"
    stop = {
        "cmi.core.lesson_location": "page-3",
        "cmi.suspend_data": "seen=1,2,3",
        "cmi.core.lesson_status": "incomplete",
        "cmi.core.exit": "suspend",
        "cmi.core.session_time": "0000:02:30.00",
        "cmi.interactions.0.id": "q1",
        "cmi.interactions.0.student_response": "a",
    }
    assert commit(client, first["commitUrl"], stop).json() == {"result": True, "errorCode": 0}
    again = launch(client, lesson).json()
    assert again["attempt"] == 1
    assert again["data"]["cmi.core.entry"] == "resume"
    assert again["data"]["cmi.core.lesson_location"] == "page-3"
    assert again["data"]["cmi.suspend_data"] == "seen=1,2,3"
    assert again["data"]["cmi.core.total_time"] == "0000:02:30.00"
    commit(client, again["commitUrl"], {"cmi.core.session_time": "0000:01:00.00"})
    attempt = ScormAttempt.objects.get(enrolment=enrolment)
    assert attempt.total_seconds == 210 and attempt.cmi["cmi.interactions.0.id"] == "q1"
    assert not ActivityResult.objects.exists(), "an unfinished SCO records nothing"


def test_finishing_the_sco_completes_the_lesson_and_the_course_through_the_recording_rule(client, placed):
    lesson, _package, learner, enrolment = placed
    client.force_login(learner)
    started = launch(client, lesson).json()
    done = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "80", "cmi.core.score.max": "100"}
    assert commit(client, started["commitUrl"], done).status_code == 200
    assert commit(client, started["commitUrl"], done).status_code == 200  # the same result, recorded once
    result = ActivityResult.objects.get()
    assert (result.success, result.completion, str(result.score_scaled)) == (True, True, "0.8000")
    assert ActivityScore.objects.get().attempts == 1
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.progress_percent == 100
    # a finished, not suspended attempt: the next launch starts attempt 2 with fresh data
    assert launch(client, lesson).json()["attempt"] == 2


@pytest.mark.parametrize(
    "version,data,code",
    [
        ("1.2", {"cmi.core.lesson_status": "done"}, 405),
        ("1.2", {"cmi.core.score.raw": "120"}, 405),
        ("1.2", {"cmi.core.score.raw": "lots"}, 405),
        ("1.2", {"cmi.core.session_time": "2 minutes"}, 405),
        ("1.2", {"cmi.core.lesson_location": "x" * 256}, 405),
        ("2004", {"cmi.completion_status": "passed"}, 406),
        ("2004", {"cmi.score.scaled": "1.5"}, 407),
        ("2004", {"cmi.score.scaled": "high"}, 406),
        ("2004", {"cmi.session_time": "00:01:00"}, 406),
        ("2004", {"cmi.success_status": ["passed"]}, 406),
        ("2004", {"cmi.location": "x" * 1001}, 407),
    ],
)
def test_values_out_of_range_or_of_the_wrong_type_are_refused_with_the_scorm_error_code(
    client, tree, media, settings, version, data, code
):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    package = import_package(write_package(media.parent, package_files(version=version)), name="p.zip")
    lesson = LessonPageFactory(parent=tree.module, body=[scorm_block(package)])
    learner = UserFactory()
    Enrolment.objects.create(user=learner, course=tree.course)
    client.force_login(learner)
    started = launch(client, lesson).json()
    refused = commit(client, started["commitUrl"], data)
    assert refused.status_code == 400
    assert refused.json()["errorCode"] == code and refused.json()["result"] is False
    assert ScormAttempt.objects.get().cmi == {}, "nothing of a refused commit is stored"


def test_a_commit_for_another_learners_attempt_is_a_404(client, placed):
    lesson, _package, learner, _enrolment = placed
    client.force_login(learner)
    theirs = launch(client, lesson).json()["commitUrl"]
    other = UserFactory()
    Enrolment.objects.create(user=other, course=lesson.get_parent().get_parent().specific)
    client.force_login(other)
    mine = launch(client, lesson).json()["commitUrl"]
    assert commit(client, theirs, {"cmi.core.lesson_status": "passed"}).status_code == 404
    their_id = theirs.split("/attempts/")[1].split("/")[0]
    forged = mine.replace(mine.split("/attempts/")[1].split("/")[0], their_id, 1)
    assert commit(client, forged, {"cmi.core.lesson_status": "passed"}).status_code == 404
    assert commit(client, theirs.split("?")[0], {}).status_code == 403, "no token, no commit"
    assert not ActivityResult.objects.exists()


def test_a_learner_not_enrolled_or_signed_out_cannot_launch(client, placed):
    lesson, *_ = placed
    assert launch(client, lesson).status_code == 403
    client.force_login(UserFactory())
    assert launch(client, lesson).json()["code"] == "not_enrolled"


def test_a_commit_costs_the_same_queries_whatever_the_size_of_its_data(client, placed):
    lesson, _package, learner, _enrolment = placed
    client.force_login(learner)
    url = launch(client, lesson).json()["commitUrl"]
    commit(client, url, {"cmi.core.lesson_location": "1"})  # warm the session and caches

    def cost(interactions: int) -> int:
        data = {"cmi.core.lesson_location": str(interactions), "cmi.suspend_data": "s" * (interactions * 10)}
        for index in range(interactions):
            data[f"cmi.interactions.{index}.id"] = f"q{index}"
            data[f"cmi.interactions.{index}.student_response"] = "a"
        with CaptureQueriesContext(connection) as captured:
            assert commit(client, url, data).status_code == 200
        return len(captured)

    small, large = cost(1), cost(300)
    assert small == large
    print(f"queries per SCORM commit: {small} (1 and 300 interactions)")
    assert small <= 6


def test_export_and_erasure_cover_the_runtime_data(client, placed):
    lesson, _package, learner, _enrolment = placed
    client.force_login(learner)
    url = launch(client, lesson).json()["commitUrl"]
    commit(client, url, {"cmi.core.lesson_location": "page-2", "cmi.suspend_data": "typed by Rina"})
    exported = learner_data(user=learner)["scorm_attempts"]
    assert [(row["sco"], row["location"], row["suspend_data"]) for row in exported] == [
        ("sco_1", "page-2", "typed by Rina")
    ]
    erase_learner(user=learner)
    assert not ScormAttempt.objects.exists()


def test_the_lesson_page_shows_the_package_and_its_launch_address(client, placed):
    lesson, package, learner, _enrolment = placed
    anonymous = client.get(lesson.url).content.decode()
    assert "data-scorm-package=" in anonymous and '"launchUrl": ""' in anonymous
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert f"/learning/scorm/{lesson.pk}/{lesson.body[0].id}/launch/" in html
    assert f"/scorm/{package.uuid}/index.html" in html
    assert "scorm-lesson.js" in html and "scorm-again.min.js" in html


def test_the_bengali_copy_of_the_lesson_plays_and_records_against_the_source_block(client, placed, tree):
    from tests.factories import translate, translate_tree

    lesson, _package, learner, enrolment = placed
    translate_tree(tree, "bn")
    copy = translate(lesson, "bn", title="পাঠ")
    client.force_login(learner)
    page = client.get(copy.url)
    assert page.status_code == 200 and "data-scorm-package=" in page.content.decode()
    started = launch(client, copy).json()
    assert commit(client, started["commitUrl"], {"cmi.core.lesson_status": "completed"}).status_code == 200
    attempt = ScormAttempt.objects.get(enrolment=enrolment)
    assert (attempt.lesson_id, attempt.block_id) == (lesson.pk, lesson.body[0].id)
    assert ActivityResult.objects.get().lesson_id == lesson.pk
    # the English copy resumes the same attempt's record: a finished attempt starts attempt 2
    assert launch(client, lesson).json()["attempt"] == 2
