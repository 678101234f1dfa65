"""H5P packages for tests: the real ones beside the checkout (never committed) and ones built here.

The real packages are found through H5P_SAMPLES_DIR (default ``<repo>/../shared/h5p``). Tests that
need them are skipped, saying so, when the folder is absent; ``.ci/run`` fails in that case instead.
"""

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(os.environ.get("H5P_SAMPLES_DIR", ROOT.parent / "shared" / "h5p"))
REAL = sorted((SAMPLES / "real").glob("*.h5p")) if (SAMPLES / "real").is_dir() else []
INVALID = sorted((SAMPLES / "invalid").glob("*.h5p")) if (SAMPLES / "invalid").is_dir() else []
SKIP_REASON = f"the real H5P packages are not at {SAMPLES} (set H5P_SAMPLES_DIR): real-package tests were skipped"


def require_samples() -> Path:
    if not REAL or not INVALID:
        pytest.skip(SKIP_REASON)
    return SAMPLES


def real_package(name: str) -> Path:
    require_samples()
    return SAMPLES / "real" / name


def library_json(machine_name="Test.Card", major=1, minor=0, patch=0, **extra) -> dict:
    return {
        "title": "Test card",
        "machineName": machine_name,
        "majorVersion": major,
        "minorVersion": minor,
        "patchVersion": patch,
        "runnable": 1,
        "preloadedJs": [{"path": "card.js"}],
        **extra,
    }


def package_files(*, title="A test card", patch=0, library=None, content=None) -> dict[str, bytes]:
    """The members of a small valid package: one library, one content file, one image."""
    library = library or library_json(patch=patch)
    folder = f"{library['machineName']}-{library['majorVersion']}.{library['minorVersion']}"
    h5p = {
        "title": title,
        "language": "en",
        "mainLibrary": library["machineName"],
        "embedTypes": ["div"],
        "license": "U",
        "preloadedDependencies": [
            {"machineName": library["machineName"], "majorVersion": library["majorVersion"], "minorVersion": 0}
        ],
    }
    return {
        "h5p.json": json.dumps(h5p).encode(),
        "content/content.json": json.dumps(content or {"text": "Hello", "image": {"path": "images/dot.png"}}).encode(),
        "content/images/dot.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 16,
        f"{folder}/library.json": json.dumps(library).encode(),
        f"{folder}/card.js": f"/* patch {patch} */ H5P.TestCard = function () {{}};".encode(),
    }


def build_zip(files: dict[str, bytes], *, symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16) | 0x20
            info.create_system = 3
            archive.writestr(info, target)
    return buffer.getvalue()


def write_package(folder: Path, name: str, files: dict[str, bytes], **kwargs) -> Path:
    path = folder / name
    path.write_bytes(build_zip(files, **kwargs))
    return path


@pytest.fixture(name="media")
def media_folder(settings, tmp_path):
    """A fresh, empty media folder for the test, so storage listings can be compared before and after."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def storage_listing(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*"))


def database_listing() -> dict[str, list]:
    from courses.models import H5PActivity, H5PLibrary, H5PUpload

    return {
        "libraries": list(
            H5PLibrary.objects.values_list("machine_name", "major_version", "minor_version", "patch_version", "folder")
        ),
        "activities": list(H5PActivity.objects.values_list("uuid", "title")),
        "uploads": list(H5PUpload.objects.values_list("pk", "status")),
    }
