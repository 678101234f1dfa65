"""A demo cohort worth looking at: forty civil servants in three departments of a ministry, with
assignments due in the past and the future, and progress of every kind (not started, in progress,
completed, overdue), so the reports, charts, dashboards and reminders show real figures.

It runs on every ``make serve``, so it is built with a handful of bulk inserts rather than through
the learning services one lesson at a time; the facts it writes follow the same rules (the course
structure the services use, ``course_progress`` for percent and score). Completions made here do not
send ``course_completed``: the demo's two certificates come from ``certification.seeding``, which
goes through the real pipeline. It builds the cohort once; running it again changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage

from .models import (
    ActivityScore,
    Assignment,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    LearnerKind,
    LearnerProfile,
    LessonProgress,
    Organisation,
)
from .progress.completion import course_progress
from .progress.structure import course_structure

COHORT_SIZE = 40
PASSWORD = "demo-learner-pass"  # noqa: S105  (public demo password, as in users.yaml)
FIRST_NAMES = ["Ayesha", "Tanvir", "Sadia", "Rakib", "Farzana", "Imran", "Nasrin", "Habib", "Sumaiya", "Kamal"]
LAST_NAMES = ["Hossain", "Begum", "Chowdhury", "Sarkar"]
DESIGNATIONS = ["Assistant Programmer", "System Analyst", "Administrative Officer", "Assistant Secretary"]
# (department code, course slug, due in days): each department's assignment besides the division's.
DEPARTMENT_ASSIGNMENTS = [
    ("egov-cell", None, None),
    ("cyber-cell", "ict-procurement", -14),  # past: the learners who have not finished are overdue
    ("services-cell", "smartphone-and-online-safety", 5),  # due soon: inside the reminder window
]
DIVISION, DIVISION_COURSE, DIVISION_DUE = "ictd", "digital-governance-foundations", 30
TRAINER, TRAINER_COURSES = "trainer", ["digital-governance-foundations", "ict-procurement"]


def _course(slug: str) -> CoursePage:
    return CoursePage.objects.live().get(slug=slug, locale__language_code="en")


def _share(index: int, lessons: int) -> int:
    """How many of a course's lessons learner ``index`` has done: about one in five none, one in four
    all of them, the rest part of the way."""
    step = (index * 7) % 11
    return 0 if step < 2 else lessons if step >= 8 else round(lessons * (step - 1) / 7)


def give_trainer_courses(username: str = TRAINER, slugs: list[str] = TRAINER_COURSES) -> int:
    """The demo trainer owns two courses (every language's copy), so their report has results."""
    trainer = get_user_model().objects.filter(username=username).first()
    if trainer is None:
        return 0
    keys = CoursePage.objects.filter(slug__in=slugs, locale__language_code="en").values("translation_key")
    return CoursePage.objects.filter(translation_key__in=keys).exclude(owner=trainer).update(owner=trainer)


def _assignments(now) -> dict[str, list[Assignment]]:
    """The assignments that apply to each department: the division's and the department's own."""
    division = Organisation.objects.get(code=DIVISION)
    shared, _ = Assignment.objects.get_or_create(
        organisation=division,
        course=_course(DIVISION_COURSE),
        defaults={"due_on": now.date() + timedelta(days=DIVISION_DUE)},
    )
    by_department = {}
    for code, slug, due_in in DEPARTMENT_ASSIGNMENTS:
        own = []
        if slug:
            # Created directly: the service refuses a due date in the past, which the demo needs.
            assignment, _ = Assignment.objects.get_or_create(
                organisation=Organisation.objects.get(code=code),
                course=_course(slug),
                defaults={"due_on": now.date() + timedelta(days=due_in)},
            )
            own.append(assignment)
        by_department[code] = [shared, *own]
    return by_department


@transaction.atomic
def seed_demo_cohort(size: int = COHORT_SIZE) -> int:
    """Create the cohort once; return how many learners were created (0 when it already exists)."""
    User = get_user_model()
    give_trainer_courses()
    if User.objects.filter(username="learner01").exists():
        return 0
    now = timezone.now()
    assignments = _assignments(now)
    departments = {unit.code: unit for unit in Organisation.objects.filter(code__in=list(assignments))}
    password = make_password(PASSWORD)  # hashed once: forty hashes would cost seconds on every serve
    users = User.objects.bulk_create(
        [
            User(
                username=f"learner{i + 1:02d}",
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=LAST_NAMES[i // len(FIRST_NAMES) % len(LAST_NAMES)],
                email=f"learner{i + 1:02d}@example.gov.bd",
                password=password,
            )
            for i in range(size)
        ]
    )
    users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))
    codes = [code for code, _slug, _due in DEPARTMENT_ASSIGNMENTS]
    LearnerProfile.objects.bulk_create(
        [
            LearnerProfile(
                user=user,
                kind=LearnerKind.CIVIL_SERVANT,
                organisation=departments[codes[i % len(codes)]],
                designation=DESIGNATIONS[i % len(DESIGNATIONS)],
            )
            for i, user in enumerate(users)
        ]
    )
    structures = {}
    plans = []  # (enrolment, lesson ids done, structure, index)
    for i, user in enumerate(users):
        for offset, assignment in enumerate(assignments[codes[i % len(codes)]]):
            structure = structures.get(assignment.course_id) or course_structure(course_id=assignment.course_id)
            structures[assignment.course_id] = structure
            order = [pk for pk in structure.lesson_order if pk in structure.required_lesson_ids]
            done = order[: _share(i + offset * 3, len(order))]
            plans.append((user, assignment, structure, done, i))
    enrolments = []
    for user, assignment, structure, done, i in plans:
        activities = [block for pk in done for block in sorted(structure.activities_by_lesson.get(pk, ()))]
        scores = [Decimal(1) if (i + n) % 4 else Decimal("0.5") for n in range(len(activities))]
        all_activities = len(structure.activity_ids)
        progress = course_progress(
            lessons_done=len(done),
            required_lessons=len(structure.required_lesson_ids),
            score_total=sum(scores, Decimal(0)) if activities else None,
            activities=all_activities,
            passing_score=structure.passing_score,
        )
        complete = progress.percent == 100
        started = now - timedelta(days=20 + i % 10) if done else None
        enrolment = Enrolment(
            user=user,
            course_id=assignment.course_id,
            status=EnrolmentStatus.COMPLETED
            if complete
            else (EnrolmentStatus.IN_PROGRESS if done else EnrolmentStatus.ENROLLED),
            source=EnrolmentSource.ASSIGNMENT,
            assignment=assignment,
            due_on=assignment.due_on,
            progress_percent=progress.percent,
            score_scaled=progress.score,
            started_at=started,
            completed_at=now - timedelta(days=i % 15) if complete else None,
            last_lesson_id=done[-1] if done else None,
            language="en",
        )
        enrolment.plan = (done, activities, scores, started)
        enrolments.append(enrolment)
    Enrolment.objects.bulk_create(enrolments)
    saved = {
        (e.user_id, e.course_id): e for e in Enrolment.objects.filter(user__in=users).only("pk", "user_id", "course_id")
    }
    lesson_rows, score_rows = [], []
    for enrolment in enrolments:
        done, activities, scores, started = enrolment.plan
        pk = saved[(enrolment.user_id, enrolment.course_id)].pk
        lesson_rows += [LessonProgress(enrolment_id=pk, lesson_id=lesson, completed_at=started) for lesson in done]
        structure = structures[enrolment.course_id]
        by_block = {block: lesson for lesson in done for block in structure.activities_by_lesson.get(lesson, ())}
        score_rows += [
            ActivityScore(
                enrolment_id=pk,
                lesson_id=by_block[block],
                block_id=block,
                score_scaled=score,
                success=score >= Decimal("0.7"),
                attempts=1 + (score < 1),
            )
            for block, score in zip(activities, scores, strict=True)
        ]
    LessonProgress.objects.bulk_create(lesson_rows)
    ActivityScore.objects.bulk_create(score_rows)
    return len(users)
