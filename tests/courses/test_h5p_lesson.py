"""A lesson with three H5P activities costs one query more than a lesson without, and a few kilobytes,
until an activity is opened; statements about its activities follow the progress service's rules."""

import io
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.activities import activity_iri
from courses.h5p.packaging import knowledge_check_package
from courses.h5p.services import import_package
from lms.models import ActivityResult, Enrolment, Statement
from tests.factories import LessonPageFactory, UserFactory
from tests.h5p_packages import media_folder  # noqa: F401  (the media fixture)

pytestmark = pytest.mark.django_db
PAGE_BYTES_LIMIT = 16_000  # the HTML of a lesson with three placeholders, before any activity is opened


def activity(title: str):
    package = knowledge_check_package(
        title=title, question="q?", choices=[{"text": "a", "correct": True}, {"text": "b"}]
    )
    return import_package(io.BytesIO(package), name=f"{title}.h5p")


def h5p_block(activity) -> dict:
    return {"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}}


@pytest.fixture
def three(tree, media):
    activities = [activity(f"Activity {n}") for n in range(3)]
    return LessonPageFactory(parent=tree.module, body=[h5p_block(a) for a in activities])


def queries(client, url) -> tuple[int, bytes]:
    client.get(url)  # warm caches (site root, locale) as a running site has them
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content


def test_three_activities_cost_one_query_and_a_few_kilobytes(client, tree, three):
    plain = LessonPageFactory(parent=tree.module, body=[])
    plain_queries, plain_html = queries(client, plain.url)
    h5p_queries, h5p_html = queries(client, three.url)
    assert h5p_queries == plain_queries + 1, "one query fetches all three activities"
    assert len(h5p_html) < PAGE_BYTES_LIMIT
    assert len(h5p_html) - len(plain_html) < 9_000
    html = h5p_html.decode()
    assert html.count("data-h5p-activity=") == 3
    assert html.count("h5p-lesson.js") == 1
    assert "main.bundle.js" in html and '<script src="/static/h5p-standalone' not in html  # named, not loaded


def test_signed_in_learners_get_the_statement_endpoint_and_anonymous_visitors_an_invitation(client, three):
    anonymous = client.get(three.url).content.decode()
    assert anonymous.count("to keep your result") == 3
    assert '"statementsUrl": ""' in anonymous
    client.force_login(UserFactory(username="nadia"))
    signed_in = client.get(three.url).content.decode()
    assert "to keep your result" not in signed_in
    assert '"statementsUrl": "/learning/statements/"' in signed_in
    assert '"name": "nadia"' in signed_in


def statement(user, iri: str, *, statement_id=None, raw=1) -> dict:
    return {
        "id": statement_id or str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "http://127.0.0.1:8000", "name": user.username}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": iri, "objectType": "Activity"},
        "result": {"score": {"raw": raw, "min": 0, "max": 1}, "success": raw == 1, "completion": True},
    }


def post(client, body) -> int:
    return client.post("/learning/statements/", json.dumps(body), content_type="application/json").status_code


def test_statements_about_an_h5p_activity(client, tree, three, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    learner = UserFactory(username="selim")
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    client.force_login(learner)
    block_id = three.body[0].id
    iri = activity_iri(lesson_id=three.pk, block_id=block_id)
    same = statement(learner, iri)
    assert post(client, same) == 201
    assert post(client, same) == 200
    assert ActivityResult.objects.filter(enrolment=enrolment, block_id=block_id).count() == 1
    other = UserFactory(username="other")
    assert post(client, statement(other, iri)) == 403
    draft = LessonPageFactory(parent=tree.module, live=False, body=[h5p_block(three.body[0].value["activity"])])
    assert post(client, statement(learner, activity_iri(lesson_id=draft.pk, block_id=draft.body[0].id))) == 404
    assert post(client, {"actor": same["actor"], "verb": "answered"}) == 400
    assert Statement.objects.filter(user=learner).count() == 1
    # Coming back later, the learner sees their result on that activity, and only on that one.
    page = client.get(three.url).content.decode()
    assert page.count("Your result so far: 100%.") == 1
