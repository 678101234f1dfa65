"""What the resources do: statements per xAPI 1.0.3, progress, certificates by content negotiation,
verification of one or many credentials, revocation and re-issue, tokens and throttling."""

import json
import uuid

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from certification.services import issue_certificate
from lms.models import Enrolment, Statement
from lms.services import enrol
from tests.api.conftest import XAPI
from tests.lms.conftest import check_iri
from tests.lms.test_statements import statement

pytestmark = pytest.mark.django_db
STATEMENTS = "/api/v1/statements/"


@pytest.fixture
def enrolment(tree, people) -> Enrolment:
    return enrol(user=people.learner, course=tree.course)


@pytest.fixture
def certificate(enrolment):
    enrolment.status, enrolment.progress_percent, enrolment.completed_at = "completed", 100, enrolment.enrolled_at
    enrolment.save()
    return issue_certificate(enrolment=enrolment)


def test_post_stores_once_and_feeds_progress(people, tree, enrolment):
    client = people.client("learner")
    body = statement(people.learner, check_iri(tree.lessons[0]))
    first = client.post(STATEMENTS, body, format="json", headers=XAPI)
    assert (first.status_code, first.json()) == (200, [body["id"]])
    assert first["X-Experience-API-Version"] == "1.0.3"
    assert client.post(STATEMENTS, body, format="json", headers=XAPI).json() == [body["id"]]
    assert Statement.objects.count() == 1
    detail = client.get(f"/api/v1/me/enrolments/{enrolment.pk}/").json()
    assert detail["progress_percent"] == 33
    assert [lesson["completed_at"] is not None for lesson in detail["lessons"]] == [True, False, False]


def test_a_batch_is_all_or_nothing_and_names_the_fault(people, tree, enrolment):
    good = statement(people.learner, check_iri(tree.lessons[0]))
    bad = statement(people.learner, check_iri(tree.lessons[1]))
    bad["result"]["score"]["scaled"] = 2
    response = people.client("learner").post(STATEMENTS, [good, bad], format="json", headers=XAPI)
    assert response.status_code == 400
    assert response.json() == {
        "code": "score_out_of_range",
        "message": "result.score.scaled: must be between -1 and 1.",
        "field": "result.score.scaled",
    }
    assert not Statement.objects.exists()


def test_statements_about_someone_else_are_refused(people, tree, enrolment):
    body = statement(people.other_learner, check_iri(tree.lessons[0]))
    response = people.client("learner").post(STATEMENTS, body, format="json", headers=XAPI)
    assert (response.status_code, response.json()["field"]) == (403, "actor")
    assert not Statement.objects.exists()


def test_put_stores_under_the_given_id(people, tree, enrolment):
    client = people.client("learner")
    body = statement(people.learner, check_iri(tree.lessons[0]))
    statement_id = body.pop("id")
    response = client.put(f"{STATEMENTS}?statementId={statement_id}", body, format="json", headers=XAPI)
    assert response.status_code == 204
    assert str(Statement.objects.get().statement_id) == statement_id
    other = str(uuid.uuid4())
    mismatch = client.put(
        f"{STATEMENTS}?statementId={other}", {**body, "id": statement_id}, format="json", headers=XAPI
    )
    assert (mismatch.status_code, mismatch.json()["code"]) == (400, "id_mismatch")
    assert client.put(STATEMENTS, body, format="json", headers=XAPI).json()["field"] == "statementId"


def test_get_filters_by_verb_activity_and_time(people, tree, enrolment):
    client = people.client("learner")
    first = statement(people.learner, check_iri(tree.lessons[0]))
    second = statement(
        people.learner, check_iri(tree.lessons[1]), verb={"id": "http://adlnet.gov/expapi/verbs/completed"}
    )
    client.post(STATEMENTS, [first, second], format="json", headers=XAPI)
    stored = {str(row.statement_id): row.stored_at for row in Statement.objects.all()}

    def ids(**params):
        response = client.get(STATEMENTS, params, headers=XAPI)
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["statements"]}

    assert ids() == {first["id"], second["id"]}
    assert ids(verb="http://adlnet.gov/expapi/verbs/completed") == {second["id"]}
    assert ids(activity=check_iri(tree.lessons[0])) == {first["id"]}
    assert ids(until=stored[first["id"]].isoformat(), since="2000-01-01T00:00:00Z") >= {first["id"]}
    assert ids(since=max(stored.values()).isoformat()) == set()
    assert len(client.get(STATEMENTS, {"limit": 1}, headers=XAPI).json()["statements"]) == 1
    assert client.get(STATEMENTS, {"since": "yesterday"}, headers=XAPI).json()["field"] == "since"


def test_enrol_myself_once(people, tree):
    client = people.client("learner")
    response = client.post("/api/v1/me/enrolments/", {"course": tree.course.pk}, format="json")
    assert (response.status_code, response.json()["course"]["id"]) == (201, tree.course.pk)
    again = client.post("/api/v1/me/enrolments/", {"course": tree.course.pk}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_enrolled")
    missing = client.post("/api/v1/me/enrolments/", {"course": 999999}, format="json")
    assert (missing.status_code, missing.json()["field"]) == (400, "course")


def test_certificate_by_content_negotiation(people, certificate):
    client, url = people.client("learner"), f"/api/v1/certificates/{certificate.pk}/"
    as_json = client.get(url).json()
    assert as_json["credential_id"] == f"urn:uuid:{certificate.pk}"
    assert set(as_json["links"]) == {"credential", "pdf", "badge", "verification_page", "api"}
    assert client.get(as_json["links"]["badge"]).getvalue().startswith(b"\x89PNG")
    signed = client.get(url, HTTP_ACCEPT="application/vc")
    assert signed["Content-Type"] == "application/vc"
    assert signed.content == certificate.credential.encode("utf-8")
    pdf = client.get(url, HTTP_ACCEPT="application/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    page = client.get(url, HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")
    assert certificate.recipient_name in page.content.decode()
    refused = client.get(url, HTTP_ACCEPT="image/gif")
    assert (refused.status_code, refused["Content-Type"]) == (406, "application/json")


def test_verify_one_and_many_listing_every_check(people, certificate):
    credential = json.loads(certificate.credential)
    client = APIClient()
    one = client.post("/api/v1/certificates/verify/", {"credential": credential}, format="json").json()
    assert one["valid"] is True
    assert set(one["checks"]) == {"signature", "issuer", "validity", "status", "subject", "registry"}
    assert {name: check["code"] for name, check in one["checks"].items()} == {
        "signature": "signature_valid",
        "issuer": "issuer_key_published",
        "validity": "valid_without_expiry",
        "status": "not_revoked",
        "subject": "subject_not_compared",
        "registry": "registry_none_configured",
    }
    assert one["checks"]["status"]["detail"] == "Not revoked."
    # Messages follow Accept-Language (English by default); the codes do not.
    in_bengali = client.post(
        "/api/v1/certificates/verify/", {"credential": credential}, format="json", HTTP_ACCEPT_LANGUAGE="bn"
    ).json()
    assert {name: check["code"] for name, check in in_bengali["checks"].items()} == {
        name: check["code"] for name, check in one["checks"].items()
    }
    assert in_bengali["checks"]["status"]["detail"] == "বাতিল করা হয়নি।"
    tampered = {**credential, "validFrom": "2001-01-01T00:00:00Z"}
    many = client.post(
        "/api/v1/certificates/verify/bulk/",
        {"credentials": [{"credential": credential}, {"credential": tampered}, {"credential": {"id": "x"}}]},
        format="json",
    ).json()["results"]
    assert [item["index"] for item in many] == [0, 1, 2]
    assert many[0]["result"]["valid"] is True
    assert many[1]["result"]["checks"]["signature"]["passed"] is False
    assert many[2]["result"] is None and many[2]["error"]["code"] == "invalid_credential"


def test_revoke_and_reissue_by_an_officer(people, certificate):
    officer = people.client("officer")
    base = f"/api/v1/certificates/{certificate.pk}"
    assert officer.post(f"{base}/revoke/", {"reason": " "}, format="json").status_code == 400
    revoked = officer.post(f"{base}/revoke/", {"reason": "Issued in error"}, format="json")
    assert (revoked.status_code, revoked.json()["is_revoked"]) == (200, True)
    twice = officer.post(f"{base}/revoke/", {"reason": "Again"}, format="json")
    assert (twice.status_code, twice.json()["code"]) == (409, "certificate_state")
    verified = APIClient().post(
        "/api/v1/certificates/verify/", {"credential": json.loads(certificate.credential)}, format="json"
    )
    assert verified.json()["revoked"] is True


def test_reissue_replaces(people, certificate):
    response = people.client("officer").post(
        f"/api/v1/certificates/{certificate.pk}/reissue/",
        {"reason": "Name misspelt", "recipient_name": "Nusrat Jahan"},
        format="json",
    )
    assert response.status_code == 201
    assert (response.json()["recipient_name"], response.json()["generation"]) == ("Nusrat Jahan", 2)
    certificate.refresh_from_db()
    assert certificate.is_revoked


def test_a_token_for_the_right_password_only(people):
    client = APIClient()
    wrong = client.post("/api/v1/auth/token/", {"username": "learner", "password": "nope"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "authorization"
    right = client.post(
        "/api/v1/auth/token/", {"username": "learner", "password": "correct horse battery"}, format="json"
    )
    token = right.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/enrolments/").status_code == 200


def test_verification_is_throttled(people, certificate, monkeypatch):
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "verify": "2/minute", "bulk": "1/minute"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    client, body = APIClient(), {"credential": json.loads(certificate.credential)}
    codes = [client.post("/api/v1/certificates/verify/", body, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.post("/api/v1/certificates/verify/", body, format="json")
    assert refused.json()["code"] == "throttled" and int(refused["Retry-After"]) > 0
    bulk = [
        client.post("/api/v1/certificates/verify/bulk/", {"credentials": [body]}, format="json").status_code
        for _ in range(2)
    ]
    assert bulk == [200, 429]
