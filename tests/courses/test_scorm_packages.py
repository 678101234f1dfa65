"""SCORM packages: the real ones import, every invalid one is refused by name with nothing stored, the
archive and the manifest are hardened, and the files are served from the package's path, locked down."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.archives import PackageRefused
from courses.models import ScormPackage
from courses.scorm.services import PackageInUse, delete_package, import_package
from tests.factories import LessonPageFactory, UserFactory
from tests.h5p_packages import media_folder, storage_listing  # noqa: F401  (the media fixture)
from tests.scorm_packages import (
    INVALID,
    REAL,
    SAMPLES,
    database_listing,
    package_files,
    real_package,
    require_samples,
    scorm_block,
    write_package,
)

pytestmark = pytest.mark.django_db

EXPECTED_REFUSALS = {
    "badscorm.zip": "imsmanifest.xml is at badscorm/imsmanifest.xml, not at the root of the archive",
    "invalid.zip": "there is no imsmanifest.xml at the root of the archive",
    "validaicc.zip": "this is an AICC course (moodle.cst), not a SCORM package",
    "validscorm.zip": "imsmanifest.xml: the manifest is empty: it has no organization and no launchable resource",
}


def assert_refused(path, media, expected: list[str]):
    before = storage_listing(media), database_listing()
    with pytest.raises(PackageRefused) as refused:
        import_package(path, name=path.name)
    for text in expected:
        assert text in str(refused.value)
    assert (storage_listing(media), database_listing()) == before, "a refused package stores nothing"
    return refused.value


def test_the_real_packages_are_present_beside_the_checkout():
    require_samples()
    assert {path.name for path in REAL} >= {"singlescobasic.zip", "singlesco_scorm12.zip"}, SAMPLES
    assert {path.name for path in INVALID} == set(EXPECTED_REFUSALS)


@pytest.mark.parametrize(
    "name,version",
    [
        ("singlescobasic.zip", "1.2"),
        ("singlesco_scorm12.zip", "1.2"),
        ("RuntimeBasicCalls_SCORM20043rdEdition.zip", "2004"),
    ],
)
def test_every_real_package_imports_with_its_sco(media, name, version):
    package = import_package(real_package(name), name=name)
    assert package.version == version
    assert [sco["href"] for sco in package.scos] == ["shared/launchpage.html"]
    assert (media / package.folder / "shared" / "launchpage.html").is_file()
    assert (media / package.folder / "imsmanifest.xml").is_file()


@pytest.mark.parametrize("name", sorted(EXPECTED_REFUSALS))
def test_every_invalid_package_is_refused_with_its_own_message(media, name):
    require_samples()
    assert_refused(SAMPLES / "invalid" / name, media, [EXPECTED_REFUSALS[name]])


def test_the_command_prints_one_line_per_refused_file_and_fails(media, capsys):
    require_samples()
    files = [str(path) for path in INVALID] + [str(real_package("singlescobasic.zip"))]
    with pytest.raises(CommandError, match="4 of 5 file"):
        call_command("import_scorm", *files)
    out, err = capsys.readouterr()
    assert [line.split(":")[0] for line in err.strip().splitlines()] == [f"refused  {path.name}" for path in INVALID]
    assert out.startswith("imported singlescobasic.zip: Golf Explained - Run-time Basic Calls (id ")
    assert ScormPackage.objects.count() == 1


def test_a_dry_run_stores_nothing(media, capsys):
    path = write_package(media.parent, package_files(version="2004"), name="small.zip")
    before = storage_listing(media)
    call_command("import_scorm", "--dry-run", str(path))
    assert capsys.readouterr().out.strip() == "valid    small.zip: A small module (SCORM 2004, 1 SCO)"
    assert storage_listing(media) == before and not ScormPackage.objects.exists()


def test_scos_are_kept_in_manifest_order_with_item_titles(media):
    files = package_files(scos=(("b", "two/index.html"), ("a", "one/index.html"), ("c", "three.html?page=2")))
    package = import_package(write_package(media.parent, files), name="three.zip")
    assert [(sco["identifier"], sco["title"], sco["href"]) for sco in package.scos] == [
        ("b", "Part b", "two/index.html"),
        ("a", "Part a", "one/index.html"),
        ("c", "Part c", "three.html?page=2"),
    ]


@pytest.mark.parametrize(
    "files,expected",
    [
        ({"../evil.html": b"x"}, "../evil.html: unsafe path"),
        ({"run.exe": b"MZ"}, "run.exe: the extension 'exe' is not on the SCORM allow list"),
        ({"page.php": b"<?php"}, "page.php: the extension 'php' is not on the SCORM allow list"),
        ({"bomb.txt": b"0" * 2_000_000}, "bomb.txt: compressed more than 100 to 1"),
        ({"image.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'}, "event handler attribute"),
    ],
)
def test_the_archive_goes_through_the_same_hardening_as_h5p(media, files, expected):
    assert_refused(write_package(media.parent, {**package_files(), **files}), media, [expected])


def test_a_symbolic_link_is_refused(media):
    path = write_package(media.parent, package_files(), symlinks={"link.html": "/etc/passwd"})
    assert_refused(path, media, ["link.html: symbolic links are not allowed"])


@pytest.mark.parametrize(
    "extra,expected",
    [
        (
            '<!DOCTYPE manifest [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
            "imsmanifest.xml: entities and external references are refused",
        ),
        (
            '<!DOCTYPE manifest [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>',
            "imsmanifest.xml: entities and external references are refused",
        ),
    ],
)
def test_the_manifest_parser_expands_no_entity_and_fetches_nothing(media, extra, expected):
    assert_refused(write_package(media.parent, package_files(extra=extra)), media, [expected])


def test_no_launchable_sco_missing_launch_file_and_unknown_version_are_refused_by_name(media):
    files = package_files()
    files["imsmanifest.xml"] = files["imsmanifest.xml"].replace(b'scormtype="sco"', b'scormtype="asset"')
    assert_refused(write_package(media.parent, files), media, ["the manifest has no launchable SCO"])
    missing = package_files()
    del missing["index.html"]
    assert_refused(write_package(media.parent, missing), media, ["launches 'index.html', which is not in the package"])
    other = package_files()
    other["imsmanifest.xml"] = (
        other["imsmanifest.xml"].replace(b"<schemaversion>1.2", b"<schemaversion>1.1").replace(b"v1p2", b"v1p1")
    )
    assert_refused(write_package(media.parent, other), media, ["SCORM version '1.1' is not supported"])
    broken = {"imsmanifest.xml": b"<manifest><organizations>", "index.html": b"x"}
    assert_refused(write_package(media.parent, broken), media, ["imsmanifest.xml: is not well-formed XML"])


def test_files_are_served_from_the_package_path_with_locked_down_headers(client, media):
    package = import_package(write_package(media.parent, {**package_files(), "data.json": b"{}"}), name="p.zip")
    page = client.get(f"/scorm/{package.uuid}/index.html")
    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["X-Frame-Options"] == "SAMEORIGIN"
    assert page["Cross-Origin-Resource-Policy"] == "same-origin"
    policy = page["Content-Security-Policy"]
    assert "connect-src 'none'" in policy and "frame-ancestors 'self'" in policy and "form-action 'none'" in policy
    assert client.get(f"/scorm/{package.uuid}/data.json")["Content-Type"] == "application/json"
    for missing in ("imsmanifest.xml", "nothing.html", "../../etc/passwd", "index.php"):
        assert client.get(f"/scorm/{package.uuid}/{missing}").status_code == 404
    assert client.get("/scorm/00000000-0000-4000-8000-000000000000/index.html").status_code == 404


def test_a_trainer_uploads_in_the_admin_and_a_refusal_names_the_rule(client, media):
    require_samples()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("scorm_admin:upload")
    assert client.get(url).status_code == 200
    with (SAMPLES / "invalid" / "validaicc.zip").open("rb") as handle:
        refused = client.post(url, {"package": handle})
    assert refused.status_code == 400
    assert "this is an AICC course (moodle.cst), not a SCORM package" in refused.content.decode()
    assert not ScormPackage.objects.exists()
    with real_package("singlescobasic.zip").open("rb") as handle:
        accepted = client.post(url, {"package": handle, "title": "Golf"})
    package = ScormPackage.objects.get()
    assert accepted.status_code == 302 and package.title == "Golf"
    assert client.get(accepted.url).status_code == 200
    assert client.get(reverse("wagtailsnippets_courses_scormpackage:list")).status_code == 200


def test_a_package_a_lesson_places_cannot_be_deleted(media, tree):
    package = import_package(write_package(media.parent, package_files()), name="p.zip")
    LessonPageFactory(parent=tree.module, body=[scorm_block(package)])
    with pytest.raises(PackageInUse):
        delete_package(package=package)
