"""A course exported on one site is imported on another with no network: the test database here is
the first site; the second is a fresh SQLite file with its own media folder and its own signing key,
driven through manage.py in subprocesses (what an admin at a Digital Centre would run)."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.courses.course_packs import demo_course, png_bytes, rewrite_member
from tests.fresh_sites import assert_nothing_to_migrate
from tests.h5p_packages import media_folder  # noqa: F401  (the media fixture)

pytestmark = pytest.mark.django_db
REPOSITORY = Path(__file__).resolve().parents[2]
STATE = """
import json
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState
from courses.models import H5PActivity, LessonPage
pages = {}
for page in Page.objects.filter(depth__gte=3).specific().order_by("path"):
    pages[f"{page.translation_key}/{page.locale.language_code}"] = {
        "title": page.title, "live": page.live, "revisions": page.revisions.count(),
        "kind": type(page).__name__, "alias": page.alias_of_id is not None,
    }
lessons = {}
for lesson in LessonPage.objects.all():
    draft = lesson.get_latest_revision_as_object()
    lessons[f"{lesson.translation_key}/{lesson.locale.language_code}"] = [
        [block.block_type,
         str(block.value["activity"].uuid) if block.block_type == "h5p" else None,
         block.value["image"].file.read().hex() if block.block_type == "image" else None]
        for block in draft.body
    ]
print(json.dumps({
    "pages": pages, "lessons": lessons,
    "images": get_image_model().objects.count(),
    "activities": sorted(str(a.uuid) for a in H5PActivity.objects.all()),
    "in_review": WorkflowState.objects.filter(status="in_progress").count(),
}))
"""


class Site:
    """The second site: its database, media and key file under one folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"CACHE_URL", "CELERY_BROKER_URL", "PYTEST_XDIST_WORKER", "MEDIA_ROOT", "DATABASE_URL"}
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="learning_site.settings.test",
            DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
            LMS_VAR_DIR=str(folder),
            CERTIFICATION_KEY_FILE=str(folder / "keys.json"),
        )

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=REPOSITORY,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def state(self) -> dict:
        done = self.run("shell", "-c", STATE)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def files(self) -> list[str]:
        media = self.folder / "media"
        return sorted(path.relative_to(media).as_posix() for path in media.rglob("*") if path.is_file())


@pytest.fixture
def second_site(tmp_path, fresh_site_database) -> Site:
    site = Site(tmp_path / "second-site")
    copied = fresh_site_database(site.folder / "db.sqlite3")
    assert_nothing_to_migrate(site.run("migrate", "--noinput"), copied)
    done = site.run("seed_example_course")
    assert done.returncode == 0, done.stderr
    return site


def test_a_course_exported_here_is_imported_on_a_fresh_site_and_reimport_updates(
    media, settings, tmp_path, second_site, capsys
):
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "first-site-keys.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    packed = demo_course()
    pack = tmp_path / "course.zip"
    call_command("export_course", "digital-service-design", str(pack))
    signer_key = capsys.readouterr().out.split("key ")[-1].strip()

    before = second_site.state()
    files_before = second_site.files()
    refused = second_site.run("import_course", str(pack))
    assert refused.returncode != 0
    assert "a signer this site does not trust" in refused.stderr
    tampered = tmp_path / "tampered.zip"
    content = json.loads(zipfile.ZipFile(pack).read("content.json"))
    content["pages"][0]["fields"]["summary"] = "Changed on the way"
    tampered.write_bytes(rewrite_member(pack.read_bytes(), "content.json", json.dumps(content).encode()))
    altered = second_site.run("import_course", str(tampered), "--trust-signer")
    assert altered.returncode != 0 and "content.json: its checksum does not match" in altered.stderr
    assert second_site.state() == before and second_site.files() == files_before

    imported = second_site.run("import_course", str(pack), COURSES_PACK_TRUSTED_SIGNERS=signer_key)
    assert imported.returncode == 0, imported.stderr
    assert "(trusted)" in imported.stdout
    after = second_site.state()
    course_key = str(packed.course.translation_key)
    new_pages = {key: page for key, page in after["pages"].items() if key not in before["pages"]}
    assert {f"{course_key}/en", f"{course_key}/bn"} <= set(new_pages)
    assert new_pages[f"{course_key}/bn"]["title"] == "ডিজিটাল সেবা নকশা"
    assert not any(page["live"] for page in new_pages.values())  # drafts, in the accreditation review
    assert after["in_review"] == before["in_review"] + sum(not page["alias"] for page in new_pages.values())
    assert after["activities"] == sorted([*before["activities"], packed.activity_uuid])
    assert after["images"] == before["images"] + 1
    lesson_key = next(key for key in after["lessons"] if key not in before["lessons"] and key.endswith("/en"))
    blocks = after["lessons"][lesson_key]
    assert [block[0] for block in blocks] == ["heading", "paragraph", "image", "h5p"]
    assert bytes.fromhex(blocks[2][2]) == png_bytes()
    assert blocks[3][1] == packed.activity_uuid
    files_after_first = second_site.files()

    again = second_site.run("import_course", str(pack), "--trust-signer", "--publish")
    assert again.returncode == 0, again.stderr
    assert "0 page(s) created" in again.stdout
    final = second_site.state()
    assert set(final["pages"]) == set(after["pages"])
    assert final["images"] == after["images"] and final["activities"] == after["activities"]
    assert second_site.files() == files_after_first  # nothing stored twice
    assert final["pages"][f"{course_key}/en"]["live"]  # published when the admin said so
    assert final["pages"][f"{course_key}/en"]["revisions"] == after["pages"][f"{course_key}/en"]["revisions"] + 1
