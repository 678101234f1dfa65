"""The suite as a ministry installs it: a wheel, pip-installed into a fresh ``wagtail start`` site.

Nothing of the repository is on the site's path: the wheel is built from a copy of the source tree
(so parallel runs and the checkout stay clean), installed with ``--no-deps`` into a venv made for the
test, whose dependencies come from the project's own .venv through a ``.pth`` line (no network, a few
seconds). The site gets exactly what docs/packaging.md tells a host to add, migrates, loads the
example course with a certificate, and is served by gunicorn on a socket the test bound itself (port
0, passed as ``fd://``), so runs never race for a port. The pages are fetched over real HTTP.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[1]
VERIFIER = ROOT / "certification" / "static" / "certification" / "offline-verifier.js"
PLAYER = ROOT / "node_modules" / "h5p-standalone" / "dist" / "main.bundle.js"
NOT_IN_SOURCE_COPY = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", "tests", "bench", "fixtures", "tools", "locale_drafts", "build",
    "*.egg-info", "__pycache__", "*.pyc", ".ruff_cache", ".pytest_cache", ".hypothesis", "test-results",
)  # fmt: skip
# Variables of the reference site's test run that must not leak into the host site's processes.
LEAKING = {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}

SETTINGS_BLOCK = """

# --- the learning suite (docs/packaging.md) ---------------------------------------------------
from learning_suite import defaults as suite  # noqa: E402

INSTALLED_APPS = suite.SUITE_APPS + [app for app in suite.REQUIRED_APPS if app not in INSTALLED_APPS] + INSTALLED_APPS
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, suite.LOCALE_MIDDLEWARE)
MIDDLEWARE.append(suite.ROUTING_MIDDLEWARE)
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("bn", "Bengali")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOGIN_URL = suite.LOGIN_URL
REST_FRAMEWORK = suite.REST_FRAMEWORK
OAUTH2_PROVIDER = suite.OAUTH2_PROVIDER
OAUTH2_PROVIDER_APPLICATION_MODEL = suite.OAUTH2_PROVIDER_APPLICATION_MODEL
SPECTACULAR_SETTINGS = suite.SPECTACULAR_SETTINGS
WAGTAILADMIN_BASE_URL = "{base_url}"
CELERY_TASK_ALWAYS_EAGER = True
CERTIFICATION_KEY_FILE = str(BASE_DIR / "keys" / "certification.json")
CERTIFICATION_CREATE_KEY_FILE = True
ALLOWED_HOSTS = ["127.0.0.1"]
DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA synchronous=OFF"}  # the test's speed, not the suite's
"""

URLS_BLOCK = """

# --- the learning suite (docs/packaging.md) ---------------------------------------------------
from django.conf.urls.i18n import i18n_patterns  # noqa: E402

import learning_suite.urls  # noqa: E402

urlpatterns += [path("", include("learning_suite.urls"))]
urlpatterns += i18n_patterns(
    path("", include(learning_suite.urls.page_urlpatterns)),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
"""

CELERY_APP = """import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ministry.settings.dev")
app = Celery("ministry")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
"""

SET_UP = """import os, resource, time
import django
from django.core.management import call_command
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ministry.settings.dev")
django.setup()
call_command("check", fail_level="WARNING")
print("----")
call_command("findstatic", "h5p-standalone/main.bundle.js", "certification/offline-verifier.js")
print("----", flush=True)
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.monotonic(), usage.ru_utime + usage.ru_stime
start = cpu()
call_command("migrate", interactive=False, verbosity=0)
migrated = cpu()
call_command("seed_example_course", certificate="amina")
seeded = cpu()
print(f"----\\nmigrate {migrated[0] - start[0]:.1f}s ({migrated[1] - start[1]:.1f}s CPU), "
      f"seed {seeded[0] - migrated[0]:.1f}s ({seeded[1] - migrated[1]:.1f}s CPU)")
"""


def run(*args: str | Path, cwd: Path, timeout: int = 120) -> str:
    env = {key: value for key, value in os.environ.items() if key not in LEAKING}
    began = time.monotonic()
    done = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    print(f"{time.monotonic() - began:5.1f}s {' '.join(str(arg) for arg in args[1:4])}")
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not VERIFIER.exists() or not PLAYER.exists():
        pytest.fail("The wheel carries built front-end files: run `make frontend` (npm ci && npm run build) first.")
    work = tmp_path_factory.mktemp("suite-build")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_IN_SOURCE_COPY, symlinks=False)
    (source / "node_modules").symlink_to(ROOT / "node_modules")  # setup.py copies the H5P player from here
    pip_wheel = ["-m", "pip", "wheel", "--quiet", "--no-cache-dir", "--no-deps", "--no-build-isolation"]
    run(sys.executable, *pip_wheel, "-w", work, source, cwd=work)
    (built,) = work.glob("learning_suite-*.whl")
    return built


def test_the_wheel_holds_the_apps_and_their_files_and_not_the_reference_site(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in [
        "courses/templates/courses/lesson_page.html",
        "courses/static/h5p-standalone/main.bundle.js",
        "courses/example/courses/example-course.yaml",
        "certification/static/certification/offline-verifier.js",
        "certification/fonts/NotoSerifBengali-Regular.ttf",
        "lms/progress/record_activity_result.sql",
        "lms/migrations/__init__.py",
        "api/views/__init__.py",
        "learning_suite/urls.py",
        "foundation/conf.py",
        "foundation/locale/bn/LC_MESSAGES/django.mo",
        "lms/locale/bn/LC_MESSAGES/django.mo",
        "certification/locale/dz/LC_MESSAGES/django.mo",
    ]:
        assert expected in names, expected
    tops = {name.split("/", 1)[0] for name in names if not name.startswith("learning_suite-")}
    assert tops == {"foundation", "courses", "lms", "certification", "api", "learning_suite"}


def _free_socket() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.set_inheritable(True)
    return listener


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server on 127.0.0.1
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_a_fresh_wagtail_site_serves_the_suite_after_pip_install(wheel, tmp_path):
    started, children = time.monotonic(), _children_cpu()
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site_packages = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).strip()
    )
    # The dependencies (and pip, setuptools) come from the project's .venv, after the venv's own packages.
    (site_packages / "reuse-project-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(python, "-m", "pip", "install", "--quiet", "--no-cache-dir", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    where = run(python, "-c", "import courses, learning_suite; print(courses.__file__)", cwd=tmp_path)
    assert where.startswith(str(site_packages)), where

    site = tmp_path / "site"
    site.mkdir()
    run(python, "-m", "wagtail.bin.wagtail", "start", "ministry", site, cwd=tmp_path)
    listener = _free_socket()
    port = listener.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    settings_file = site / "ministry" / "settings" / "base.py"
    settings_file.write_text(settings_file.read_text() + SETTINGS_BLOCK.replace("{base_url}", base_url))
    (site / "ministry" / "celery.py").write_text(CELERY_APP)
    (site / "ministry" / "__init__.py").write_text("from .celery import app as celery_app  # noqa: F401\n")
    urls_file = site / "ministry" / "urls.py"
    urls = urls_file.read_text()
    assert '    path("", include(wagtail_urls)),\n' in urls
    urls_file.write_text(urls.replace('    path("", include(wagtail_urls)),\n', "", 1) + URLS_BLOCK)

    # The host's manage.py commands, in one process: each Django start-up costs seconds on a busy machine.
    (site / "set_up.py").write_text(SET_UP)
    set_up = run(python, "set_up.py", cwd=site, timeout=600)
    checked, found, seeded = set_up.split("----\n")[:3]
    assert "no issues" in checked, checked
    assert found.count(str(site_packages)) == 2, found
    paths = dict(re.findall(r"^(course|lesson|certificate): (\S+)$", seeded, flags=re.MULTILINE))
    assert set(paths) == {"course", "lesson", "certificate"}, seeded

    server = subprocess.Popen(  # noqa: S603 - our own interpreter and the site's WSGI module
        [python, "-m", "gunicorn", "--bind", f"fd://{listener.fileno()}", "--workers", "1", "ministry.wsgi"],
        cwd=site,
        env={key: value for key, value in os.environ.items() if key not in LEAKING},
        pass_fds=[listener.fileno()],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        listener.close()
        status, course = _get(base_url + paths["course"])
        assert status == 200, course[-2000:]
        assert "Welcome to the learning suite" in course
        status, lesson = _get(base_url + paths["lesson"])
        assert status == 200, lesson[-2000:]
        assert "How courses work" in lesson and "Modules and lessons" in lesson
        status, verification = _get(base_url + "/en" + paths["certificate"])
        assert status == 200, verification[-2000:]
        assert "Welcome to the learning suite" in verification and "Amina" in verification
        status, bengali = _get(base_url + paths["course"].replace("/en/", "/bn/", 1))
        assert status == 200 and "লার্নিং স্যুটে স্বাগতম" in bengali  # the content's Bengali copy
        assert "আপনি যা শিখবেন" in bengali  # "What you will learn": the UI catalogue came with the wheel
        status, api = _get(base_url + "/api/v1/courses/")
        assert status == 200, api[-2000:]
        assert "welcome-to-the-learning-suite" in json.dumps(json.loads(api))
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    print(set_up.rsplit("----", 1)[-1].strip())
    spent = time.monotonic() - started
    print(f"fresh site: installed, migrated, seeded and served in {spent:.1f}s ({_children_cpu() - children:.1f}s CPU)")
    assert "Traceback" not in output, output
