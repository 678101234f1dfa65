"""The LRS's resources from the outside (Django's test client over HTTP semantics): Basic clients and
their scopes, attachments as multipart/mixed, document concurrency, the malformed inputs that used to
answer 500 (issue 16), and concurrent requests sharing one statement id answering as the first did."""

import base64
import hashlib
import json
import threading
import uuid

import pytest
import requests
from django.db import connection
from rest_framework.test import APIClient

from lms.models import Statement
from lms.statements.clients import create_lrs_client

from .conftest import XAPI

STATEMENTS = "/xapi/statements"
ACTOR = {"objectType": "Agent", "mbox": "mailto:outside@example.org"}


def basic(*scopes: str) -> APIClient:
    client, secret = create_lrs_client(name="System", scopes=list(scopes))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode())
    return api


def statement(**changes) -> dict:
    body = {
        "id": str(uuid.uuid4()),
        "actor": ACTOR,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "http://example.org/activities/video"},
    }
    body.update(changes)
    return body


@pytest.mark.django_db
def test_about_needs_neither_credentials_nor_the_version_header():
    response = APIClient().get("/xapi/about")
    assert response.status_code == 200
    assert response.json()["version"] == ["1.0.3"]
    assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.django_db
def test_a_wrong_secret_is_a_401_with_a_basic_challenge():
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"nobody:wrong").decode())
    response = api.get(STATEMENTS, headers=XAPI)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


@pytest.mark.django_db
def test_scopes_limit_what_a_client_does_and_reads():
    reader = basic("statements/read/mine")
    assert reader.post(STATEMENTS, statement(), format="json", headers=XAPI).status_code == 403
    writer = basic("statements/write", "statements/read/mine")
    mine = statement()
    assert writer.post(STATEMENTS, mine, format="json", headers=XAPI).status_code == 200
    assert basic("all").post(STATEMENTS, statement(), format="json", headers=XAPI).status_code == 200
    assert [item["id"] for item in writer.get(STATEMENTS, headers=XAPI).json()["statements"]] == [mine["id"]]
    assert len(basic("all/read").get(STATEMENTS, headers=XAPI).json()["statements"]) == 2
    assert reader.get(STATEMENTS, headers=XAPI).json()["statements"] == []
    stored = Statement.objects.get(statement_id=mine["id"])
    assert stored.user is None and stored.payload["authority"]["name"] == "System"
    assert stored.payload["version"] == "1.0.0"


@pytest.mark.django_db
def test_attachments_travel_as_multipart_mixed_both_ways():
    content = b"signed by hand"
    sha2 = hashlib.sha256(content).hexdigest()
    body = statement(
        attachments=[
            {
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en-US": "Signature"},
                "contentType": "text/plain",
                "length": len(content),
                "sha2": sha2,
            }
        ]
    )
    boundary = "xapi-boundary"
    payload = (
        (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(body)}\r\n"
            f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    api = basic("all")
    kind = f"multipart/mixed; boundary={boundary}"
    without = api.post(
        STATEMENTS,
        json.dumps(statement(attachments=body["attachments"])),
        content_type="application/json",
        headers=XAPI,
    )
    assert (without.status_code, without.json()["code"]) == (400, "attachment_missing")
    stored = api.generic("POST", STATEMENTS, payload, content_type=kind, headers=XAPI)
    assert stored.status_code == 200, stored.content
    answer = api.get(STATEMENTS, {"statementId": body["id"], "attachments": "true"}, headers=XAPI)
    assert answer["Content-Type"].startswith("multipart/mixed")
    assert content in answer.content and sha2.encode() in answer.content


@pytest.mark.django_db
def test_profiles_need_their_etag_to_change():
    api = basic("profile")
    url = "/xapi/activities/profile?" + "activityId=http://example.org/a&profileId=notes"
    first = api.put(url, b'{"a": 1}', content_type="application/json", headers=XAPI)
    assert first.status_code == 204
    etag = first["ETag"]
    assert api.put(url, b'{"a": 2}', content_type="application/json", headers=XAPI).status_code == 409
    stale = {**XAPI, "If-Match": '"0000"'}
    assert api.put(url, b'{"a": 2}', content_type="application/json", headers=stale).status_code == 412
    new_only = {**XAPI, "If-None-Match": "*"}
    assert api.put(url, b'{"a": 2}', content_type="application/json", headers=new_only).status_code == 412
    assert (
        api.post(url, b'{"b": 2}', content_type="application/json", headers={**XAPI, "If-Match": etag}).status_code
        == 204
    )
    got = api.get(url, headers=XAPI)
    assert json.loads(got.content) == {"a": 1, "b": 2} and got["ETag"] != etag
    ids = api.get("/xapi/activities/profile?activityId=http://example.org/a", headers=XAPI)
    assert ids.json() == ["notes"]


@pytest.mark.django_db
def test_a_learner_keeps_state_about_themselves_only(people):
    learner = people.client("learner")
    mine = json.dumps({"mbox": f"mailto:{people.learner.email}"})
    other = json.dumps({"mbox": "mailto:someone@example.org"})
    url = "/xapi/activities/state?activityId=http://example.org/a&stateId=s&agent="
    assert learner.put(url + mine, b"x", content_type="text/plain", headers=XAPI).status_code == 204
    assert learner.put(url + other, b"x", content_type="text/plain", headers=XAPI).status_code == 403
    assert learner.post(STATEMENTS, statement(), format="json", headers=XAPI).status_code == 403


MALFORMED = [
    (
        '{"actor": {"mbox": "mailto:a@example.org", "name": "a\\u0000b"}, "verb": {"id": "http://e.org/v"}, '
        '"object": {"id": "http://e.org/a"}}',
        "actor.name",
    ),
    (
        '{"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://e.org/v"}, "object": {"id": '
        '"http://e.org/a"}, "result": {"score": {"raw": NaN}}}',
        None,
    ),
    (
        '{"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://e.org/v"}, "object": {"id": '
        '"http://e.org/a"}, "result": {"score": {"raw": ' + "9" * 4000 + "}}}",
        "result.score.raw",
    ),
    (
        '{"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://e.org/v"}, "object": {"id": '
        '"http://e.org/a"}, "result": {"duration": "PT99999999999999999H"}}',
        "result.duration",
    ),
    (
        '{"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://e.org/v"}, "object": {"id": '
        '"http://e.org/a"}, "result": {"duration": "P1000000000D"}}',
        "result.duration",
    ),
    (
        '{"actor": {"account": {"homePage": 5, "name": "x"}}, "verb": {"id": "http://e.org/v"}, "object": {"id": '
        '"http://e.org/a"}}',
        "actor.account.homePage",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "field"), MALFORMED)
def test_malformed_statements_are_a_400_naming_the_property(body, field):
    response = basic("all").generic("POST", STATEMENTS, body.encode(), content_type="application/json", headers=XAPI)
    assert response.status_code == 400, response.content
    if field:
        assert response.json()["field"] == field
    assert not Statement.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_id_answer_as_the_first(live_server):
    if connection.vendor != "postgresql":
        pytest.skip(
            "The live server shares one in-memory SQLite connection between its threads; CI runs this on PostgreSQL."
        )
    client, secret = create_lrs_client(name="Racer", scopes=["all"])
    body = statement()
    answers = []

    def send():
        response = requests.post(
            f"{live_server.url}{STATEMENTS}", json=body, auth=(client.key, secret), headers=XAPI, timeout=60
        )
        answers.append((response.status_code, response.text))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _text in answers} == {200}, answers
    assert Statement.objects.filter(statement_id=body["id"]).count() == 1
