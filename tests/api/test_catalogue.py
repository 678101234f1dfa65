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
    assert course["url"] == "http://localhost" + tree.course.url
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


def test_course_detail_has_the_outline_of_published_lessons(client, tree):
    from tests.factories import LessonPageFactory

    LessonPageFactory(parent=tree.module, title="Draft lesson", live=False)
    body = client.get(f"/api/v1/courses/{tree.course.pk}/").json()
    assert body["title"] == tree.course.title
    assert [m["title"] for m in body["modules"]] == [tree.module.title]
    assert [lesson["title"] for lesson in body["modules"][0]["lessons"]] == [lesson.title for lesson in tree.lessons]


def test_unpublished_or_unknown_course_is_404_with_an_error_body(client, tree):
    draft = CoursePageFactory(parent=tree.catalogue, live=False)
    for url in (f"/api/v1/courses/{draft.pk}/", "/api/v1/courses/999999/", f"/api/v1/courses/{tree.module.pk}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": response.json()["message"], "field": None}


def test_an_invalid_filter_is_a_400_naming_the_parameter(client, tree):
    response = client.get("/api/v1/courses/?audience=martians")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "audience" and body["code"] == "invalid_choice"


def test_accreditation_filter(client, tree):
    from decimal import Decimal

    from tests.factories import AccreditingBodyFactory

    body = AccreditingBodyFactory(short_name="bpatc")
    accredited = CoursePageFactory(
        parent=tree.catalogue, accrediting_body=body, credit_hours=Decimal("6"), curriculum_code="X-1"
    )
    listed = client.get("/api/v1/courses/?accredited=true").json()["results"]
    assert [c["id"] for c in listed] == [accredited.pk]
    assert listed[0]["accreditation"] == {"body": body.name, "credit_hours": "6.0", "curriculum_code": "X-1"}
    assert [c["id"] for c in client.get("/api/v1/courses/?accredited=false").json()["results"]] == [tree.course.pk]
    assert [c["id"] for c in client.get("/api/v1/courses/?accrediting_body=bpatc").json()["results"]] == [accredited.pk]


def test_anonymous_clients_are_throttled_with_a_429_error_body(client, tree, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    # DRF reads the rates once, at import; the suite's settings raise them out of the way.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})
    statuses = [client.get("/api/v1/courses/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/v1/courses/").json()["code"] == "throttled"
    cache.clear()
