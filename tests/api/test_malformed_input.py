"""Malformed bodies from the outside: every endpoint that reads JSON answers 400 (413 when too large)
with the standard error body, never 500 (foundation.json_input). Run on PostgreSQL too: a NUL
character reached the database there."""

import io
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from courses.activities import site_origin
from foundation import json_input
from lms.models import Statement

from .conftest import XAPI

DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000


def statement_text(user, iri: str, **result) -> str:
    body = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": site_origin(), "name": user.username}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"objectType": "Activity", "id": iri},
        "result": {"score": {"raw": 1, "min": 0, "max": 1}, "completion": True, **result},
    }
    return json.dumps(body)


def assert_standard_error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert {"code", "message", "field"} <= set(body) and body["message"]
    return body


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (DEEP, "too_deep"),
        (DEEP_OBJECT, "too_deep"),
        ('{"a": NaN}', "invalid_number"),
        ('{"a": Infinity}', "invalid_number"),
        ('{"a": -Infinity}', "invalid_number"),
        ('{"a": 1e999}', "invalid_number"),
        ('{"a": ' + "9" * 4000 + "}", "invalid_number"),
        ('{"a": 0.' + "1" * 4000 + "}", "invalid_number"),
        ('{"a": "x\\u0000y"}', "nul_character"),
        ('{"x\\u0000": 1}', "nul_character"),
        ("[1,", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
    ],
)
def test_the_parser_refuses_each_kind_of_bad_json(text, code):
    with pytest.raises(json_input.JsonInputError) as refused:
        json_input.loads(text)
    assert refused.value.code == code and refused.value.status == 400


def test_the_parser_keeps_ordinary_json():
    assert json_input.loads('{"score": {"raw": -12.5, "max": 100}, "tags": ["a", null, true]}') == {
        "score": {"raw": -12.5, "max": 100},
        "tags": ["a", None, True],
    }
    assert json_input.loads("[" * 31 + "]" * 31) is not None


def test_site_statements_refuse_bad_json_with_400(tree, people):
    client = Client()
    client.force_login(people.learner)
    iri = f"{site_origin()}/activities/1/x"
    for text in (
        DEEP,
        '{"a": NaN}',
        statement_text(people.learner, iri, response="a\u0000b"),
        statement_text(people.learner, iri).replace('"raw": 1', '"raw": ' + "1" * 4000),
    ):
        assert_standard_error(client.post("/learning/statements/", data=text, content_type="application/json"))
    assert not Statement.objects.exists()


def test_api_statements_refuse_bad_json_with_400(people):
    client = people.client("learner")
    iri = f"{site_origin()}/activities/1/x"
    for text in (DEEP, '{"a": NaN}', statement_text(people.learner, iri, response="a\u0000b")):
        response = client.post("/api/v1/statements/", data=text, content_type="application/json", headers=XAPI)
        assert_standard_error(response)
    assert not Statement.objects.exists()


def test_api_bodies_over_the_limit_are_413(people, settings):
    settings.LEARNING_JSON_MAX_BYTES = 0  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB
    big = json.dumps({"credential": {"x": "a" * (3 * 1024 * 1024)}})
    for path, client in (
        ("/api/v1/certificates/verify/", people.client(None)),
        ("/api/v1/statements/", people.client("learner")),
        ("/api/v1/me/enrolments/", people.client("learner")),
    ):
        response = client.post(path, data=big, content_type="application/json", headers=XAPI)
        assert assert_standard_error(response, 413)["code"] == "body_too_large"
    response = Client().post("/learning/statements/", data=big, content_type="application/json")
    assert response.status_code in (403, 413)  # anonymous: refused before reading
    signed_in = Client()
    signed_in.force_login(people.learner)
    response = signed_in.post("/learning/statements/", data=big, content_type="application/json")
    assert assert_standard_error(response, 413)["code"] == "body_too_large"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/certificates/verify/", "/api/v1/certificates/verify/bulk/", "/api/v1/auth/token/"],
)
def test_deep_json_on_public_api_endpoints_is_400(people, path):
    for text in (DEEP, DEEP_OBJECT, '{"credential": NaN}'):
        assert_standard_error(people.client(None).post(path, data=text, content_type="application/json"))


def test_deep_json_on_the_verification_service_and_wallet_exchange_is_400(db):
    client = Client()
    for text in (DEEP_OBJECT, '{"a": NaN}', '{"a": "\\u0000"}'):
        response = client.post("/certificates/verify", data=text, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"]
        response = client.post("/certificates/exchanges/no-such-token", data=text, content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "malformed_body"


def test_csv_import_with_a_200_kb_field_or_a_nul_byte_is_a_row_error(tree):
    from lms.services import import_enrolments
    from tests.lms.factories import organisation

    unit = organisation("ICT Division", code="ictd")
    for raw in (
        b"email,course\n" + b"a" * 200_000 + b"@gov.bd,x\n",
        b'email,course\n"' + b"a" * 200_000 + b'@gov.bd",x\n',
        b"email,course\na\x00@gov.bd,x\n",
    ):
        result = import_enrolments(organisation=unit, raw=raw)
        assert result.enrolled == 0 and result.refusals and result.refusals[0].row >= 1, raw[:40]


def test_csv_upload_page_answers_400_for_a_nul_byte(tree):
    from lms.services import make_organisation_admin
    from tests.factories import UserFactory
    from tests.lms.factories import organisation

    unit = organisation("ICT Division", code="ictd")
    officer = UserFactory(username="officer")
    make_organisation_admin(user=officer, organisation=unit)
    client = Client()
    client.force_login(officer)
    for raw in (b"email,course\na\x00@gov.bd,x\n", b'email,course\n"' + b"a" * 200_000 + b'",x\n'):
        file = io.BytesIO(raw)
        file.name = "staff.csv"
        response = client.post(reverse("lms_admin:organisation_enrol", args=[unit.pk]), {"file": file})
        assert response.status_code == 400, response.status_code
