"""Course packs on one site: export, re-import updates the same pages, and every bad pack is refused
by name having changed nothing (no page, no row, no file)."""

import base64
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, WorkflowState

from courses.archives import PackageRefused
from courses.h5p.services import delete_folder
from courses.models import CoursePage, H5PActivity, LessonPage
from courses.packs.export import build_pack, find_course
from courses.packs.importing import import_pack
from courses.packs.reading import UntrustedSigner, open_pack
from courses.packs.signing import PackSigner, encode_private_key
from tests.courses.course_packs import demo_course, resign, rewrite_member
from tests.h5p_packages import media_folder, storage_listing  # noqa: F401  (the media fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_key(settings, tmp_path):
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "keys" / "site.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True


@pytest.fixture
def packed(media, site_key):
    return demo_course()


def a_stranger() -> PackSigner:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return PackSigner(name="https://elsewhere.example", private_key=Ed25519PrivateKey.generate())


def snapshot(media) -> dict:
    return {
        "pages": sorted(Page.objects.values_list("pk", "title", "live", "latest_revision_id")),
        "activities": sorted(str(uuid) for uuid in H5PActivity.objects.values_list("uuid", flat=True)),
        "workflows": WorkflowState.objects.count(),
        "files": storage_listing(media),
    }


def test_the_course_is_found_by_its_slug_in_any_language_or_its_id(packed):
    assert find_course("digital-service-design") == packed.course
    assert find_course(str(packed.bengali.pk)) == packed.bengali
    assert find_course(packed.bengali.slug).translation_key == packed.course.translation_key


def test_the_pack_lists_every_member_with_its_checksum_and_is_signed(packed):
    pack = build_pack(packed.course)
    archive = zipfile.ZipFile(io.BytesIO(pack))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "learning-suite/course-pack" and manifest["version"] == 1
    names = set(archive.namelist()) - {"manifest.json", "manifest.sig"}
    assert set(manifest["members"]) == names
    for name in names:
        assert hashlib.sha256(archive.read(name)).hexdigest() == manifest["members"][name]
    content = json.loads(archive.read("content.json"))
    assert {(page["kind"], page["locale"]) for page in content["pages"]} >= {("course", "en"), ("course", "bn")}
    assert [item["uuid"] for item in content["h5p"]] == [packed.activity_uuid]
    assert len(content["images"]) == 1 and len(content["documents"]) == 1
    opened = open_pack(io.BytesIO(pack), name="pack.zip")
    assert opened.trusted


def test_importing_the_sites_own_pack_again_updates_the_same_pages(packed, media):
    pack = build_pack(packed.course)
    pages_before = Page.objects.count()
    result = import_pack(io.BytesIO(pack), name="pack.zip")
    assert result.plan.creates == 0
    assert {page.action for page in result.plan.pages} == {"update", "alias"}  # the Bengali module is an alias
    assert Page.objects.count() == pages_before
    assert H5PActivity.objects.count() == 1
    lesson = LessonPage.objects.get(slug="meet-the-users", locale__language_code="en")
    draft = lesson.get_latest_revision_as_object()
    assert [block.block_type for block in draft.body] == ["heading", "paragraph", "image", "h5p"]
    assert draft.body[2].value["image"].pk == packed.image_id
    assert f'id="{packed.document_id}"' in draft.body[1].value.source
    assert lesson.workflow_in_progress  # a draft in the accreditation review


def test_a_pack_altered_after_signing_is_refused_and_changes_nothing(packed, media):
    pack = build_pack(packed.course)
    content = json.loads(zipfile.ZipFile(io.BytesIO(pack)).read("content.json"))
    content["pages"][0]["fields"]["title"] = "Hijacked"
    altered = rewrite_member(pack, "content.json", json.dumps(content).encode())
    before = snapshot(media)
    with pytest.raises(PackageRefused, match="content.json: its checksum does not match"):
        import_pack(io.BytesIO(altered), name="pack.zip")
    assert snapshot(media) == before


def test_a_manifest_altered_after_signing_is_refused(packed, media):
    pack = build_pack(packed.course)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(pack)).read("manifest.json"))
    manifest["course"]["titles"]["en"] = "Hijacked"
    altered = rewrite_member(pack, "manifest.json", json.dumps(manifest).encode())
    with pytest.raises(PackageRefused, match="manifest.sig: the signature does not match"):
        import_pack(io.BytesIO(altered), name="pack.zip")


def test_a_truncated_pack_is_refused(packed, media):
    pack = build_pack(packed.course)
    before = snapshot(media)
    with pytest.raises(PackageRefused, match="pack.zip: the pack is truncated"):
        import_pack(io.BytesIO(pack[: len(pack) // 2]), name="pack.zip")
    missing = rewrite_member(pack, next(n for n in zipfile.ZipFile(io.BytesIO(pack)).namelist() if "h5p/" in n), None)
    with pytest.raises(PackageRefused, match="listed in the manifest but missing: the pack is truncated"):
        import_pack(io.BytesIO(missing), name="pack.zip")
    assert snapshot(media) == before


def test_a_pack_of_another_version_is_refused(packed, media):
    signer = a_stranger()
    pack = build_pack(packed.course, signer=signer)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(pack)).read("manifest.json"))
    manifest["version"] = 2
    data = json.dumps(manifest).encode()
    resigned = rewrite_member(
        rewrite_member(pack, "manifest.json", data), "manifest.sig", base64.b64encode(signer.sign(data))
    )
    with pytest.raises(PackageRefused, match="pack format version 2, which this site cannot read"):
        import_pack(io.BytesIO(resigned), name="pack.zip", trust=True)


@pytest.mark.parametrize(
    ("member", "rule"),
    [
        ("../escape.json", "unsafe path"),
        ("images/payload.exe", "is not on the pack's images"),
        ("scripts/run.sh", "is not on the pack's layout"),
    ],
)
def test_a_hostile_member_is_refused_by_the_shared_archive_rules(packed, media, member, rule):
    pack = rewrite_member(build_pack(packed.course), member, b"#!/bin/sh\n")
    before = snapshot(media)
    with pytest.raises(PackageRefused, match=rule):
        import_pack(io.BytesIO(pack), name="pack.zip")
    assert snapshot(media) == before


def test_an_untrusted_signer_is_refused_unless_confirmed_or_configured(packed, media, settings):
    stranger = a_stranger()
    pack = build_pack(packed.course, signer=stranger)
    with pytest.raises(UntrustedSigner, match="https://elsewhere.example .* a signer this site does not trust"):
        import_pack(io.BytesIO(pack), name="pack.zip")
    assert import_pack(io.BytesIO(pack), name="pack.zip", trust=True).plan.trusted is False
    settings.COURSES_PACK_TRUSTED_SIGNERS = [stranger.public_key]
    assert open_pack(io.BytesIO(pack), name="pack.zip").trusted


def test_a_refusal_during_the_import_rolls_back_every_page_and_file(packed, media):
    """A slug another page already holds in the Bengali catalogue: found only while writing pages,
    after the H5P activity and the image were stored; all of it goes."""
    stranger = a_stranger()
    pack = build_pack(packed.course, signer=stranger)
    for activity in H5PActivity.objects.all():
        delete_folder(activity.folder)
        activity.delete()
    CoursePage.objects.filter(locale__language_code="bn").delete()
    bengali_catalogue = Page.objects.get(depth=2, locale__language_code="bn").specific
    from tests.factories import CoursePageFactory

    CoursePageFactory(parent=bengali_catalogue, slug="digital-service-design")
    before = snapshot(media)
    with pytest.raises(PackageRefused, match="course “ডিজিটাল সেবা নকশা” \\(bn\\)"):
        import_pack(io.BytesIO(pack), name="pack.zip", trust=True)
    assert snapshot(media) == before


def test_the_commands_export_and_import_with_their_refusals(packed, media, tmp_path, capsys):
    target = tmp_path / "course.zip"
    call_command("export_course", "digital-service-design", str(target))
    assert "signed by did:web:" in capsys.readouterr().out
    call_command("import_course", str(target), "--publish")
    out = capsys.readouterr().out
    assert "0 page(s) created" in out and "update course bn" in out
    target.write_bytes(target.read_bytes()[:100])
    with pytest.raises(CommandError, match="refused; nothing changed"):
        call_command("import_course", str(target))
    assert "the pack is truncated" in capsys.readouterr().err


def test_exporting_an_unknown_course_says_so(tmp_path):
    with pytest.raises(CommandError, match="no course has the id or slug 'nothing-here'"):
        call_command("export_course", "nothing-here", str(tmp_path / "never.zip"))
    assert list(tmp_path.iterdir()) == []


def test_the_default_signer_reads_its_key_from_a_setting(packed, settings):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from courses.packs.signing import site_signer

    key = Ed25519PrivateKey.generate()
    settings.COURSES_PACK_SIGNER = "courses.packs.signing.signer_from_settings"
    settings.COURSES_PACK_SIGNING_KEY = encode_private_key(key)
    signer = site_signer()
    assert signer.public_key == PackSigner(name="", private_key=key).public_key
    assert open_pack(io.BytesIO(build_pack(packed.course)), name="p.zip").signer_key == signer.public_key


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (lambda content: content["images"][0].update(file="images/elsewhere.png"), "named in content.json but not"),
        (lambda content: content["images"][0].pop("sha1"), "content.json is malformed"),
        (lambda content: content["pages"][-1].update(kind="quiz"), "not a course, module or lesson record"),
        (lambda content: content["pages"][0].update(locale="fr"), "the language 'fr' is not one of this site's"),
        (lambda content: content["pages"][-1]["fields"].update(body={"not": "a stream"}), "not a lesson body"),
    ],
)
def test_a_signed_pack_with_broken_content_is_refused_and_changes_nothing(packed, media, change, refusal):
    signer = a_stranger()
    pack = build_pack(packed.course, signer=signer)
    content = json.loads(zipfile.ZipFile(io.BytesIO(pack)).read("content.json"))
    change(content)
    broken = resign(pack, signer, "content.json", json.dumps(content).encode())
    before = snapshot(media)
    with pytest.raises(PackageRefused, match=refusal):
        import_pack(io.BytesIO(broken), name="pack.zip", trust=True)
    assert snapshot(media) == before
