"""Organisations' systems sign in with OAuth 2.0 client credentials and see what their unit's admins see,
narrowed by the scopes the organisation granted them."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from lms.models import Enrolment

pytestmark = pytest.mark.django_db


def register(unit, scopes: str) -> tuple[str, str]:
    out = io.StringIO()
    call_command("create_organisation_client", unit.code, "HR system", scopes=scopes, stdout=out, stderr=io.StringIO())
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    return values["client_id"], values["client_secret"]


def token(client_id: str, secret: str, scope: str | None = None):
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if scope:
        data["scope"] = scope
    return APIClient().post("/api/v1/oauth/token/", data)


def as_client(access_token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return client


def test_a_read_client_reads_its_unit_only_and_cannot_enrol(people, tree):
    client_id, secret = register(people.unit, "read")
    issued = token(client_id, secret)
    assert issued.status_code == 200, issued.content
    assert issued.json()["scope"] == "read"
    client = as_client(issued.json()["access_token"])
    assert client.get(f"/api/v1/organisations/{people.unit.pk}/report/").status_code == 200
    assert client.get(f"/api/v1/organisations/{people.other_unit.pk}/report/").status_code == 404
    enrolments = f"/api/v1/organisations/{people.unit.pk}/enrolments/"
    body = {"email": people.learner.email, "course": tree.course.pk}
    refused = client.post(enrolments, body, format="json")
    assert refused.status_code == 403
    assert not Enrolment.objects.exists()
    assert token(client_id, secret, scope="enrol").json()["error"] == "invalid_scope"


def test_an_enrol_client_enrols_members(people, tree):
    client_id, secret = register(people.unit, "read enrol")
    client = as_client(token(client_id, secret, scope="read enrol").json()["access_token"])
    url = f"/api/v1/organisations/{people.unit.pk}/enrolments/"
    created = client.post(url, {"email": people.learner.email, "course": tree.course.pk}, format="json")
    assert created.status_code == 201, created.json()
    assert client.get(url).json()["count"] == 1


def test_a_wrong_secret_gets_no_token_and_a_bad_token_no_access(people):
    client_id, _secret = register(people.unit, "read")
    assert token(client_id, "not the secret").status_code == 401
    bad = as_client("made-up").get(f"/api/v1/organisations/{people.unit.pk}/report/")
    assert bad.status_code in (401, 403)


def test_unknown_scopes_and_units_are_refused(people):
    with pytest.raises(CommandError):
        register(people.unit, "admin")
    people.unit.code = "nowhere"
    with pytest.raises(CommandError):
        register(people.unit, "read")
