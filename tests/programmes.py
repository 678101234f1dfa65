"""Building competency frameworks, programmes and roles for tests, and completing courses through
the real progress path (enrol, complete each lesson)."""

from django.utils.text import slugify

from courses.competencies.models import Competency, CompetencyFramework, Programme, ProgrammeCourse
from lms.models import LearnerKind, LearnerProfile, Organisation, Role
from lms.services import complete_lesson, enrol
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, locale


def framework_with(*competencies: tuple[str, str], title: str = "Digital governance competencies") -> list[Competency]:
    framework = CompetencyFramework.objects.create(
        title=title, creator="Capacity Building Commission", version="1.0", locale=locale("en")
    )
    return [
        Competency.objects.create(framework=framework, code=code, name=name, locale=locale("en"))
        for code, name in competencies
    ]


def course_with_lesson(catalogue, title: str, *, competencies=()):
    course = CoursePageFactory(parent=catalogue, title=title)
    module = ModulePageFactory(parent=course)
    LessonPageFactory(parent=module, body=[])  # a lesson the learner marks done
    if competencies:
        course.competencies.set(competencies)
        course.save_revision().publish()
        course.refresh_from_db()
    return course


def programme_of(courses, *, optional=(), minimum=None, competencies=(), title="Digital governance programme"):
    programme = Programme.objects.create(title=title, slug=slugify(title), minimum_courses=minimum, locale=locale("en"))
    for order, course in enumerate(courses):
        ProgrammeCourse.objects.create(
            programme=programme, course=course, optional=course in optional, sort_order=order
        )
    programme.competencies.set(competencies)
    programme.save()  # a parental many-to-many is written when its cluster is saved
    return programme


def complete_course(user, course):
    """Enrol and complete every lesson: the path a learner takes (course_completed after commit)."""
    from courses.models import LessonPage

    enrol(user=user, course=course)
    enrolment = None
    for lesson in LessonPage.objects.live().descendant_of(course).order_by("path"):
        enrolment = complete_lesson(user=user, lesson=lesson)
    return enrolment


def civil_servant(
    user, *, organisation: Organisation, role: Role | None = None, designation: str = ""
) -> LearnerProfile:
    profile, _created = LearnerProfile.objects.update_or_create(
        user=user,
        defaults={
            "kind": LearnerKind.CIVIL_SERVANT,
            "organisation": organisation,
            "role": role,
            "designation": designation or (role.name if role else ""),
        },
    )
    return profile


def role_needing(name: str, competencies, *, organisation: Organisation | None = None) -> Role:
    role = Role.objects.create(name=name, organisation=organisation)
    role.competencies.set(competencies)
    role.save()
    return role
