"""Offline lessons on the server side (docs/offline.md): the service worker at the root, the manifest,
what "Save for offline" lists for a module or a course, and who is signed in for the outbox."""

import io
import uuid

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.h5p.packaging import knowledge_check_package
from courses.h5p.services import import_package
from courses.offline.learners import learner_key
from tests.factories import LessonPageFactory, ModulePageFactory, UserFactory
from tests.h5p_packages import media_folder  # noqa: F401  (the media fixture)

pytestmark = pytest.mark.django_db


def listing(client, page) -> dict:
    response = client.get(f"/offline/files/{page.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def h5p_lesson(module):
    package = knowledge_check_package(
        title="Check", question="q?", choices=[{"text": "a", "correct": True}, {"text": "b"}]
    )
    activity = import_package(io.BytesIO(package), name="check.h5p")
    block = {"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}}
    return LessonPageFactory(parent=module, body=[block]), activity


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert b"learning-offline-v1" in response.content
    assert client.post("/sw.js").status_code == 405


def test_the_manifest_is_in_the_pages_language_and_unknown_languages_are_not_found(client):
    response = client.get("/offline/manifest/bn.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["lang"] == "bn" and manifest["start_url"] == "/bn/" and manifest["scope"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL))
    assert client.get("/offline/manifest/xx.webmanifest").status_code == 404  # no redirect to /en/


def test_every_page_names_its_manifest_worker_and_learner(tree, client):
    learner = UserFactory(username="amina")
    client.force_login(learner)
    html = client.get(tree.lessons[0].url).content.decode()
    assert 'rel="manifest" href="/offline/manifest/en.webmanifest"' in html
    assert f'<meta name="learning-learner" content="{learner_key(learner)}">' in html
    assert 'data-service-worker="/sw.js"' in html
    assert 'data-outbox="check"' in html
    policy = client.get(tree.lessons[0].url)["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_switched_off_the_pages_carry_nothing_of_it(tree, client, settings):
    settings.COURSES_OFFLINE_LESSONS = False
    html = client.get(tree.module.url).content.decode()
    assert "offline.js" not in html and "data-offline-save" not in html and 'rel="manifest"' not in html


def test_a_module_lists_its_pages_and_files_each_once_with_their_sizes(tree, client, media):
    lesson, activity = h5p_lesson(tree.module)
    data = listing(client, tree.module)
    assert data["title"] == tree.module.title and data["language"] == "en"
    assert data["pages"][:2] == [tree.course.url, tree.module.url]
    assert [url for url in data["pages"] if url not in (tree.course.url, tree.module.url)][:-1] == [
        page.url for page in (*tree.lessons, lesson)
    ]
    assert data["pages"][-1] == "/offline/not-saved/en/"
    urls = [file["url"] for file in data["files"]]
    assert len(urls) == len(set(urls))
    assert f"/h5p/content/{activity.uuid}/h5p.json" in urls
    assert f"/h5p/content/{activity.uuid}/content/content.json" in urls
    library_files = [url for url in urls if url.startswith("/h5p/libraries/")]
    assert library_files and all(client.get(url).status_code == 200 for url in library_files)
    assert all(file["bytes"] > 0 for file in data["files"] if file["url"].startswith("/h5p/"))
    assert data["bytes"] >= sum(file["bytes"] for file in data["files"])
    assert any(url.endswith("site.css") for url in urls) and any(url.endswith("offline.js") for url in urls)


def test_a_bengali_module_brings_the_bengali_font_and_an_english_one_does_not(tree, client):
    from tests.factories import translate

    english = [file["url"] for file in listing(client, tree.module)["files"]]
    bengali_module = translate(tree.module, "bn")
    bengali = [file["url"] for file in listing(client, bengali_module)["files"]]
    assert not any("noto-sans-bengali" in url for url in english)
    assert any("noto-sans-bengali" in url for url in bengali)


def test_a_course_lists_every_module_and_lesson(tree, client):
    second = ModulePageFactory(parent=tree.course)
    extra = LessonPageFactory(parent=second)
    pages = listing(client, tree.course)["pages"]
    assert {tree.module.url, second.url, extra.url, *(lesson.url for lesson in tree.lessons)} <= set(pages)


def test_only_what_the_reader_may_read_is_listed(tree, client):
    draft = LessonPageFactory(parent=tree.module, live=False)
    assert draft.url not in listing(client, tree.module)["pages"] if draft.url else True
    for missing in (tree.lessons[0].pk, 999_999):  # a lesson is not a module or a course
        response = client.get(f"/offline/files/{missing}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    restricted = ModulePageFactory(parent=tree.course)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/offline/files/{restricted.pk}/").status_code == 404
    client.force_login(UserFactory(username="member"))
    assert client.get(f"/offline/files/{restricted.pk}/").status_code == 200
    tree.module.unpublish()
    assert client.get(f"/offline/files/{tree.module.pk}/").status_code == 404


def test_the_listing_costs_the_same_queries_for_more_lessons(tree, client):
    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            listing(client, tree.module)
        return len(captured)

    listing(client, tree.module)  # the site's root paths and view restrictions, cached from now on
    few = cost()
    for _ in range(4):
        LessonPageFactory(parent=tree.module)
    assert cost() == few


def test_the_not_saved_page_speaks_the_readers_language(client):
    response = client.get("/offline/not-saved/bn/")
    assert response.status_code == 200
    assert '<html lang="bn">' in response.content.decode()
    assert "data-offline-saved-list" in response.content.decode()
    assert client.get("/offline/not-saved/xx/").status_code == 404


def test_the_session_names_the_learner_signed_in_now_and_nobody_else(client):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    anonymous = client.get("/offline/session/")
    assert anonymous.json()["learner"] == "" and anonymous.json()["csrfToken"]
    assert "no-store" in anonymous["Cache-Control"]
    client.force_login(first)
    assert client.get("/offline/session/").json()["learner"] == learner_key(first)
    client.force_login(second)
    assert client.get("/offline/session/").json()["learner"] == learner_key(second) != learner_key(first)
    assert len(learner_key(first)) == 32


def test_the_session_token_is_one_the_site_accepts(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="amina"))
    token = client.get("/offline/session/").json()["csrfToken"]
    lesson = tree.lessons[0]
    block = next(block for block in lesson.body if block.block_type == "knowledge_check")
    response = client.post(
        f"{lesson.url}check/{block.id}/", {"choice": "1"}, HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json() == {"correct": True}
