"""A learner's app written only from the API's documentation, with plain ``requests`` against a live
server: sign in for a token, enrol, post statements until the course is complete, fetch the
certificate in each form and verify it."""

import uuid

import pytest

from certification.tasks import issue_certificate_task
from courses.activities import site_origin
from tests.api.conftest import XAPI
from tests.api.openapi_responses import SchemaCheckedSession
from tests.lms.conftest import check_iri


@pytest.fixture
def api(live_server, page_tree_root, settings, monkeypatch):
    """The live server's API; the certificate task runs in the server (eagerly) even when CI has a broker."""
    monkeypatch.setitem(issue_certificate_task.app.conf, "task_always_eager", True)
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return f"{live_server.url}/api/v1"


@pytest.mark.django_db(transaction=True)
def test_enrol_learn_fetch_and_verify(api, tree, people):
    http = SchemaCheckedSession(api.removesuffix("/api/v1"))
    token = http.post(f"{api}/auth/token/", json={"username": "learner", "password": "correct horse battery"})
    assert token.status_code == 200, token.text
    http.headers["Authorization"] = f"Token {token.json()['token']}"

    catalogue = http.get(f"{api}/courses/").json()
    course_id = catalogue["results"][0]["id"]
    enrolment = http.post(f"{api}/me/enrolments/", json={"course": course_id})
    assert enrolment.status_code == 201, enrolment.text

    actor = {"objectType": "Agent", "account": {"homePage": site_origin(), "name": "learner"}}
    posted = []
    for lesson in tree.lessons:
        statement = {
            "id": str(uuid.uuid4()),
            "actor": actor,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"objectType": "Activity", "id": check_iri(lesson)},
            "result": {"score": {"raw": 1, "min": 0, "max": 1}, "success": True, "completion": True},
        }
        stored = http.post(f"{api}/statements/", json=statement, headers=XAPI)
        assert stored.status_code == 200, stored.text
        assert stored.headers["X-Experience-API-Version"] == "1.0.3"
        posted.append(statement["id"])

    # Read them back one per page, oldest first, following each relative `more` IRL from the site's origin.
    read, url = [], f"{api}/statements/?limit=1&ascending=true"
    while url:
        page = http.get(url, headers=XAPI)
        assert page.status_code == 200, page.text
        read += [item["id"] for item in page.json()["statements"]]
        more = page.json()["more"]
        url = f"{site_origin()}{more}" if more else ""
    assert read == posted

    progress = http.get(f"{api}/me/enrolments/{enrolment.json()['id']}/").json()
    assert (progress["status"], progress["progress_percent"]) == ("completed", 100)
    assert all(lesson["completed_at"] for lesson in progress["lessons"])

    certificates = http.get(f"{api}/me/certificates/").json()["results"]
    assert len(certificates) == 1
    certificate = certificates[0]
    url = certificate["links"]["api"]
    signed = http.get(url, headers={"Accept": "application/vc"})
    assert signed.headers["Content-Type"] == "application/vc"
    pdf = http.get(url, headers={"Accept": "application/pdf"})
    assert pdf.content.startswith(b"%PDF")
    badge = http.get(certificate["links"]["badge"])
    assert badge.content.startswith(b"\x89PNG")

    claim = {"credential": signed.json(), "name": certificate["recipient_name"]}
    del http.headers["Authorization"]
    verdict = http.post(f"{api}/certificates/verify/", json=claim)
    assert verdict.status_code == 200, verdict.text
    assert verdict.json()["valid"] is True
    assert {name: check["passed"] for name, check in verdict.json()["checks"].items()} == {
        "signature": True,
        "issuer": True,
        "validity": True,
        "status": True,
        "subject": True,
        "registry": None,  # no registry of accredited issuers is configured: neither passed nor failed
    }
    operations = {(method, path) for method, path, _status in http.checked}
    assert len(operations) >= 8, operations  # every operation above, each response checked against the schema
