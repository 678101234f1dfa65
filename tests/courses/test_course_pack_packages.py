"""H5P activities and SCORM packages travel in a pack and come back as they were: the same uuid, the
same content files, libraries stored again, each through its own validation."""

import io
import uuid

import pytest

from courses.h5p.services import delete_folder
from courses.h5p.services import import_package as import_h5p
from courses.models import CoursePage, H5PActivity, H5PLibrary, LessonPage, ScormPackage
from courses.packs.export import build_pack, storage_files
from courses.packs.importing import import_pack
from courses.scorm.services import import_package as import_scorm
from tests.courses.test_course_packs import a_stranger
from tests.factories import CataloguePageFactory, CoursePageFactory, LessonPageFactory, ModulePageFactory
from tests.h5p_packages import media_folder, real_package  # noqa: F401  (the media fixture)
from tests.scorm_packages import build_zip, package_files, scorm_block

pytestmark = pytest.mark.django_db


def test_a_real_h5p_activity_and_a_scorm_package_come_back_with_their_identity_and_files(media):
    activity = import_h5p(real_package("H5P.MultiChoice.h5p"), name="H5P.MultiChoice.h5p")
    scorm = import_scorm(io.BytesIO(build_zip(package_files(version="2004"))), name="module.zip")
    catalogue = CataloguePageFactory()
    course = CoursePageFactory(parent=catalogue, slug="with-packages")
    module = ModulePageFactory(parent=course)
    LessonPageFactory(
        parent=module,
        slug="activities",
        body=[
            {"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}},
            scorm_block(scorm),
        ],
    )
    content_files = storage_files(activity.folder)
    library_files = {lib.folder_name: storage_files(lib.folder) for lib in activity.libraries.all()}
    scorm_files = storage_files(scorm.folder)
    pack = build_pack(course, signer=a_stranger())

    # this site forgets them, as a fresh one never had them
    course.delete()
    for folder in [activity.folder, scorm.folder, *H5PLibrary.objects.values_list("folder", flat=True)]:
        delete_folder(folder)
    H5PActivity.objects.all().delete()
    H5PLibrary.objects.all().delete()
    ScormPackage.objects.all().delete()

    import_pack(io.BytesIO(pack), name="pack.zip", trust=True)
    again = H5PActivity.objects.get(uuid=activity.uuid)
    assert storage_files(again.folder) == content_files
    assert {lib.folder_name: storage_files(lib.folder) for lib in again.libraries.all()} == library_files
    package = ScormPackage.objects.get(uuid=scorm.uuid)
    assert storage_files(package.folder) == scorm_files and package.version == "2004"
    lesson = LessonPage.objects.get(slug="activities").get_latest_revision_as_object()
    assert [block.value.get("activity") or block.value.get("package") for block in lesson.body] == [again, package]
    assert CoursePage.objects.filter(slug="with-packages").count() == 1
