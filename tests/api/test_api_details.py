"""The API as its schema says: assignments list ``enrolled``; an empty, repeated or non-numeric
``page``, an unknown query parameter and TRACE are refused with the standard error body."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.query_parameters import DeclaredQueryParameters
from api.urls import v1_patterns
from lms.services import assign_course
from tests.lms.factories import member

pytestmark = pytest.mark.django_db
#: Routes without the shared check: the xAPI resource checks its own parameters (api.xapi); the token,
#: OAuth and schema routes are not the API's resources.
OWN_CHECK = {"statements", "token", "oauth-token", "oauth-revoke", "schema", "docs"}


def test_assignments_list_how_many_each_enrolled(people, tree):
    member(people.unit, username="second")
    assign_course(organisation=people.unit, course=tree.course, due_on=timezone.localdate() + timedelta(days=9))
    response = people.client("admin").get(f"/api/v1/organisations/{people.unit.pk}/assignments/")
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["enrolled"] == 2  # the learner of the division and the new member


@pytest.mark.parametrize("query", ["page=", "page=1&page=2", "page=abc", "page=0", "page=-1", "colour=blue"])
def test_bad_query_parameters_are_a_400(people, query):
    for path in ("/api/v1/courses/", "/api/v1/me/enrolments/", "/api/v1/organisations/"):
        response = people.client("admin").get(f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.status_code)
        body = response.json()
        assert body["code"] in {"unknown_parameter", "repeated_parameter", "invalid_page"} and body["field"]


def test_declared_parameters_still_work(people, tree):
    client = people.client("learner")
    assert client.get("/api/v1/courses/?page=1&audience=citizens").status_code == 200
    assert client.get(f"/api/v1/courses/{tree.course.pk}/?colour=blue").status_code == 400


def test_every_api_resource_checks_its_query_parameters():
    for pattern in v1_patterns:
        if pattern.name not in OWN_CHECK:
            assert issubclass(pattern.callback.cls, DeclaredQueryParameters), pattern.name


def test_trace_is_refused_everywhere(tree):
    client = Client()
    for path in ("/api/v1/courses/", "/api/v1/statements/", tree.course.url, "/admin/login/"):
        response = client.generic("TRACE", path)
        assert response.status_code == 405, path
        assert response.json()["code"] == "method_not_allowed"
