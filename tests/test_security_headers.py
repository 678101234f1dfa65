"""Headers from the outside: a Content-Security-Policy of the site's own origin on learner and admin
pages (H5P content files keep their own sandbox policy), and personal pages kept by no cache."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PERSONAL_PAGES = ["/en/learning/", "/en/learning/notices/", "/en/learning/privacy/", "/en/certificates/"]


def policy_of(response) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in response["Content-Security-Policy"].split(";")
    }


@pytest.fixture
def learner_client(tree):
    client = Client()
    client.force_login(UserFactory(username="amina"))
    return client


def test_personal_pages_are_private_and_not_stored(learner_client):
    for path in PERSONAL_PAGES:
        response = learner_client.get(path)
        assert response.status_code == 200, path
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control, (path, response["Cache-Control"])
    export = learner_client.get("/en/learning/privacy/my-data.json")
    assert export.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in export["Cache-Control"].split(",")}


def test_learner_pages_allow_only_the_sites_own_scripts(tree, learner_client):
    for response in (learner_client.get(tree.lessons[0].url), learner_client.get("/en/learning/")):
        policy = policy_of(response)
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
        assert "'unsafe-inline'" not in policy["script-src"] and "'nonce-" in policy["script-src"]
        assert "http" not in response["Content-Security-Policy"]  # no other origin
        assert policy["frame-ancestors"] == "'self'"
    first, second = (policy_of(learner_client.get("/en/learning/"))["script-src"] for _ in range(2))
    assert first != second  # a fresh nonce per response


def test_the_public_verification_page_runs_its_inline_script_by_nonce(db):
    response = Client().get("/en/v/00000000-0000-4000-8000-000000000000")
    assert "Content-Security-Policy" in response


def test_the_admin_has_a_policy_of_its_own_origin(tree):
    client = Client()
    client.force_login(UserFactory(username="editor", is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["default-src"] == "'self'" and "http" not in response["Content-Security-Policy"]
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_a_page_of_an_lti_session_keeps_the_whole_policy_and_may_be_framed_by_its_platform(tree, learner_client):
    from lms.lti.middleware import FRAME_ORIGIN_SESSION_KEY

    session = learner_client.session
    session[FRAME_ORIGIN_SESSION_KEY] = "https://academy.example.gov.bd"
    session.save()
    response = learner_client.get(tree.lessons[0].url)
    policy = policy_of(response)
    assert policy["frame-ancestors"] == "'self' https://academy.example.gov.bd"
    assert "'nonce-" in policy["script-src"] and policy["object-src"] == "'none'"
    assert response.get("X-Frame-Options") is None
    assert policy_of(Client().get(tree.lessons[0].url))["frame-ancestors"] == "'self'"  # other browsers


@pytest.mark.parametrize("path", ["/.well-known/did.json", "/xapi/about"])
def test_public_machine_resources_do_not_vary_on_cookies(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert "cookie" not in response.get("Vary", "").lower()
