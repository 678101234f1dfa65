"""H5P and SCORM uploads are scanned by a real clamd when one is configured: a finding is refused with the
signature's name and nothing stored; a configured scanner that cannot be reached refuses too."""

import io

import pytest

from courses.archives import PackageRefused
from courses.h5p.services import import_package as import_h5p
from courses.models import H5PActivity, ScormPackage
from courses.scorm.services import import_package as import_scorm
from foundation import clamav
from tests.clamd import EICAR, SIGNATURE, clamd  # noqa: F401  (the clamd fixture)
from tests.h5p_packages import build_zip, media_folder, storage_listing  # noqa: F401  (the media fixture)
from tests.h5p_packages import package_files as h5p_files
from tests.scorm_packages import package_files as scorm_files

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["socket", "tcp"])
def scanner(request, clamd, settings):  # noqa: F811
    if request.param == "socket":
        settings.CLAMD_SOCKET = str(clamd.socket_path)
    else:
        settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", clamd.port
    return clamd


def test_the_scanner_answers_and_finds_the_test_signature(scanner):
    assert clamav.ping()
    clamav.scan(b"plain text")
    with pytest.raises(clamav.VirusFound) as found:
        clamav.scan(EICAR)
    assert found.value.signature.startswith(SIGNATURE)


def test_an_infected_h5p_package_is_refused_with_the_signature_name(scanner, media):
    files = h5p_files()
    files["content/readme.txt"] = EICAR
    with pytest.raises(PackageRefused, match=f"infected.h5p: the virus scanner found {SIGNATURE}"):
        import_h5p(io.BytesIO(build_zip(files)), name="infected.h5p")
    assert storage_listing(media) == [] and not H5PActivity.objects.exists()
    assert import_h5p(io.BytesIO(build_zip(h5p_files())), name="clean.h5p").pk


def test_an_infected_scorm_package_is_refused_with_the_signature_name(scanner, media):
    files = {**scorm_files(), "notes.txt": EICAR}
    with pytest.raises(PackageRefused, match=f"infected.zip: the virus scanner found {SIGNATURE}"):
        import_scorm(io.BytesIO(build_zip(files)), name="infected.zip")
    assert storage_listing(media) == [] and not ScormPackage.objects.exists()
    assert import_scorm(io.BytesIO(build_zip(scorm_files())), name="clean.zip").pk


def test_a_configured_scanner_that_cannot_be_reached_refuses_clearly(settings, media, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "no-such.sock")
    with pytest.raises(PackageRefused, match="the virus scanner is configured but could not be reached"):
        import_scorm(io.BytesIO(build_zip(scorm_files())), name="p.zip")
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", 9  # the discard port: nothing listens
    with pytest.raises(PackageRefused, match="could not be reached"):
        import_h5p(io.BytesIO(build_zip(h5p_files())), name="p.h5p")
    assert storage_listing(media) == []


def test_an_h5p_package_with_a_readme_beside_h5p_json_is_accepted(media):
    files = {**h5p_files(), "README.md": b"# About this package\n", "LICENSE.txt": b"CC BY"}
    activity = import_h5p(io.BytesIO(build_zip(files)), name="readme.h5p")
    assert activity.pk
    with pytest.raises(PackageRefused, match="run.sh: the extension 'sh' is not on H5P's allow list"):
        import_h5p(io.BytesIO(build_zip({**h5p_files(), "run.sh": b"#!/bin/sh"})), name="sh.h5p")
