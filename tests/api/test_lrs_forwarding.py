"""Statements forwarded to an external LRS: a real HTTP server on 127.0.0.1 plays the LRS, failing first
so the Celery task's retry is exercised (tasks run eagerly in the embedded default)."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.exceptions import Retry
from rest_framework.test import APIClient

from lms.services import enrol
from lms.tasks import forward_statement_task
from tests.api.conftest import XAPI
from tests.lms.conftest import check_iri
from tests.lms.test_statements import statement


class LRS(BaseHTTPRequestHandler):
    """Answers each request with the next status in ``server.answers`` (204 once they run out)."""

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append({"path": self.path, "headers": self.headers, "body": json.loads(body)})
        status = self.server.answers.pop(0) if self.server.answers else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def serve_lrs():
    server = ThreadingHTTPServer(("127.0.0.1", 0), LRS)
    server.received, server.answers = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def lrs(settings, monkeypatch):
    """The LRS, with tasks run eagerly in this process even when CI configures a broker."""
    monkeypatch.setitem(forward_statement_task.app.conf, "task_always_eager", True)
    server = serve_lrs()
    settings.XAPI_FORWARD_URL = f"http://127.0.0.1:{server.server_port}/xapi/"
    settings.XAPI_FORWARD_USERNAME, settings.XAPI_FORWARD_PASSWORD = "platform", "s3cret"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def lrs_for_worker(settings, monkeypatch):
    """The same LRS, configured through the environment so that the worker process sees it too."""
    server = serve_lrs()
    url = f"http://127.0.0.1:{server.server_port}/xapi/"
    monkeypatch.setenv("XAPI_FORWARD_URL", url)
    settings.XAPI_FORWARD_URL = url
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_an_lrs_failure_is_retried_and_the_retry_delivers(people, tree, lrs, django_capture_on_commit_callbacks):
    """Eagerly (the embedded default) Celery cannot wait between attempts, so the retry is driven by
    hand: the failed attempt must ask for a retry, the learner's request must not suffer, and the
    next attempt delivers the same statement by the same id."""
    enrol(user=people.learner, course=tree.course)
    lrs.answers = [503]
    body = statement(people.learner, check_iri(tree.lessons[0]))
    with django_capture_on_commit_callbacks(execute=True):
        response = people.client("learner").post("/api/v1/statements/", body, format="json", headers=XAPI)
    assert response.status_code == 200
    assert len(lrs.received) == 1
    with pytest.raises(Retry):
        lrs.answers = [502]
        forward_statement_task.delay(body["id"])
    assert forward_statement_task.delay(body["id"]).get() == 204
    assert len(lrs.received) == 3
    last = lrs.received[-1]
    assert last["path"] == f"/xapi/statements?statementId={body['id']}"
    assert last["headers"]["X-Experience-API-Version"] == "1.0.3"
    assert last["headers"]["Authorization"] == "Basic " + base64.b64encode(b"platform:s3cret").decode()
    assert last["body"]["id"] == body["id"] and last["body"]["verb"] == body["verb"]


@pytest.mark.django_db(transaction=True)
def test_a_worker_retries_until_the_lrs_takes_it(page_tree_root, lrs_for_worker, celery_worker_process):
    """With a broker (CI: Redis and PostgreSQL), a real worker retries on its own after the pauses."""
    if celery_worker_process is None:
        pytest.skip("needs CELERY_BROKER_URL: tasks run eagerly without a broker")
    from tests.factories import CataloguePageFactory, CoursePageFactory, LessonPageFactory, ModulePageFactory
    from tests.lms.factories import member, organisation

    course = CoursePageFactory(parent=CataloguePageFactory())
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=course))
    learner = member(organisation("Ministry of ICT"), username="learner", email="learner@example.gov.bd")
    enrol(user=learner, course=course)
    lrs_for_worker.answers = [503, 503]
    body = statement(learner, check_iri(lesson))
    client = APIClient()
    client.force_authenticate(learner)
    assert client.post("/api/v1/statements/", body, format="json", headers=XAPI).status_code == 200
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(lrs_for_worker.received) < 3:
        time.sleep(0.5)
    assert len(lrs_for_worker.received) == 3
    assert {item["body"]["id"] for item in lrs_for_worker.received} == {body["id"]}


@pytest.mark.django_db
def test_a_refused_statement_is_not_retried_and_a_duplicate_is_not_resent(
    people, tree, lrs, django_capture_on_commit_callbacks
):
    enrol(user=people.learner, course=tree.course)
    lrs.answers = [400]
    body = statement(people.learner, check_iri(tree.lessons[0]))
    client = people.client("learner")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/v1/statements/", body, format="json", headers=XAPI)
        client.post("/api/v1/statements/", body, format="json", headers=XAPI)
    assert len(lrs.received) == 1


@pytest.mark.django_db
def test_nothing_is_sent_when_forwarding_is_off(people, tree, settings, django_capture_on_commit_callbacks, lrs):
    settings.XAPI_FORWARD_URL = ""
    enrol(user=people.learner, course=tree.course)
    with django_capture_on_commit_callbacks(execute=True):
        people.client("learner").post(
            "/api/v1/statements/",
            statement(people.learner, check_iri(tree.lessons[0])),
            format="json",
            headers=XAPI,
        )
    assert lrs.received == []
