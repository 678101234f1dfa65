"""The signed-in learner's H5P lesson page against wagtail-lms 0.11.1's H5P lesson page.

Both sites run as they would in production: DEBUG off, PostgreSQL, gunicorn with the same number
of sync workers, each from its own venv (the peer from PyPI's ``wagtail-lms==0.11.1``, built by
``make peer-venv``). Each serves a lesson with a paragraph and one H5P activity to a signed-in,
enrolled learner; the load is the same number of client threads for the same time, in interleaved
rounds (ours, peer, peer, ours, ...) so that a noisy machine weighs on both alike. The figure is
the ratio of the medians of requests per second.

    .venv/bin/python bench/lesson_page.py

Environment: PEER_VENV (default ../site-peer-venv), BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/learning_site), PEER_DATABASE_NAME (default learning_site_peer),
BENCH_CACHE_URL (default redis://127.0.0.1:6379/13), BENCH_ROUNDS, BENCH_SECONDS, BENCH_CLIENTS,
BENCH_WORKERS, BENCH_PEER_PACKAGE (an .h5p file, default ../shared/h5p/real/H5P.MultiChoice.h5p).
Setting up is idempotent: the databases are migrated and seeded once and reused.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PEER_VENV = Path(os.environ.get("PEER_VENV", ROOT.parent / "site-peer-venv"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/learning_site")
PEER_DATABASE = os.environ.get("PEER_DATABASE_NAME", "learning_site_peer")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PACKAGE = Path(os.environ.get("BENCH_PEER_PACKAGE", ROOT.parent / "shared" / "h5p" / "real" / "H5P.MultiChoice.h5p"))
WORK = Path(os.environ.get("BENCH_WORK_DIR", Path(tempfile.gettempdir()) / "bench-lesson-page"))
LESSON_SLUG = "locks-pins-and-passwords"  # the demo's H5P lesson (a paragraph or two and one activity)

OURS_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "CACHE_URL": CACHE_URL,
    "LMS_VAR_DIR": str(WORK / "ours"),
    "STATIC_ROOT": str(WORK / "ours" / "static"),
    "LEARNING_SITE_URL": "http://127.0.0.1",
    "CERTIFICATION_KEY_FILE": str(WORK / "ours" / "keys" / "certification.json"),
}
OURS_SESSION = """
from django.test import Client
from django.contrib.auth import get_user_model
from courses.models import CoursePage, LessonPage
from lms.services import enrol
from lms.models import Enrolment
from courses.identity import source_id
lesson = LessonPage.objects.live().get(slug="{slug}", locale__language_code="en")
course = CoursePage.objects.ancestor_of(lesson).get()
user, _ = get_user_model().objects.get_or_create(username="bench-learner", defaults={{"email": "b@example.org"}})
if not Enrolment.objects.filter(user=user, course_id=source_id(course)).exists():
    enrol(user=user, course=course)
client = Client()
client.force_login(user)
print("BENCH " + __import__("json").dumps({{"path": lesson.url, "sessionid": client.cookies["sessionid"].value}}))
"""


def run(command: list[str], *, env: dict | None = None) -> str:
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_peer_venv() -> None:
    if not (PEER_VENV / "bin" / "gunicorn").exists():
        run(["make", "peer-venv", f"PEER_VENV={PEER_VENV}"])


def ensure_database(name: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"],
        capture_output=True,
    )


def set_up_ours() -> dict:
    ensure_database(DATABASE_URL.rsplit("/", 1)[1])
    python = str(ROOT / ".venv" / "bin" / "python")
    dev = {**OURS_ENV, "DJANGO_SETTINGS_MODULE": "learning_site.settings.dev"}
    run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env=dev)
    run([python, "manage.py", "seed_demo", "--allow-production"], env=dev)
    if not (WORK / "ours" / "static" / "staticfiles.json").exists():
        run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=production_env())
    output = run([python, "manage.py", "shell", "-c", OURS_SESSION.format(slug=LESSON_SLUG)], env=dev)
    return json.loads(output.split("BENCH ", 1)[1])


def set_up_peer() -> dict:
    ensure_peer_venv()
    ensure_database(PEER_DATABASE)
    env = {"PEER_VAR_DIR": str(WORK / "peer"), "PEER_DATABASE_NAME": PEER_DATABASE, "PYTHONPATH": str(ROOT)}
    output = run([str(PEER_VENV / "bin" / "python"), "-m", "bench.peer_site.setup", str(PACKAGE)], env=env)
    return json.loads(output.strip().splitlines()[-1])


def production_env() -> dict:
    return {
        **OURS_ENV,
        "DJANGO_SETTINGS_MODULE": "learning_site.settings.production",
        "SECRET_KEY": "bench-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "ERROR",
    }


def start(name: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    if name == "ours":
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "learning_site.wsgi"]
        env = production_env()
    else:
        command = [str(PEER_VENV / "bin" / "gunicorn"), "bench.peer_site.wsgi"]
        env = {"PEER_VAR_DIR": str(WORK / "peer"), "PEER_DATABASE_NAME": PEER_DATABASE, "PYTHONPATH": str(ROOT)}
    command += ["-b", f"127.0.0.1:{port}", "-w", str(WORKERS), "--log-level", "error"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(url + "/", timeout=60)
            return process, url
        except requests.RequestException:
            time.sleep(0.5)
    process.terminate()
    process.wait(timeout=30)
    sys.exit(f"{name}: gunicorn did not start")


def check(name: str, url: str, lesson: dict) -> None:
    response = requests.get(url + lesson["path"], cookies={"sessionid": lesson["sessionid"]}, timeout=30)
    marker = "data-h5p-activity" if name == "ours" else "lms-lesson__block--h5p_activity"
    if response.status_code != 200 or marker not in response.text:
        sys.exit(f"{name}: {lesson['path']} answered {response.status_code}, not the signed-in lesson page")


def load(url: str, lesson: dict, seconds: float) -> float:
    """Requests per second from CLIENTS threads for ``seconds``, each with its own connection."""
    counts = [0] * CLIENTS
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        session = requests.Session()
        session.cookies.set("sessionid", lesson["sessionid"])
        while time.monotonic() < stop:
            response = session.get(url + lesson["path"], timeout=30)
            if response.status_code != 200:
                errors.append(str(response.status_code))
                return
            counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        sys.exit(f"{url}: errors {errors[:5]}")
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    lessons = {"ours": set_up_ours(), "peer": set_up_peer()}
    servers = {}
    try:
        for name in lessons:
            servers[name] = start(name)
        for name, (_process, url) in servers.items():
            check(name, url, lessons[name])
            load(url, lessons[name], 2)  # warm up: connections, caches, compiled templates
        figures: dict[str, list[float]] = {"ours": [], "peer": []}
        for index in range(ROUNDS):
            order = ["ours", "peer"] if index % 2 == 0 else ["peer", "ours"]
            for name in order:
                figures[name].append(load(servers[name][1], lessons[name], SECONDS))
            print(f"round {index + 1}: ours {figures['ours'][-1]:7.1f} req/s   peer {figures['peer'][-1]:7.1f} req/s")
    finally:
        for process, _url in servers.values():
            process.terminate()
            process.wait(timeout=30)
    ours, peer = statistics.median(figures["ours"]), statistics.median(figures["peer"])
    print(f"signed-in H5P lesson page, {WORKERS} gunicorn workers each, {CLIENTS} clients, {ROUNDS} rounds")
    print(f"  ours (learning suite)   median {ours:7.1f} req/s")
    print(f"  peer (wagtail-lms 0.11.1) median {peer:7.1f} req/s")
    print(f"  ratio ours/peer: {ours / peer:.2f}x")


if __name__ == "__main__":
    main()
