"""The demo seed builds a cohort worth looking at, quickly, and running it again changes nothing."""

import time
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from courses.models import CoursePage
from lms.models import ActivityScore, Assignment, Enrolment, LessonProgress, Organisation

pytestmark = pytest.mark.django_db(transaction=True)  # the demo site (tests/conftest.py)


def counts() -> dict:
    return {
        "users": get_user_model().objects.count(),
        "enrolments": Enrolment.objects.count(),
        "lessons": LessonProgress.objects.count(),
        "scores": ActivityScore.objects.count(),
        "assignments": Assignment.objects.count(),
        "units": Organisation.objects.count(),
        "statuses": Counter(Enrolment.objects.values_list("status", flat=True)),
    }


def test_the_seed_builds_a_varied_cohort_and_running_it_again_changes_nothing(demo_site):
    first = counts()
    assert Organisation.objects.get(code="moptict").get_descendants().filter(kind="department").count() == 3
    cohort = get_user_model().objects.filter(username__startswith="learner")
    assert cohort.count() == 40
    assert {"enrolled", "in_progress", "completed"} <= set(first["statuses"])
    assert min(first["statuses"].values()) >= 5
    today = timezone.localdate()
    assert Assignment.objects.filter(due_on__lt=today).exists() and Assignment.objects.filter(due_on__gt=today).exists()
    overdue = Enrolment.objects.filter(due_on__lt=today, completed_at__isnull=True)
    assert overdue.count() >= 5
    owned = CoursePage.objects.filter(owner__username="trainer", locale__language_code="en")
    assert owned.count() == 2
    for enrolment in Enrolment.objects.filter(user__in=cohort, status="completed"):
        assert enrolment.progress_percent == 100 and enrolment.completed_at is not None

    started = time.monotonic()
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    assert counts() == first
    assert time.monotonic() - started < 120
