"""Libraries are stored once and shared; a newer patch replaces the older; activities in use cannot be deleted."""

import uuid

import pytest
from django.core.management import CommandError, call_command

from courses.h5p.services import ActivityInUse, delete_activity, import_package
from courses.models import H5PActivity, H5PLibrary
from tests.factories import LessonPageFactory
from tests.h5p_packages import (
    INVALID,
    REAL,
    database_listing,
    media_folder,  # noqa: F401  (the media fixture)
    package_files,
    real_package,
    storage_listing,
    write_package,
)

pytestmark = pytest.mark.django_db


def test_the_same_library_in_two_packages_is_stored_once(media):
    first = import_package(write_package(media.parent, "a.h5p", package_files(title="First")), name="a.h5p")
    files_after_first = [name for name in storage_listing(media) if name.startswith("h5p/libraries/")]
    second = import_package(write_package(media.parent, "b.h5p", package_files(title="Second")), name="b.h5p")
    assert H5PLibrary.objects.count() == 1
    assert [name for name in storage_listing(media) if name.startswith("h5p/libraries/")] == files_after_first
    assert first.libraries.get() == second.libraries.get()


def test_real_packages_share_their_common_libraries(media):
    multichoice = import_package(real_package("H5P.MultiChoice.h5p"), name="H5P.MultiChoice.h5p")
    libraries = H5PLibrary.objects.count()
    truefalse = import_package(real_package("H5P.TrueFalse.h5p"), name="H5P.TrueFalse.h5p")
    shared = set(multichoice.libraries.all()) & set(truefalse.libraries.all())
    assert {library.machine_name for library in shared} >= {"H5P.Question", "H5P.JoubelUI", "FontAwesome"}
    assert H5PLibrary.objects.count() < libraries + truefalse.libraries.count()


def test_a_newer_patch_replaces_the_older_and_an_older_one_changes_nothing(media, django_capture_on_commit_callbacks):
    import_package(write_package(media.parent, "p1.h5p", package_files(patch=1)), name="p1.h5p")
    old_folder = H5PLibrary.objects.get().folder
    with django_capture_on_commit_callbacks(execute=True):
        import_package(write_package(media.parent, "p3.h5p", package_files(patch=3)), name="p3.h5p")
    library = H5PLibrary.objects.get()
    assert library.patch_version == 3
    assert not any(name.startswith(old_folder) for name in storage_listing(media))
    assert (media / library.folder / "card.js").read_text().startswith("/* patch 3 */")
    before = storage_listing(media)
    import_package(write_package(media.parent, "p2.h5p", package_files(patch=2)), name="p2.h5p")
    assert H5PLibrary.objects.get().patch_version == 3
    assert [n for n in storage_listing(media) if "libraries" in n] == [n for n in before if "libraries" in n]


def test_deleting_an_activity_a_lesson_uses_is_refused_with_the_lessons(
    media, tree, django_capture_on_commit_callbacks
):
    activity = import_package(write_package(media.parent, "a.h5p", package_files()), name="a.h5p")
    lesson = LessonPageFactory(
        parent=tree.module,
        title="Using <b>H5P</b>",
        body=[{"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}}],
    )
    with pytest.raises(ActivityInUse) as refused:
        delete_activity(activity=activity)
    assert refused.value.lessons == [lesson]
    assert "Using <b>H5P</b> (en)" in str(refused.value)
    assert H5PActivity.objects.filter(pk=activity.pk).exists()

    unused = import_package(write_package(media.parent, "b.h5p", package_files(title="Unused")), name="b.h5p")
    with django_capture_on_commit_callbacks(execute=True):
        delete_activity(activity=unused)
    assert not H5PActivity.objects.filter(pk=unused.pk).exists()
    assert not any(str(unused.uuid) in name for name in storage_listing(media))


def test_import_h5p_command_imports_and_reports_each_refused_file(media, capsys):
    good = write_package(media.parent, "good.h5p", package_files(title="Good"))
    bad = media.parent / "bad.h5p"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("import_h5p", str(good), str(bad))
    out, err = capsys.readouterr()
    assert "imported good.h5p: Good" in out
    assert err.strip() == "refused  bad.h5p: bad.h5p: not a zip archive (an .h5p file is a zip archive)"
    assert H5PActivity.objects.get().title == "Good"


def test_import_h5p_dry_run_stores_nothing(media, capsys):
    good = write_package(media.parent, "good.h5p", package_files(title="Good"))
    before = (storage_listing(media), database_listing())
    call_command("import_h5p", "--dry-run", str(good))
    assert "valid    good.h5p: Good (1 libraries)" in capsys.readouterr().out
    assert (storage_listing(media), database_listing()) == before


def test_import_h5p_over_the_real_folders(media, capsys):
    real_package("valid2.h5p")
    with pytest.raises(CommandError, match=f"{len(INVALID)} of {len(REAL) + len(INVALID)} file"):
        call_command("import_h5p", *map(str, REAL + INVALID))
    out, err = capsys.readouterr()
    assert out.count("imported ") == len(REAL)
    assert err.count("refused  ") == len(INVALID)
    assert H5PActivity.objects.count() == len(REAL)
