"""One address for every absolute URL: the setting, the default Site following it, the system
check, production refusing to start without it, and the development server's warning."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from wagtail.models import Site

from certification.keys import site_did
from courses.activities import activity_iri
from foundation.site_address import address_problem, align_default_site, site_host_and_port, site_url
from learning_site.checks import check_site_address
from learning_site.management.commands.runserver import address_mismatch

ROOT = Path(__file__).resolve().parents[1]


def test_every_absolute_url_starts_from_the_one_setting(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8201/"
    assert site_url() == "http://127.0.0.1:8201"
    assert site_host_and_port() == ("127.0.0.1", 8201)
    assert site_did() == "did:web:127.0.0.1%3A8201"
    assert activity_iri(lesson_id=4, block_id="b") == "http://127.0.0.1:8201/activities/4/b"
    settings.WAGTAILADMIN_BASE_URL = "https://learning.example.gov.bd"
    assert site_host_and_port() == ("learning.example.gov.bd", 443)


def test_the_default_site_follows_the_setting_so_workflow_emails_link_there(tree, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8201"
    assert align_default_site() is True
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8201"
    assert tree.course.get_full_url().startswith("http://127.0.0.1:8201/")
    assert align_default_site() is False  # already there: nothing written


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "not set"),
        ("127.0.0.1:8000", "not an absolute"),
        ("ftp://example.org", "not an absolute"),
        ("https://example.org/learning", "origin only"),
        ("https://example.org?x=1", "origin only"),
    ],
)
def test_the_system_check_refuses_an_address_no_certificate_could_use(settings, value, problem):
    assert problem in address_problem(value)
    settings.WAGTAILADMIN_BASE_URL = value
    [error] = check_site_address(None)
    assert error.id == "learning_site.E001" and error.level == checks.ERROR


def test_a_good_address_passes_the_check(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://learning.example.gov.bd"
    assert check_site_address(None) == []


def production(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"LEARNING_SITE_URL", "SITE_URL"}}
    base.update(DJANGO_SETTINGS_MODULE="learning_site.settings.production", SECRET_KEY="x" * 50)
    base.update(ALLOWED_HOSTS="learning.example.gov.bd", **env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_the_site_address():
    refused = production()
    assert refused.returncode != 0 and "LEARNING_SITE_URL" in refused.stderr
    started = production(LEARNING_SITE_URL="https://learning.example.gov.bd/")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "https://learning.example.gov.bd"


def test_the_development_server_names_a_different_port_or_host(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    assert address_mismatch(served_host="127.0.0.1", served_port=8000) is None
    assert address_mismatch(served_host="localhost", served_port=8000) is None
    assert address_mismatch(served_host="0.0.0.0", served_port=8000) is None  # noqa: S104
    warning = address_mismatch(served_host="127.0.0.1", served_port=8201)
    assert "http://127.0.0.1:8000" in warning and "127.0.0.1:8201" in warning
    assert address_mismatch(served_host="10.0.0.5", served_port=8000)


def test_runserver_warns_at_start_when_the_setting_and_the_address_differ(tmp_path):
    services = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")  # its own SQLite under tmp_path
    env = {k: v for k, v in os.environ.items() if k not in services}
    env.update({"DJANGO_SETTINGS_MODULE": "learning_site.settings.dev", "LMS_VAR_DIR": str(tmp_path)})
    env["LEARNING_SITE_URL"] = "http://127.0.0.1:8000"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", "127.0.0.1:0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        for line in server.stderr:
            lines.append(line)
            if "LEARNING_SITE_URL" in line or len(lines) > 50:
                break
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert any("WARNING: The site's address is http://127.0.0.1:8000" in line for line in lines), lines
