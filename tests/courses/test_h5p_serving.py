"""Stored H5P files are served with nosniff and a sandboxing content security policy, and nothing else is."""

import json

import pytest

from courses.h5p.services import import_package
from tests.h5p_packages import media_folder, package_files, write_package  # noqa: F401  (the media fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(media):
    files = {
        **package_files(),
        "content/images/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>',
    }
    return import_package(write_package(media.parent, "a.h5p", files), name="a.h5p")


def assert_locked_down(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "script-src" not in policy


def test_content_files_are_served_with_safe_headers(client, activity):
    response = client.get(f"/h5p/content/{activity.uuid}/content/content.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert_locked_down(response)
    svg = client.get(f"/h5p/content/{activity.uuid}/content/images/logo.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert_locked_down(svg)
    assert json.loads(b"".join(client.get(f"/h5p/content/{activity.uuid}/h5p.json").streaming_content))["title"] == (
        "A test card"
    )


def test_library_files_are_served_by_major_minor_folder(client, activity):
    response = client.get("/h5p/libraries/Test.Card-1.0/card.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert_locked_down(response)
    library = client.get("/h5p/libraries/Test.Card-1.0/library.json")
    assert json.loads(b"".join(library.streaming_content))["machineName"] == "Test.Card"


@pytest.mark.parametrize(
    "url",
    [
        "/h5p/libraries/Test.Card-1.0/missing.js",
        "/h5p/libraries/Test.Card-9.9/card.js",
        "/h5p/libraries/not-a-folder/card.js",
        "/h5p/libraries/Test.Card-1.0/../../../settings.py",
        "/h5p/libraries/Test.Card-1.0/card.php",
        "/h5p/content/00000000-0000-0000-0000-000000000000/h5p.json",
    ],
)
def test_anything_else_is_not_found(client, activity, url):
    assert client.get(url).status_code == 404


def test_content_outside_the_content_folder_is_not_served(client, activity):
    assert client.get(f"/h5p/content/{activity.uuid}/other.json").status_code == 404
    assert client.get(f"/h5p/content/{activity.uuid}/content/%2e%2e/h5p.json").status_code == 404
    assert client.post(f"/h5p/content/{activity.uuid}/h5p.json").status_code == 405
