"""Scale figures for learners' progress, on PostgreSQL, in a database of its own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/learning_bench .venv/bin/python bench/progress.py
    (options: --learners 10000 --courses 20 --records 1000000 --samples 300)

It creates ``test_<name>`` from the migrations, fills it, prints its figures and drops it again:
- queries for the learner dashboard and the organisation report at a small and at the full size;
- recording one activity result against a bare insert of the same row (ratio of medians), and the same
  rules through the ORM instead of the database function (the path SQLite takes);
- peak Python memory of the CSV and XLSX exports at 10,000 and 100,000 enrolments (ratio).
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_site.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=20)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    return parser.parse_args()


def build_content(courses: int):
    from courses.services import ensure_editorial_roles
    from tests.factories import CataloguePageFactory, CoursePageFactory, LessonPageFactory, ModulePageFactory

    ensure_editorial_roles()
    catalogue = CataloguePageFactory()
    built = []
    for _ in range(courses):
        course = CoursePageFactory(parent=catalogue)
        module = ModulePageFactory(parent=course)
        lessons = [LessonPageFactory(parent=module) for _ in range(5)]
        built.append((course, lessons))
    return built


def build_people(learners: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from lms.models import LearnerKind, LearnerProfile, Organisation, OrganisationKind

    ministry = Organisation.add_root(name="Ministry", kind=OrganisationKind.MINISTRY, code="ministry")
    units = [
        ministry.add_child(name=f"Department {i}", kind=OrganisationKind.DEPARTMENT, code=f"dept-{i}")
        for i in range(10)
    ]
    User = get_user_model()
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(username=f"learner{i}", email=f"learner{i}@example.gov.bd", password=unusable) for i in range(learners)],
        batch_size=5000,
    )
    users = list(User.objects.filter(username__startswith="learner").order_by("pk").values_list("pk", flat=True))
    LearnerProfile.objects.bulk_create(
        [
            LearnerProfile(user_id=pk, kind=LearnerKind.CIVIL_SERVANT, organisation=units[i % len(units)])
            for i, pk in enumerate(users)
        ],
        batch_size=5000,
    )
    return ministry, users


def build_enrolments(users, content, per_learner: int):
    from lms.models import Enrolment, EnrolmentStatus

    statuses = [EnrolmentStatus.ENROLLED, EnrolmentStatus.IN_PROGRESS, EnrolmentStatus.COMPLETED]
    batch = []
    for i, user_id in enumerate(users):
        for j in range(per_learner):
            course, lessons = content[(i + j) % len(content)]
            batch.append(
                Enrolment(
                    user_id=user_id,
                    course_id=course.pk,
                    status=statuses[(i + j) % 3],
                    progress_percent=((i + j) * 7) % 101,
                    last_lesson_id=lessons[0].pk,
                )
            )
        if len(batch) >= 20_000:
            Enrolment.objects.bulk_create(batch)
            batch = []
    Enrolment.objects.bulk_create(batch)


def build_records(total: int, content):
    """Activity results spread over the enrolments, written in large batches."""
    from courses.activities import activity_iri
    from lms.models import ActivityResult, Enrolment

    blocks = {}
    for _course, lessons in content:
        for lesson in lessons:
            block = next(b for b in lesson.body if b.block_type == "knowledge_check")
            blocks.setdefault(_course.pk, []).append((lesson.pk, block.id))
    enrolments = list(Enrolment.objects.values_list("pk", "course_id"))
    written = 0
    while written < total:
        batch = []
        for index in range(min(50_000, total - written)):
            enrolment_id, course_id = enrolments[(written + index) % len(enrolments)]
            lesson_id, block_id = blocks[course_id][(written + index) % 5]
            batch.append(
                ActivityResult(
                    enrolment_id=enrolment_id,
                    lesson_id=lesson_id,
                    block_id=block_id,
                    activity_iri=activity_iri(lesson_id=lesson_id, block_id=block_id),
                    event_id=f"seed-{written + index}",
                    score_scaled=(written + index) % 2,
                    success=bool((written + index) % 2),
                )
            )
        ActivityResult.objects.bulk_create(batch)
        written += len(batch)
    return written


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm Wagtail's site-root cache, as a running site would have it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def page_queries(learner_id: int, admin, ministry) -> dict[str, int]:
    from django.contrib.auth import get_user_model

    learner = get_user_model().objects.get(pk=learner_id)
    client = Client()
    client.force_login(learner)
    staff = Client()
    staff.force_login(admin)
    return {
        "dashboard": count_queries(client, reverse("learner:dashboard")),
        "organisation report": count_queries(staff, reverse("lms_admin:organisation_report", args=[ministry.pk])),
    }


def time_recording(samples: int, content) -> tuple[float, float, float]:
    """Median seconds of record_activity_result for a fresh event (on PostgreSQL one call of the database
    function), of the same rules through the ORM (the path other databases take), and of a bare insert."""
    from django.contrib.auth import get_user_model

    from courses.activities import activity_iri
    from lms.models import ActivityResult, Enrolment
    from lms.progress.recording import _record_with_orm
    from lms.progress.structure import published_activity
    from lms.services import record_activity_result

    course, lessons = content[0]
    enrolment = Enrolment.objects.filter(course=course).select_related("user").first()
    user = get_user_model().objects.get(pk=enrolment.user_id)
    block = next(b for b in lessons[1].body if b.block_type == "knowledge_check")
    iri = activity_iri(lesson_id=lessons[1].pk, block_id=block.id)
    service, orm, bare = [], [], []
    for i in range(samples):
        started = time.perf_counter()
        record_activity_result(user=user, activity_iri=iri, event_id=f"bench-{uuid.uuid4()}", score_scaled=i % 2)
        service.append(time.perf_counter() - started)
        started = time.perf_counter()
        _record_with_orm(
            user=user,
            activity=published_activity(iri),
            fields={
                "activity_iri": iri,
                "event_id": f"orm-{uuid.uuid4()}",
                "score_raw": None,
                "score_max": None,
                "score_scaled": i % 2,
                "success": None,
                "completion": None,
                "duration": None,
            },
        )
        orm.append(time.perf_counter() - started)
        started = time.perf_counter()
        ActivityResult.objects.create(
            enrolment=enrolment,
            lesson_id=lessons[1].pk,
            block_id=block.id,
            activity_iri=iri,
            event_id=f"bare-{uuid.uuid4()}",
            score_scaled=i % 2,
        )
        bare.append(time.perf_counter() - started)
    return statistics.median(service), statistics.median(orm), statistics.median(bare)


def export_peak(ministry, limit: int | None, fmt: str) -> tuple[int, float]:
    """Rows exported and peak traced memory (MiB) while producing the whole download."""
    import tempfile

    from lms.organisations.selectors import ENROLMENT_EXPORT_HEADINGS, organisation_enrolment_rows
    from lms.reports.exports import _csv_lines, write_xlsx

    rows = organisation_enrolment_rows(organisation=ministry)
    counted = {"n": 0}

    def limited():
        for row in rows:
            if limit is not None and counted["n"] >= limit:
                return
            counted["n"] += 1
            yield row

    tracemalloc.start()
    if fmt == "csv":
        for _line in _csv_lines(ENROLMENT_EXPORT_HEADINGS, limited()):
            pass
    else:
        with tempfile.TemporaryFile() as file:
            write_xlsx(headings=ENROLMENT_EXPORT_HEADINGS, rows=limited(), file=file)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return counted["n"], peak / 2**20


def main() -> None:
    args = parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: DATABASE_URL=postgres://… (it creates and drops test_<name>).")
    setup_test_environment()
    settings.DEBUG = False
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


def run(args) -> None:
    from django.contrib.auth import get_user_model

    started = time.perf_counter()
    content = build_content(args.courses)
    ministry, users = build_people(args.learners)
    admin = get_user_model().objects.create_superuser("bench-admin", "admin@example.gov.bd", None)
    per_learner = max(1, min(args.courses, 100_000 // max(1, args.learners)))

    # Small size: a tenth of the learners enrolled, no records yet.
    build_enrolments(users[: max(1, len(users) // 100)], content, per_learner=1)
    small = page_queries(users[0], admin, ministry)

    from lms.models import Enrolment

    Enrolment.objects.all().delete()
    build_enrolments(users, content, per_learner=per_learner)
    records = build_records(args.records, content)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    enrolments = Enrolment.objects.count()
    print(
        f"data: {len(users):,} learners, {len(content)} courses, {enrolments:,} enrolments, "
        f"{records:,} activity results (built in {time.perf_counter() - started:.0f} s)"
    )
    large = page_queries(users[0], admin, ministry)
    for page, count in large.items():
        print(f"queries, {page}: {small[page]} at the small size, {count} at the full size")

    with transaction.atomic():
        pass
    service, orm, bare = time_recording(args.samples, content)
    print(
        f"record one activity result: median {service * 1000:.2f} ms; bare insert of the same row: "
        f"{bare * 1000:.2f} ms; ratio {service / bare:.2f}x "
        f"(the same rules through the ORM, as on SQLite: {orm * 1000:.2f} ms, {orm / bare:.2f}x)"
    )
    for fmt in ("csv", "xlsx"):
        few, few_peak = export_peak(ministry, 10_000, fmt)
        many, many_peak = export_peak(ministry, None, fmt)
        print(
            f"{fmt} export peak memory: {few_peak:.1f} MiB for {few:,} rows, {many_peak:.1f} MiB for {many:,} rows; "
            f"ratio {many_peak / few_peak:.2f} for {many / few:.0f}x the rows"
        )


if __name__ == "__main__":
    main()
