"""OAuth scopes from the outside, on every operation of the schema: a token without the scope the
schema documents for an operation is refused (403), one with it is let through to the view, and every
operation an OAuth client can reach documents its scope."""

import uuid

import pytest
from rest_framework.test import APIClient

from api.authentication import ClientScopes
from api.urls import v1_patterns
from lms.models import Enrolment, Statement

from .conftest import XAPI
from .test_oauth_clients import as_client, register, token

pytestmark = pytest.mark.django_db
SCOPE_REFUSAL = ClientScopes.message
#: Routes no OAuth token is used on: they take a password or a client secret, or serve the schema.
NOT_FOR_TOKENS = {"token", "oauth-token", "oauth-revoke", "schema", "docs"}
#: The xAPI statements resource is the Learning Record Store's: learners use their session or token,
#: trusted systems an LRS client's Basic credentials with xAPI scopes (api.lrs.authentication), and an
#: organisation's OAuth token is not accepted there at all (401), whatever its scopes.
LRS_ROUTES = {"statements"}
LRS_PATHS = {"/api/v1/statements/"}


@pytest.fixture
def tokens(people):
    client_id, secret = register(people.unit, "read enrol")
    return {
        scope: as_client(token(client_id, secret, scope=scope).json()["access_token"]) for scope in ("read", "enrol")
    }


def operations(people) -> list[tuple[str, str, str]]:
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            scopes = [scope for requirement in operation.get("security", []) for scope in requirement.get("oauth2", [])]
            found.append((path, method, scopes[0] if scopes else None))
    return found


def concrete(path: str, people, tree) -> str:
    return (
        path.replace("{certificate_id}", str(uuid.uuid4()))
        .replace("organisations/{id}", f"organisations/{people.unit.pk}")
        .replace("{id}", str(tree.course.pk))
        .replace("{pk}", str(tree.course.pk))
    )


def test_every_operation_documents_the_scope_it_enforces(people, tree, tokens):
    checked = 0
    for path, method, scope in operations(people):
        if path in ("/api/v1/auth/token/",) or path in LRS_PATHS:
            continue
        assert scope in ("read", "enrol"), f"{method.upper()} {path} documents no OAuth scope"
        url = concrete(path, people, tree)
        for held, client in tokens.items():
            response = getattr(client, method)(url, data={}, format="json", headers=XAPI)
            refused = response.status_code == 403 and response.json().get("message") == SCOPE_REFUSAL
            assert refused == (held != scope), (method, path, held, response.status_code, response.content[:200])
            checked += 1
    assert checked >= 36


def test_every_api_route_an_oauth_client_can_reach_checks_scopes():
    for pattern in v1_patterns:
        if pattern.name in NOT_FOR_TOKENS or pattern.name in LRS_ROUTES:
            continue
        view = pattern.callback.cls
        assert ClientScopes in view.permission_classes, pattern.name


def test_a_read_token_cannot_enrol_nor_post_statements_and_an_enrol_token_cannot_read_statements(people, tree, tokens):
    statement = {
        "actor": {"objectType": "Agent", "mbox": "mailto:hr@example.gov.bd"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"objectType": "Activity", "id": "https://example.gov.bd/a"},
    }
    read, enrol = tokens["read"], tokens["enrol"]
    assert read.post("/api/v1/me/enrolments/", {"course": tree.course.pk}, format="json").status_code == 403
    assert read.post("/api/v1/statements/", statement, format="json", headers=XAPI).status_code == 401
    assert enrol.get("/api/v1/statements/", headers=XAPI).status_code == 401
    assert read.get("/api/v1/statements/", headers=XAPI).status_code == 401  # the LRS takes no OAuth token
    assert enrol.get("/api/v1/me/certificates/").status_code == 403
    assert not Enrolment.objects.exists() and not Statement.objects.exists()
