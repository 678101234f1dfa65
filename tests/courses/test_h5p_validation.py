"""Every real package is accepted and every invalid or hostile one refused, naming the file and the rule,
with storage and database exactly as before."""

import pytest

from courses.h5p.services import import_package
from courses.h5p.validation import PackageRefused, svg_problems
from tests.h5p_packages import (
    INVALID,
    REAL,
    SKIP_REASON,
    build_zip,
    database_listing,
    library_json,
    media_folder,  # noqa: F401  (the media fixture)
    package_files,
    require_samples,
    storage_listing,
    write_package,
)

pytestmark = pytest.mark.django_db

EXPECTED_REFUSALS = {
    "2-invalid-libraries.h5p": [
        "H5P.GreetingCard-1.0/language/XXX!.json: a language file must be named like 'bn.json'",
        "H5P.GreetingCard2-1.0/library.json: 'title' is required",
    ],
    "broken-content-json.h5p": ["content/content.json: content/content.json is not valid UTF-8 JSON"],
    "broken-h5p-json.h5p": ["h5p.json: h5p.json is not valid UTF-8 JSON"],
    "corrupt_archive.h5p": ["corrupt_archive.h5p: not a zip archive"],
    "invalid-h5p-json-schema.h5p": ["h5p.json: the required property 'mainLibrary' is missing"],
    "invalid-library-directory-name.h5p": [
        "H5P.GreetingCard-1.0: the folder name does not match its library.json (expected 'H5P.AnotherLibrary-1.0')"
    ],
    "invalid-library-json.h5p": ["H5P.GreetingCard-1.0/library.json: 'majorVersion' is required"],
    "malformed-library-directory.h5p": ["library!: a library folder's name must be machineName-major.minor"],
    "missing-preloaded-js.h5p": [
        "H5P.GreetingCard-1.0/greetingcard.js: is listed in preloadedJs but is not in the package"
    ],
}


def assert_refused(path, media_root, expected: list[str]):
    before = (storage_listing(media_root), database_listing())
    with pytest.raises(PackageRefused) as refused:
        import_package(path, name=path.name)
    message = str(refused.value)
    for fragment in expected:
        assert fragment in message, message
    assert (storage_listing(media_root), database_listing()) == before
    return refused.value


@pytest.mark.parametrize(
    "path",
    INVALID or [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON))],
    ids=lambda p: p.name if p else "absent",
)
def test_each_invalid_real_package_is_refused_with_its_own_message(path, media):
    assert path.name in EXPECTED_REFUSALS, f"no expected message for {path.name}"
    assert_refused(path, media, EXPECTED_REFUSALS[path.name])


def test_every_invalid_package_is_known():
    require_samples()
    assert {path.name for path in INVALID} == set(EXPECTED_REFUSALS)


@pytest.mark.parametrize(
    "path",
    REAL or [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON))],
    ids=lambda p: p.name if p else "absent",
)
def test_each_real_package_is_accepted_and_extracted(path, media):
    activity = import_package(path, name=path.name)
    files = storage_listing(media)
    assert f"h5p/content/{activity.uuid}/h5p.json" in files
    assert f"h5p/content/{activity.uuid}/content/content.json" in files
    main = activity.libraries.get(machine_name=activity.main_library)
    assert f"{main.folder}/library.json" in files
    for entry in main.metadata.get("preloadedJs", []):
        assert f"{main.folder}/{entry['path']}" in files


def test_external_media_urls_are_allowed_as_video_sources(media):
    files = package_files(
        content={"video": {"files": [{"path": "https://www.youtube.com/watch?v=abc", "mime": "video/YouTube"}]}}
    )
    path = write_package(media.parent, "video.h5p", files)
    activity = import_package(path, name=path.name)
    assert activity.title == "A test card"


def test_a_missing_media_file_is_refused(media):
    files = package_files(content={"image": {"path": "images/missing.png"}})
    assert_refused(
        write_package(media.parent, "m.h5p", files),
        media,
        ["content/content.json: the media file 'images/missing.png' is not in the package"],
    )


def test_an_unsupported_core_api_is_refused(media):
    files = package_files(library=library_json(coreApi={"majorVersion": 2, "minorVersion": 0}))
    assert_refused(
        write_package(media.parent, "core.h5p", files),
        media,
        ["Test.Card-1.0/library.json: needs H5P core API 2.0; this site supports up to 1.27"],
    )


def test_a_dependency_neither_packaged_nor_installed_is_refused(media):
    files = package_files(
        library=library_json(
            preloadedDependencies=[{"machineName": "H5P.Nowhere", "majorVersion": 1, "minorVersion": 2}]
        )
    )
    assert_refused(
        write_package(media.parent, "dep.h5p", files),
        media,
        [
            "Test.Card-1.0/library.json: needs the library H5P.Nowhere-1.2, "
            "which is neither in the package nor installed"
        ],
    )


def test_a_dependency_already_installed_is_enough(media):
    import_package(write_package(media.parent, "first.h5p", package_files()), name="first.h5p")
    files = package_files(
        library=library_json(
            "Test.Other", preloadedDependencies=[{"machineName": "Test.Card", "majorVersion": 1, "minorVersion": 0}]
        )
    )
    activity = import_package(write_package(media.parent, "second.h5p", files), name="second.h5p")
    assert sorted(activity.libraries.values_list("machine_name", flat=True)) == ["Test.Card", "Test.Other"]


HOSTILE = {
    "dot-dot": ({"../evil.json": b"{}"}, "../evil.json: unsafe path"),
    "nested-dot-dot": ({"content/../../evil.json": b"{}"}, "content/../../evil.json: unsafe path"),
    "absolute": ({"/etc/evil.json": b"{}"}, "/etc/evil.json: unsafe path"),
    "backslash": ({"content\\..\\..\\evil.json": b"{}"}, "unsafe path"),
    "drive": ({"C:/evil.json": b"{}"}, "C:/evil.json: unsafe path"),
    "php": (
        {"content/shell.php": b"<?php system($_GET['c']);"},
        "content/shell.php: the extension 'php' is not on H5P's allow list",
    ),
    "html": (
        {"content/page.html": b"<script>alert(1)</script>"},
        "content/page.html: the extension 'html' is not on H5P's allow list",
    ),
    "script-in-content": (
        {"content/run.js": b"alert(1)"},
        "content/run.js: the extension 'js' is not on H5P's allow list for content files",
    ),
    "svg-script": (
        {"content/x.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'},
        "content/x.svg: SVG with a <script> element is refused",
    ),
    "svg-handler": (
        {"content/x.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'},
        "content/x.svg: SVG with an event handler attribute (onload) is refused",
    ),
    "svg-entities": (
        {"content/x.svg": b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'},
        "content/x.svg: SVG with an internal DTD or entities is refused",
    ),
    "svg-external-link": (
        {
            "content/x.svg": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'
        },
        "content/x.svg: SVG that links to 'javascript:alert(1)' is refused",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archives_are_refused_leaving_nothing_behind(case, media):
    extra, expected = HOSTILE[case]
    files = {**package_files(), **extra}
    assert_refused(write_package(media.parent, f"{case}.h5p", files), media, [expected])


def test_a_symlink_is_refused(media):
    path = write_package(media.parent, "link.h5p", package_files(), symlinks={"content/passwd.txt": "/etc/passwd"})
    assert_refused(path, media, ["content/passwd.txt: symbolic links are not allowed"])


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(media):
    files = {**package_files(), "content/zeros.txt": b"\0" * (20 * 1024 * 1024)}
    assert_refused(
        write_package(media.parent, "bomb.h5p", files),
        media,
        ["content/zeros.txt: compressed more than 100 to 1 (a zip bomb?)"],
    )


def test_a_package_expanding_beyond_the_limit_is_refused(media, settings):
    settings.H5P_MAX_EXPANDED_BYTES = 1000
    files = {**package_files(), "content/big.txt": bytes(range(256)) * 8}
    assert_refused(write_package(media.parent, "big.h5p", files), media, ["big.h5p: expands to more than 1000 bytes"])


def test_too_many_members_are_refused(media, settings):
    settings.H5P_MAX_MEMBERS = 20
    files = {**package_files(), **{f"content/{n}.txt": b"x" for n in range(30)}}
    assert_refused(
        write_package(media.parent, "many.h5p", files),
        media,
        ["many.h5p: the archive holds 35 members, more than the limit of 20"],
    )


def test_not_a_zip_at_all_is_refused(media):
    path = media.parent / "text.h5p"
    path.write_text("This is not an archive.")
    assert_refused(path, media, ["text.h5p: not a zip archive"])


def test_an_oversized_upload_is_refused(media, settings):
    settings.H5P_MAX_PACKAGE_BYTES = 100
    assert_refused(
        write_package(media.parent, "s.h5p", package_files()), media, ["s.h5p: the package is larger than 100 bytes"]
    )


def test_plain_drawing_svg_passes_and_script_does_not():
    assert svg_problems(b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>') == []
    assert svg_problems(b"<svg><foreignObject><body/></foreignObject></svg>") == [
        "SVG with a <foreignobject> element is refused"
    ]


def test_a_failure_while_storing_removes_the_files_written_so_far(media, monkeypatch):
    from courses.h5p import services

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    path = write_package(media.parent, "ok.h5p", package_files())
    monkeypatch.setattr(services.H5PActivity, "save", fail)
    before = (storage_listing(media), database_listing())
    with pytest.raises(RuntimeError):
        import_package(path, name=path.name)
    assert (storage_listing(media), database_listing()) == before


def test_the_zip_builder_writes_what_it_is_given():
    assert build_zip({"a.json": b"{}"})[:2] == b"PK"
