"""One code base, two ways to run: environment variables alone switch each part to production."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.fresh_sites import assert_nothing_to_migrate

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'db': str(settings.DATABASES['default']['NAME']), 'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': settings.CELERY_BROKER_URL, 'debug': settings.DEBUG, 'media': str(settings.MEDIA_ROOT), "
    "'storage': settings.STORAGES['default']['BACKEND']}))"
)
SERVICE_VARIABLES = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "MEDIA_STORAGE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own process only
}


def run(settings_module: str, code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def probe(settings_module: str = "learning_site.settings.dev", **env: str) -> dict:
    result = run(settings_module, PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_under_var_with_eager_celery():
    found = probe()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["db"].endswith("var/db.sqlite3")
    assert found["media"].endswith("var/media")
    assert found["eager"] is True and found["broker"] == ""
    assert found["debug"] is True
    assert found["storage"] == "django.core.files.storage.FileSystemStorage"


def test_environment_switches_to_postgresql_redis_and_another_storage():
    found = probe(
        DATABASE_URL="postgres://learning:pw@db.internal:5432/learning",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
        MEDIA_STORAGE="django.core.files.storage.InMemoryStorage",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db"] == "learning"
    assert found["eager"] is False and found["broker"] == "redis://cache.internal:6379/0"
    assert found["storage"] == "django.core.files.storage.InMemoryStorage"


def test_production_refuses_to_start_without_a_secret_key():
    result = run("learning_site.settings.production", "import django; django.setup()", ALLOWED_HOSTS="learn.gov.bd")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SECRET_KEY" in lines[0], result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run("learning_site.settings.production", "import django; django.setup()", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Refusing to start: set the ALLOWED_HOSTS environment variable (production settings)."
    ]


def test_production_passes_the_deploy_check_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES},
            "DJANGO_SETTINGS_MODULE": "learning_site.settings.production",
            "SECRET_KEY": "k" * 20 + "-production-like-secret-key-for-the-check-0123456789",
            "ALLOWED_HOSTS": "learn.example.gov.bd",
            "SITE_URL": "https://learn.example.gov.bd",  # certificates name it (certification.E004)
            # accounts: production sends reset codes through a real SMS gateway (accounts.W001)
            "SMS_BACKEND": "lms.accounts.sms.HttpGatewayBackend",
            "SMS_GATEWAY_URL": "https://sms.example.gov.bd/v1/messages",
            "SMS_GATEWAY_TOKEN": "gateway-token",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs on its own SQLite file")
def test_gunicorn_alone_serves_pages_and_static_files_in_production(tmp_path, fresh_site_database):
    """Production settings, collected static files, gunicorn: a working site with no other server."""
    copied = fresh_site_database(tmp_path / "db.sqlite3")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES},
        "DJANGO_SETTINGS_MODULE": "learning_site.settings.production",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LEARNING_SITE_URL": "http://127.0.0.1",  # production refuses to start without the site's address
        "LMS_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, "manage.py"]
    # static files are collected while migrate checks the copied database; one example course is content enough
    collecting = subprocess.Popen(manage + ["collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env)
    migrated = subprocess.run(
        manage + ["migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert_nothing_to_migrate(migrated, copied)
    subprocess.run(manage + ["seed_example_course"], cwd=ROOT, env=env, check=True, timeout=300, capture_output=True)
    assert collecting.wait(timeout=300) == 0
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "learning_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90  # gunicorn boots slowly on a loaded machine
        while True:
            try:
                page = urllib.request.urlopen(f"{base}/en/", timeout=5)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        html = page.read().decode()
        assert "Welcome to the learning suite" in html
        css_path = html.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css_path.startswith("/static/courses/site.") and css_path.endswith(".css")  # hashed by the manifest
        css = urllib.request.urlopen(base + css_path, timeout=5)  # noqa: S310
        assert css.status == 200 and "max-age" in css.headers["Cache-Control"]
        bengali = urllib.request.urlopen(f"{base}/bn/", timeout=5).read().decode()  # noqa: S310
        assert '<html lang="bn">' in bengali
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)  # gunicorn's graceful shutdown gives its workers up to 30 s
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
