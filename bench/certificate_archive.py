"""Peak memory of downloading a course's certificates as one ZIP, at two sizes.

    .venv/bin/python bench/certificate_archive.py [--sizes 1000 10000]

Builds a throw-away site (demo seed, SQLite) in a temporary folder, issues one real certificate,
then copies its row (new ids, users, enrolments and status bits; the same PDF file, as storage holds
it) until the course has each size, and downloads ``/api/v1/courses/<id>/certificates.zip`` through
Django's test client as a certificate admin, reading the streamed body to the end. Printed per
size: the archive's size and time, and the peak of Python's allocations while it streamed
(tracemalloc). Flat memory means the same peak at both sizes.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def grow(template, course, status_list, total: int, start: int) -> None:
    """Add certificates (and their learners and enrolments) until the course has ``total``."""
    from django.contrib.auth import get_user_model

    from certification.models import Certificate
    from lms.models import Enrolment, EnrolmentStatus

    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"archive-{i}", first_name="Nusrat", last_name=f"Jahan {i}")
        for i in range(start, total)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            user=user,
            course=course,
            status=EnrolmentStatus.COMPLETED,
            progress_percent=100,
            completed_at=template.completed_at,
        )
        for user in users
    )
    fields = {
        name: getattr(template, name)
        for name in (
            "issuer_id",
            "course_title",
            "credit_hours",
            "accrediting_body_name",
            "language",
            "completed_at",
            "issued_at",
            "verification_method",
            "credential",
            "renderer",
        )
    }
    Certificate.objects.bulk_create(
        (
            Certificate(
                id=uuid.uuid4(),
                enrolment=enrolment,
                user_id=enrolment.user_id,
                course=course,
                recipient_name=f"Nusrat Jahan {i}",
                pdf=template.pdf.name,
                badge=template.badge.name,
                status_list=status_list,
                status_index=i,
                **fields,
            )
            for i, enrolment in enumerate(enrolments, start=start)
        ),
        batch_size=1000,
    )


def download(client, url: str) -> tuple[int, int, float, float]:
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get(url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return response.status_code, size, seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10000], help="certificate counts")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "learning_site.settings.dev",
            "LMS_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        }
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from certification.services import issue_certificate
    from certification.status_lists import new_status_list
    from courses.models import CoursePage
    from lms.models import Enrolment, EnrolmentStatus

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("seed_demo", stdout=devnull, stderr=devnull)
    course = CoursePage.objects.get(slug="digital-governance-foundations", locale__language_code="en")
    learner = get_user_model().objects.create(username="archive-first", first_name="Nusrat", last_name="Jahan")
    template = issue_certificate(
        enrolment=Enrolment.objects.create(
            user=learner,
            course=course,
            status=EnrolmentStatus.COMPLETED,
            progress_percent=100,
            completed_at=timezone.now(),
        )
    )
    existing = template.__class__.objects.filter(course__translation_key=course.translation_key).count()
    admin = get_user_model().objects.create_superuser("archive-admin", "admin@example.gov.bd", "x")
    client = Client()
    client.force_login(admin)
    url = f"/api/v1/courses/{course.pk}/certificates.zip"
    print(f"PDF {template.pdf.size:,} bytes, credential {len(template.credential):,} bytes; figures from this run.\n")
    print(f"{'certificates':>12}{'ZIP MB':>10}{'seconds':>10}{'peak MB (tracemalloc)':>24}")
    download(client, url)  # once unmeasured: imports, templates and caches are then warm, as in a server
    status_list = new_status_list(issuer=template.issuer)  # fresh bits for the copies
    have = existing
    for size in sorted(args.sizes):
        if size > have:
            grow(template, course, status_list, size - existing, have - existing)
            have = size
        status, length, seconds, peak = download(client, url)
        assert status == 200, status
        print(f"{have:>12,}{length / 2**20:>10.1f}{seconds:>10.1f}{peak:>24.2f}")


if __name__ == "__main__":
    main()
