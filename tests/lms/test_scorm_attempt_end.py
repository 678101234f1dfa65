"""An attempt that ends unreported, as SCORM says: a SCORM 1.2 SCO that set no status is completed when the
learner leaves it (then passed or failed against the manifest's mastery score, if it set a raw score);
a SCORM 2004 SCO is completed and satisfied unless its manifest says the content sets them, and not when
it was suspended. Only the commit that ends the session (``end=1``) applies the rule, at the same query
cost; the package's SCOs roll up to one result for the lesson through the recording rule."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.scorm.services import import_package
from lms.models import ActivityResult, Enrolment, ScormAttempt
from tests.factories import LessonPageFactory, UserFactory
from tests.h5p_packages import media_folder  # noqa: F401  (the media fixture)
from tests.scorm_packages import SCO_PAGE, scorm_block, write_package

pytestmark = pytest.mark.django_db

HEAD_12 = (
    '<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><metadata><schemaversion>1.2</schemaversion></metadata>'
)
HEAD_2004 = (
    '<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">'
    "<metadata><schemaversion>2004 4th Edition</schemaversion></metadata>"
)


def package(media, version: str, items: list[tuple[str, str]]):
    """A package whose items carry the given inner XML (mastery score, sequencing), one page each."""
    head, kind = (HEAD_12, "scormtype") if version == "1.2" else (HEAD_2004, "scormType")
    body = "".join(f'<item identifier="{i}" identifierref="r_{i}"><title>{i}</title>{xml}</item>' for i, xml in items)
    resources = "".join(
        f'<resource identifier="r_{i}" type="webcontent" adlcp:{kind}="sco" href="{i}.html"/>' for i, _ in items
    )
    manifest = (
        f'<?xml version="1.0"?>{head}<organizations default="o"><organization identifier="o"><title>t</title>'
        f"{body}</organization></organizations><resources>{resources}</resources></manifest>"
    )
    files = {"imsmanifest.xml": manifest.encode(), **{f"{i}.html": SCO_PAGE for i, _ in items}}
    return import_package(write_package(media.parent, files), name="p.zip")


@pytest.fixture
def place(tree, media, settings, client):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    for lesson in tree.lessons:
        lesson.required = False
        lesson.save_revision().publish()
    learner = UserFactory()
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    client.force_login(learner)

    def placed(version, items):
        scorm = package(media, version, items)
        lesson = LessonPageFactory(parent=tree.module, body=[scorm_block(scorm)])
        return scorm, lesson, enrolment

    return placed


def launch(client, lesson, sco):
    url = f"/learning/scorm/{lesson.pk}/{lesson.body[0].id}/launch/"
    response = client.post(url, json.dumps({"sco": sco}), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["commitUrl"]


def commit(client, url, data, *, end=False):
    response = client.post(url + ("&end=1" if end else ""), json.dumps(data), content_type="application/json")
    assert response.json() == {"result": True, "errorCode": 0}, response.content


def test_the_manifest_gives_each_sco_its_mastery_score_or_its_delivery_controls(place):
    scorm, _lesson, _enrolment = place("1.2", [("a", "<adlcp:masteryscore>80</adlcp:masteryscore>"), ("b", "")])
    assert [sco.get("mastery_score") for sco in scorm.scos] == [80.0, None]
    controls = '<imsss:sequencing><imsss:deliveryControls completionSetByContent="true"/></imsss:sequencing>'
    scorm, _lesson, _enrolment = place("2004", [("a", controls), ("b", "")])
    assert [(sco["completion_set_by_content"], sco["objective_set_by_content"]) for sco in scorm.scos] == [
        (True, False),
        (False, False),
    ]


def test_a_scorm_12_sco_that_reports_nothing_is_completed_when_the_learner_leaves_it(client, place):
    _scorm, lesson, enrolment = place("1.2", [("a", "")])
    url = launch(client, lesson, "a")
    commit(client, url, {})  # a commit while the learner is on it changes nothing
    assert ScormAttempt.objects.get().completion_status == ""
    with CaptureQueriesContext(connection) as queries:
        commit(client, url, {}, end=True)
    attempt = ScormAttempt.objects.get()
    assert (attempt.completion_status, attempt.score_scaled) == ("completed", None)
    assert [(r.completion, r.success) for r in ActivityResult.objects.filter(enrolment=enrolment)] == [(True, None)]
    assert len(queries) > 3  # the result reached progress (its own queries, as for any finished attempt)


@pytest.mark.parametrize(("raw", "status"), [("85", "passed"), ("79", "failed"), ("", "completed")])
def test_the_mastery_score_decides_passed_or_failed_when_the_sco_set_a_raw_score(client, place, raw, status):
    _scorm, lesson, _enrolment = place("1.2", [("a", "<adlcp:masteryscore>80</adlcp:masteryscore>")])
    url = launch(client, lesson, "a")
    data = {"cmi.core.lesson_status": "not attempted", **({"cmi.core.score.raw": raw} if raw else {})}
    commit(client, url, data, end=True)
    assert ScormAttempt.objects.get().completion_status == status


def test_a_status_the_sco_set_is_kept_when_it_ends(client, place):
    _scorm, lesson, _enrolment = place("1.2", [("a", "")])
    url = launch(client, lesson, "a")
    commit(client, url, {"cmi.core.lesson_status": "incomplete"}, end=True)
    assert ScormAttempt.objects.get().completion_status == "incomplete"
    assert not ActivityResult.objects.exists()


def test_scorm_2004_completes_and_satisfies_unless_the_content_sets_them_or_the_attempt_is_suspended(client, place):
    by_content = (
        '<imsss:sequencing><imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>'
        "</imsss:sequencing>"
    )
    _scorm, lesson, enrolment = place("2004", [("free", ""), ("content", by_content), ("paused", "")])
    commit(client, launch(client, lesson, "free"), {"cmi.completion_status": "unknown"}, end=True)
    commit(client, launch(client, lesson, "content"), {"cmi.completion_status": "unknown"}, end=True)
    commit(client, launch(client, lesson, "paused"), {"cmi.exit": "suspend"}, end=True)
    statuses = dict(ScormAttempt.objects.values_list("sco", "completion_status"))
    successes = dict(ScormAttempt.objects.values_list("sco", "success_status"))
    assert statuses == {"free": "completed", "content": "unknown", "paused": ""}
    assert successes == {"free": "passed", "content": "", "paused": ""}
    assert not ActivityResult.objects.exists(), "the package's result waits for every SCO"
    failed = {"cmi.completion_status": "completed", "cmi.success_status": "failed"}
    commit(client, launch(client, lesson, "content"), failed)
    commit(client, launch(client, lesson, "paused"), {"cmi.exit": ""}, end=True)
    result = ActivityResult.objects.get(enrolment=enrolment)
    assert (result.completion, result.success) == (True, False)  # one SCO failed: the package failed
