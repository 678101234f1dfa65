"""H5P speed, each figure beside a baseline measured in the same run.

1. Validation and extraction of the largest real package (``../shared/h5p/real``) against a plain
   ``zipfile`` extraction of the same file: the price of the checks.
2. Statements accepted per second through ``POST /learning/statements/`` against calling the
   progress service directly: the price of HTTP, sessions and CSRF.

Run from the repository root: ``.venv/bin/python bench/h5p.py`` (a throw-away SQLite database and
media folder; set H5P_SAMPLES_DIR if the real packages are elsewhere).
"""

import io
import json
import os
import sys
import tempfile
import time
import uuid
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-h5p-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_site.settings.test")
os.environ["LMS_VAR_DIR"] = str(WORK)
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SAMPLES = Path(os.environ.get("H5P_SAMPLES_DIR", ROOT.parent / "shared" / "h5p"))
ROUNDS = 5
STATEMENTS = 200


def best(action, rounds: int = ROUNDS) -> float:
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def package_figures() -> None:
    from courses.h5p import services

    largest = max((SAMPLES / "real").glob("*.h5p"), key=lambda path: path.stat().st_size)

    def plain() -> None:
        with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(largest) as archive:
            archive.extractall(folder)  # noqa: S202  (the baseline: what a careless importer does)

    def checked() -> None:
        with tempfile.TemporaryDirectory() as folder:
            package = services.check_package(largest, name=largest.name)
            services._extract(package, Path(folder), limits=services.limits_from_settings())

    baseline, ours = best(plain), best(checked)
    size = largest.stat().st_size / 1e6
    with zipfile.ZipFile(largest) as archive:
        members = len(archive.infolist())
    print(f"{largest.name} ({size:.1f} MB, {members} members), best of {ROUNDS}")
    print(f"  plain zipfile extraction       {baseline * 1000:8.1f} ms")
    print(f"  validation + safe extraction   {ours * 1000:8.1f} ms   ratio {ours / baseline:5.2f}x")
    settings.MEDIA_ROOT = WORK / "media"

    def full_import() -> None:
        services.import_package(largest, name=largest.name)

    print(f"  full import into storage       {best(full_import, 1) * 1000:8.1f} ms (first upload: libraries written)")
    print(f"  the same package again         {best(full_import, 1) * 1000:8.1f} ms (libraries shared: content only)")


def statement_figures() -> None:
    from courses.activities import activity_iri
    from courses.h5p.packaging import knowledge_check_package
    from courses.h5p.services import import_package
    from lms.models import Enrolment
    from lms.services import record_statement
    from tests.factories import (
        CataloguePageFactory,
        CoursePageFactory,
        LessonPageFactory,
        ModulePageFactory,
        UserFactory,
    )

    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    choices = [{"text": "a", "correct": True}, {"text": "b"}]
    package = knowledge_check_package(title="t", question="q", choices=choices)
    activity = import_package(io.BytesIO(package), name="t.h5p")
    course = CoursePageFactory(parent=CataloguePageFactory())
    lesson = LessonPageFactory(
        parent=ModulePageFactory(parent=course),
        body=[{"type": "h5p", "id": str(uuid.uuid4()), "value": {"activity": activity.pk, "heading": ""}}],
    )
    iri = activity_iri(lesson_id=lesson.pk, block_id=lesson.body[0].id)
    learner = UserFactory(username="bench")
    Enrolment.objects.create(user=learner, course=course)
    actor = {"objectType": "Agent", "account": {"homePage": "http://testserver", "name": "bench"}}

    def statement() -> dict:
        return {
            "id": str(uuid.uuid4()),
            "actor": actor,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": iri, "objectType": "Activity"},
            "result": {"score": {"raw": 1, "min": 0, "max": 1}, "success": True, "completion": True},
        }

    bodies = [statement() for _n in range(STATEMENTS)]
    started = time.perf_counter()
    for body in bodies:
        record_statement(user=learner, statement=body)
    direct = STATEMENTS / (time.perf_counter() - started)

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get(lesson.url)
    token = client.cookies["csrftoken"].value
    payloads = [json.dumps(statement()) for _n in range(STATEMENTS)]
    statuses: Counter = Counter()
    started = time.perf_counter()
    for payload in payloads:
        response = client.post(
            "/learning/statements/", payload, content_type="application/json", headers={"X-CSRFToken": token}
        )
        statuses[response.status_code] += 1
    http = STATEMENTS / (time.perf_counter() - started)
    if set(statuses) != {201}:
        sys.exit(f"the endpoint did not accept every statement: {dict(statuses)}")
    print(f"statements ({STATEMENTS}, each a new scored attempt, SQLite)")
    print(f"  record_statement() directly    {direct:8.0f} per second")
    print(f"  POST /learning/statements/     {http:8.0f} per second   ratio {direct / http:5.2f}x slower")


def main() -> None:
    if not (SAMPLES / "real").is_dir():
        sys.exit(f"The real H5P packages are not at {SAMPLES}: set H5P_SAMPLES_DIR.")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    package_figures()
    statement_figures()


if __name__ == "__main__":
    main()
