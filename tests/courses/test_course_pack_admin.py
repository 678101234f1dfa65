"""The admin's pack import, from the outside: administrators only, a preview naming the signer, a
confirmation for an untrusted one, refusals named in the reader's language with nothing kept."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile

from courses.models import CoursePage
from courses.packs.export import build_pack
from tests.courses.course_packs import demo_course, rewrite_member
from tests.courses.test_course_packs import a_stranger, snapshot
from tests.factories import ReviewerFactory, TrainerFactory
from tests.h5p_packages import media_folder, storage_listing  # noqa: F401  (the media fixture)

pytestmark = pytest.mark.django_db
UPLOAD = reverse("course_packs_admin:upload")
CONFIRM = reverse("course_packs_admin:confirm")


@pytest.fixture
def stranger_pack(media, settings, tmp_path):
    """A pack from another site: the course is built, packed by a stranger, then removed here."""
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "keys.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    packed = demo_course()
    pack = build_pack(packed.course, signer=a_stranger())
    for course in CoursePage.objects.filter(translation_key=packed.course.translation_key):
        course.delete()
    return pack


def upload(client, data: bytes, name="course.zip"):
    return client.post(UPLOAD, {"pack": SimpleUploadedFile(name, data, content_type="application/zip")})


def pending(media) -> list[str]:
    return [name for name in storage_listing(media) if name.startswith("course-packs/pending/") and "." in name]


@pytest.mark.parametrize("role", [TrainerFactory, ReviewerFactory])
def test_people_who_are_not_administrators_get_403_and_no_menu_item(client, media, role):
    client.force_login(role())
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, b"PK\x03\x04").status_code == 403
    assert client.post(CONFIRM, {"token": "abc"}).status_code == 403
    assert UPLOAD not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "login" in response.url


def test_an_administrator_previews_confirms_the_signer_and_imports_drafts(client, admin_user, stranger_pack, media):
    client.force_login(admin_user)
    assert UPLOAD in client.get(reverse("wagtailadmin_home")).content.decode()
    before = Page.objects.count()
    preview = upload(client, stranger_pack)
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "https://elsewhere.example" in text and "does not trust this signer" in text
    assert "Digital service design" in text and 'lang="bn"' in text
    assert Page.objects.count() == before  # a preview changes nothing
    token = preview.context["form"]["token"].value()

    unconfirmed = client.post(CONFIRM, {"token": token})
    assert unconfirmed.status_code == 400
    assert "Confirm that you accept this signer" in unconfirmed.content.decode()
    assert Page.objects.count() == before

    done = client.post(CONFIRM, {"token": token, "trust_signer": "on"})
    assert done.status_code == 302
    courses = CoursePage.objects.filter(slug="digital-service-design")
    assert {course.locale.language_code for course in courses} == {"en", "bn"}
    assert not any(course.live for course in courses)
    assert all(course.workflow_in_progress for course in courses)
    assert pending(media) == []
    assert client.post(CONFIRM, {"token": token, "trust_signer": "on"}).status_code == 400  # used once


def test_a_tampered_pack_is_refused_by_name_and_nothing_is_kept(client, admin_user, stranger_pack, media):
    client.force_login(admin_user)
    content = json.loads(zipfile.ZipFile(io.BytesIO(stranger_pack)).read("content.json"))
    content["pages"][0]["fields"]["title"] = "Changed"
    before = snapshot(media)
    response = upload(client, rewrite_member(stranger_pack, "content.json", json.dumps(content).encode()))
    assert response.status_code == 400
    assert "content.json: its checksum does not match the manifest" in response.content.decode()
    assert snapshot(media) == before and pending(media) == []


def test_refusals_speak_the_administrators_language(client, admin_user, media):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "bn"
    profile.save()
    client.force_login(admin_user)
    response = upload(client, b"this is not a zip archive")
    assert response.status_code == 400
    assert "zip আর্কাইভ নয়" in response.content.decode()
    assert pending(media) == []
