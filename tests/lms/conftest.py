import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from courses.activities import activity_iri
from lms.models import Enrolment
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def learner(db):
    return UserFactory(username="amina", email="amina@example.gov.bd")


@pytest.fixture
def enrolment(tree, learner) -> Enrolment:
    return Enrolment.objects.create(user=learner, course=tree.course)


def check_iri(lesson) -> str:
    """The IRI of the lesson's knowledge check (the factory puts one in each lesson)."""
    block = next(block for block in lesson.body if block.block_type == "knowledge_check")
    return activity_iri(lesson_id=lesson.pk, block_id=block.id)


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real ``celery -A learning_site worker`` on the configured broker, using the test database.

    Under the embedded default (no CELERY_BROKER_URL) tasks run eagerly and this yields None. With a
    broker (CI: Redis and PostgreSQL) the worker is a separate process, as in production.
    """
    if not settings.CELERY_BROKER_URL:
        yield None
        return
    database = connection.settings_dict
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a worker process needs a database it can share: run with DATABASE_URL=postgres://…")
    url = (
        f"postgres://{quote(database['USER'] or '')}:{quote(database['PASSWORD'] or '')}"
        f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "learning_site.settings.test"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "learning_site",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    lines = []
    try:
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line and worker.poll() is not None:
                break
            lines.append(line)
            if "ready." in line:
                break
        else:
            pytest.fail("the Celery worker did not start within 60 s:\n" + "".join(lines))
        if worker.poll() is not None:
            pytest.fail("the Celery worker exited:\n" + "".join(lines))
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
