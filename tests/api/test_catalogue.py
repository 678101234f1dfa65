"""The API's catalogue and its OpenAPI schema, served from the site's own files."""

import re

import pytest

from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def test_course_list_shows_published_courses_only(client, tree):
    CoursePageFactory(parent=tree.catalogue, title="Draft course", live=False)
    response = client.get("/api/v1/courses/")
    assert response.status_code == 200
    titles = [course["title"] for course in response.json()["results"]]
    assert titles == [tree.course.title]
    course = response.json()["results"][0]
    assert course["url"] == tree.course.url
    assert course["locale"] == "en"


def test_course_list_filters_by_audience_and_language(client, tree):
    CoursePageFactory(parent=tree.catalogue, title="Phone basics", audience="citizens", language="bn")
    assert [c["title"] for c in client.get("/api/v1/courses/?audience=citizens").json()["results"]] == ["Phone basics"]
    assert [c["title"] for c in client.get("/api/v1/courses/?language=en").json()["results"]] == [tree.course.title]


def test_course_list_cannot_be_written_to(client, tree):
    assert client.post("/api/v1/courses/", {"title": "x"}).status_code in (403, 405)


def test_schema_describes_the_api_and_nothing_else(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/courses/" in schema["paths"]
    assert not any(path.startswith("/admin") for path in schema["paths"])


def test_interactive_documentation_loads_nothing_from_outside(client):
    page = client.get("/api/v1/docs/").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/static/") for source in sources)
