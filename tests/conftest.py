import os
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.commands import migrate as _migrate
from django.core.signals import request_finished, request_started
from django.db.backends.signals import connection_created

from courses.models import CataloguePage, CoursePage, LessonPage, ModulePage

from .factories import CataloguePageFactory, CoursePageFactory, LessonPageFactory, ModulePageFactory


@dataclass
class Tree:
    catalogue: CataloguePage
    course: CoursePage
    module: ModulePage
    lessons: list[LessonPage]


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever language an earlier request or test activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Caches outlive a test's rolled-back database: each test starts with an empty one."""
    from django.core.cache import cache

    cache.clear()
    yield


_MIGRATED: dict[str, Path] = {}
# What pytest-django's migration-less set-up replaces, as the settings had them at start
_MIGRATION_MODULES = getattr(settings, "MIGRATION_MODULES", {})
_MIGRATE_COMMAND = _migrate.Command
_MIGRATING: dict[str, int] = {}  # the lock this process holds while it migrates for the others


def _in_memory_sqlite() -> bool:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return "sqlite" in database["ENGINE"] and not (database.get("TEST") or {}).get("NAME")


def _take_run_lock(folder: Path) -> int:
    """Wait for and hold the lock of a folder the run's test processes share (released if the holder
    dies): the first holder does the work, the others find its result once they get the lock."""
    import fcntl

    folder.mkdir(exist_ok=True)
    lock = os.open(folder / "lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def _load_sqlite(path: Path, into: sqlite3.Connection) -> None:
    """Copy the SQLite database at ``path`` over the connection ``into`` (SQLite's backup API)."""
    source = sqlite3.connect(path)
    try:
        source.backup(into)
    finally:
        source.close()


def _save_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    """Copy a database to ``path``, whole or absent for a process that looks (written aside, then
    renamed)."""
    partial = path.with_suffix(".partial")
    copy = sqlite3.connect(partial)
    try:
        connection.backup(copy)
    finally:
        copy.close()
    partial.rename(path)


def _shared_migrated(tmp_path_factory) -> Path:
    """Where the first test process of a run leaves the migrated SQLite database for the others (the
    run's temporary folder, which every pytest-xdist worker shares)."""
    return tmp_path_factory.getbasetemp().parent / "migrated-sqlite" / "db.sqlite3"


@pytest.fixture(scope="session")
def django_db_use_migrations(request, tmp_path_factory, worker_id):
    """Migrating takes 70 s of one core here (250 migrations, most of it Django rendering model states),
    and under pytest-xdist every worker used to do it for its own in-memory database at the same time
    (107 s each with three workers on two cores). Now the first worker to take the lock migrates and
    leaves a copy; the others create the tables from the models (a few seconds) and then load that
    copy over them (``django_db_setup`` below), so every test process starts from the database the
    migrations built. PostgreSQL, and a run without workers, migrate as before."""
    if request.config.getvalue("nomigrations"):
        return False
    if worker_id == "master" or not _in_memory_sqlite():
        return True
    shared = _shared_migrated(tmp_path_factory)
    lock = _take_run_lock(shared.parent)  # held by the worker migrating
    if shared.exists():
        os.close(lock)
        _MIGRATED["shared"] = shared
        return False
    _MIGRATING["lock"] = lock
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """pytest-django's test database, and on SQLite a copy of it as the migrations left it (before any
    test wrote to it), for the other test processes and for the tests that start a fresh site of their
    own (``fresh_site_database``)."""
    from django.db import connection

    # pytest-django sets up a test database only when the session holds a test that uses it (a lone
    # test without one still talks to the site's own file, which is no copy to make)
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with django_db_blocker.unblock():
            connection.ensure_connection()
            if "shared" in _MIGRATED:
                _load_migrated_copy(connection, _MIGRATED["shared"])
                _MIGRATED["sqlite"] = _MIGRATED["shared"]
            else:
                path = _shared_migrated(tmp_path_factory) if "lock" in _MIGRATING else None
                if path is None:
                    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
                _save_sqlite(connection.connection, path)
                _MIGRATED["sqlite"] = path
        if "lock" in _MIGRATING:
            os.close(_MIGRATING.pop("lock"))
    yield


def _load_migrated_copy(connection, path: Path) -> None:
    """Replace the tables pytest-django created from the models with the migrated copy, and put back
    what its migration-less set-up changed, so tests that read migrations from disk still find them."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.commands import migrate

    _load_sqlite(path, connection.connection)
    ContentType.objects.clear_cache()  # the copy's content type ids
    settings.MIGRATION_MODULES = _MIGRATION_MODULES
    migrate.Command = _MIGRATE_COMMAND


@pytest.fixture
def fresh_site_database(django_db_setup):
    """Put a freshly migrated SQLite database at a path: ``fresh_site_database(path)``.

    Migrating takes 25 to 30 s of one core here, and every test process has already done it once for
    its own test database; a site started by a test gets a copy of that instead. The site's own
    ``migrate`` still runs and must find nothing to apply (``assert_nothing_to_migrate``). Against
    PostgreSQL there is no such copy (False), and the site migrates its SQLite file itself."""

    def put(path: Path) -> bool:
        if "sqlite" not in _MIGRATED:
            return False
        shutil.copyfile(_MIGRATED["sqlite"], path)
        return True

    return put


@pytest.fixture
def tree(db) -> Tree:
    """A published catalogue with one course, one module and three lessons."""
    catalogue = CataloguePageFactory()
    course = CoursePageFactory(parent=catalogue)
    module = ModulePageFactory(parent=course)
    lessons = [LessonPageFactory(parent=module) for _ in range(3)]
    return Tree(catalogue=catalogue, course=course, module=module, lessons=lessons)


@pytest.fixture
def page_tree_root(transactional_db):
    """What migrations create and a transactional test's flush removes: the root page, the default
    locale and the editorial roles. Transactional tests (a live server) request it before any page."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DEFAULT_DB_ALIAS
    from wagtail.models import Locale, Page

    from courses.services import ensure_editorial_roles

    # A flush empties every table; content types and permissions come back with new ids through
    # post_migrate, and the content type cache still holds the old ones.
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    ensure_editorial_roles()


@pytest.fixture(autouse=True)
def _page_tree_for_transactional_tests(request):
    """Transactional tests (live server, real worker, threads) run after flushes: rebuild the tree first."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "live_server",
        "transactional_db",
    } & set(request.fixturenames)
    if transactional:
        request.getfixturevalue("page_tree_root")
    yield
    if "live_server" in request.fixturenames:
        _wait_for_live_server_requests()


_requests_in_flight: set[int] = set()
_requests_lock = threading.Lock()


def _request_started(**kwargs) -> None:
    with _requests_lock:
        _requests_in_flight.add(threading.get_ident())


def _request_finished(**kwargs) -> None:
    with _requests_lock:
        _requests_in_flight.discard(threading.get_ident())


# Connected after Django's own receivers, so a request counts as finished only once its database
# connection has been dealt with.
request_started.connect(_request_started, dispatch_uid="tests-request-started")
request_finished.connect(_request_finished, dispatch_uid="tests-request-finished")


def _wait_for_live_server_requests(timeout: float = 15.0) -> None:
    """A browser's last request (an admin ping, a beacon) may still be running in the live server's
    thread when the test ends; flushing the database under it fails on SQLite's shared in-memory
    database and breaks the request. Wait until the server is idle before the flush."""
    time.sleep(0.1)  # a request the browser sent just before closing reaches the server
    deadline = time.monotonic() + timeout
    main = threading.get_ident()
    while time.monotonic() < deadline:
        with _requests_lock:
            busy = _requests_in_flight - {main}
        if not busy:
            return
        time.sleep(0.05)


def _read_uncommitted(sender, connection, **kwargs) -> None:
    """SQLite's shared in-memory test database locks whole tables between connections: a test polling
    for what the live server's thread is writing, or a page loading while the last one's save commits,
    fails with 'database table is locked'. In read-uncommitted mode a shared-cache reader neither takes
    nor waits for table locks (SQLite's shared-cache documentation, section 2.2.1); writers still
    serialise. Only the shared in-memory test database is affected, never a file or PostgreSQL."""
    if connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict.get("NAME", "")):
        connection.connection.execute("PRAGMA read_uncommitted = 1")


connection_created.connect(_read_uncommitted, dispatch_uid="tests-sqlite-read-uncommitted")


# --- the demo site, seeded once per test run --------------------------------------------------------
_demo_snapshot = None  # an in-memory copy of the seeded SQLite database (sqlite3.Connection)
_demo_files: dict = {}
DEMO_SITE_URL = "https://learning.example.gov.bd"


@pytest.fixture
def demo_site(transactional_db, settings, tmp_path_factory, monkeypatch, worker_id):
    """The site ``seed_demo`` builds: courses in English and Bengali, H5P activities, the cohort and
    the demo certificates. Seeding takes half a minute, so on the embedded default (SQLite in memory)
    it runs once per test run: the first test process to need it seeds and leaves a copy of the
    database and of the files it wrote (H5P content, certificate PDFs, the signing key) in the run's
    shared folder, the other processes take that copy, and later tests in a process get their own
    copy of the database back (SQLite's backup API, under a second); on PostgreSQL every test seeds.
    The files stay in one folder per process, which is the test's MEDIA_ROOT; the site's address is
    the one its certificates were issued under."""
    global _demo_snapshot
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    if not _demo_files:
        folder = tmp_path_factory.mktemp("demo-site")
        _demo_files.update(media=folder / "media", key=folder / "signing-key.json")
    settings.MEDIA_ROOT = _demo_files["media"]
    settings.CERTIFICATION_KEY_FILE = str(_demo_files["key"])
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    settings.WAGTAILADMIN_BASE_URL = DEMO_SITE_URL
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    shared = tmp_path_factory.getbasetemp().parent / "demo-site" if worker_id != "master" else None
    lock = None
    if in_memory and _demo_snapshot is None and shared is not None:
        lock = _take_run_lock(shared)  # held by the process seeding
        if (shared / "db.sqlite3").exists():
            shutil.copytree(shared / "media", _demo_files["media"], dirs_exist_ok=True)
            shutil.copyfile(shared / "signing-key.json", _demo_files["key"])
            _demo_snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            _load_sqlite(shared / "db.sqlite3", _demo_snapshot)
            os.close(lock)
            lock = None
    if in_memory and _demo_snapshot is not None:
        connection.ensure_connection()
        _demo_snapshot.backup(connection.connection)
        ContentType.objects.clear_cache()  # the copy's content types, not the flushed ones
        return
    from certification.tasks import issue_certificate_task

    try:
        # the demo's certificates (the programme's too) are issued as the seed runs, whatever the broker
        monkeypatch.setitem(issue_certificate_task.app.conf, "task_always_eager", True)
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", "--allow-production", stdout=quiet)
        if in_memory:
            _demo_snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(_demo_snapshot)
            if lock is not None:  # for the other processes, before any test changes a file
                shutil.copytree(_demo_files["media"], shared / "media", dirs_exist_ok=True)
                shutil.copyfile(_demo_files["key"], shared / "signing-key.json")
                _save_sqlite(_demo_snapshot, shared / "db.sqlite3")  # last: the others look for it
    finally:
        if lock is not None:
            os.close(lock)
