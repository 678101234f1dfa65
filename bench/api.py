"""Requests per second of the API under gunicorn on PostgreSQL, each beside a constant DRF endpoint.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/learning_api_bench .venv/bin/python bench/api.py

The script drops and recreates that database, migrates it, builds a course with three lessons, one
learner per client thread (each with a token and an enrolment) and one issued certificate, starts
gunicorn on 127.0.0.1, and drives it with plain ``requests`` from concurrent threads. Every figure is
printed with its ratio to ``GET /bench/constant/`` (bench/urls.py) measured in the same run, so the
numbers say what the API's own work costs on this machine rather than how fast the machine is.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BATCH = 20


def fresh_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed(clients: int) -> dict:
    """Content and people, made with the same factories and services as the tests."""
    import django

    django.setup()
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from certification.services import issue_certificate
    from courses.activities import activity_iri, site_origin
    from courses.services import ensure_editorial_roles
    from lms.services import enrol
    from tests.factories import (
        CataloguePageFactory,
        CoursePageFactory,
        LessonPageFactory,
        ModulePageFactory,
        UserFactory,
    )

    ensure_editorial_roles()
    catalogue = CataloguePageFactory()
    course = CoursePageFactory(parent=catalogue)
    for index in range(11):
        CoursePageFactory(parent=catalogue, slug=f"more-{index}", title=f"More {index}")
    module = ModulePageFactory(parent=course)
    lessons = [LessonPageFactory(parent=module) for _ in range(3)]
    iris = []
    for lesson in lessons:
        block = next(block for block in lesson.body if block.block_type == "knowledge_check")
        iris.append(activity_iri(lesson_id=lesson.pk, block_id=block.id))
    learners = []
    for index in range(clients):
        user = UserFactory(username=f"bench{index}")
        enrol(user=user, course=course)
        learners.append({"username": user.username, "token": Token.objects.create(user=user).key})
    graduate = UserFactory(username="graduate")
    enrolment = enrol(user=graduate, course=course)
    enrolment.status, enrolment.progress_percent, enrolment.completed_at = "completed", 100, timezone.now()
    enrolment.save()
    certificate = issue_certificate(enrolment=enrolment)
    return {
        "learners": learners,
        "iris": iris,
        "origin": site_origin(),
        "credential": json.loads(certificate.credential),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, workers: int, wait: float = 60) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "learning_site.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/bench/constant/", timeout=10).status_code == 200:
                return server, base
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not answer within {wait:.0f} s:\n" + server.stderr.read())


def statement(origin: str, username: str, iri: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": origin, "name": username}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"objectType": "Activity", "id": iri},
        "result": {"score": {"raw": 1, "min": 0, "max": 1}, "success": True, "completion": True},
    }


def measure(name: str, base: str, data: dict, seconds: float, make_request, authorization=None) -> float:
    """Requests per second over ``seconds``, one thread per learner, each with its own session
    (authenticated with the learner's token, or ``authorization(learner)`` when given)."""
    counts, failures, stop = [0] * len(data["learners"]), [], time.monotonic() + seconds

    def run(index: int, learner: dict) -> None:
        session = requests.Session()
        session.headers["Authorization"] = authorization(learner) if authorization else f"Token {learner['token']}"
        # The statements resource refuses a request without it; the rest of the API ignores it.
        session.headers["X-Experience-API-Version"] = "1.0.3"
        while time.monotonic() < stop:
            method, path, body, expected = make_request(learner)
            response = session.request(method, base + path, json=body, timeout=30)
            if response.status_code != expected:
                failures.append(f"{name}: {response.status_code} {response.text[:200]}")
                return
            counts[index] += 1

    threads = [threading.Thread(target=run, args=item) for item in enumerate(data["learners"])]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(failures[0])
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="duration of each measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (learners)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/learning_api_bench")
    if not url.startswith("postgres"):
        raise SystemExit("bench/api.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    var = Path(tempfile.mkdtemp(prefix="bench-api-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "LMS_VAR_DIR": str(var),
        "CERTIFICATION_KEY_FILE": str(var / "keys" / "certification.json"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_BROKER_URL", None)  # certificates are issued eagerly here; nothing else is queued
    os.environ.update(env)
    fresh_database(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    data = seed(args.clients)
    server, base = start_gunicorn(env, args.workers)
    try:
        iris, origin, verify_body = data["iris"], data["origin"], {"credential": data["credential"]}
        turn = {"n": 0}

        def next_iri() -> str:
            turn["n"] += 1
            return iris[turn["n"] % len(iris)]

        def one(learner: dict) -> dict:
            return statement(origin, learner["username"], next_iri())

        cases = [
            ("constant (bare DRF)", lambda learner: ("GET", "/bench/constant/", None, 200), 1),
            ("catalogue list", lambda learner: ("GET", "/api/v1/courses/", None, 200), 1),
            ("verify one credential", lambda learner: ("POST", "/api/v1/certificates/verify/", verify_body, 200), 1),
            (
                "statements, one per POST",
                lambda learner: (
                    "POST",
                    "/api/v1/statements/",
                    statement(origin, learner["username"], next_iri()),
                    200,
                ),
                1,
            ),
            (
                f"statements, {BATCH} per POST",
                lambda learner: (
                    "POST",
                    "/api/v1/statements/",
                    [one(learner) for _ in range(BATCH)],
                    200,
                ),
                BATCH,
            ),
            (
                "statements, GET 20 per page",
                lambda learner: ("GET", "/api/v1/statements/?limit=20", None, 200),
                20,
            ),
        ]
        measure("warm-up", base, data, 2, cases[0][1])
        print(f"gunicorn {args.workers} workers, {args.clients} client threads, {args.seconds:.0f} s each, PostgreSQL")
        print(f"{'endpoint':<28}{'requests/s':>12}{'items/s':>10}{'vs constant':>13}")
        baseline = None
        for name, make_request, items in cases:
            rate = measure(name, base, data, args.seconds, make_request)
            baseline = baseline or rate
            print(f"{name:<28}{rate:>12.1f}{rate * items:>10.1f}{rate / baseline:>12.3f}×")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
