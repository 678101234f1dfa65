"""Every way of enrolling answers the same case the same way: a test that fails when two paths disagree.

The matrix of cases (a published course, a draft, a course restricted to a group the learner is not
in, one restricted to signed-in learners, a course already enrolled in through its Bengali copy, a
prerequisite completed in Bengali, a prerequisite missing, an inactive account) goes through each
path as its callers use it: the learner's enrol button and the API's me/enrolments, the admin's
"enrol a member" form and the API's organisation enrolments, the CSV import, and assignments. Each
path's outcome is reduced to (enrolled?, refusal code) and every path must give the expected one.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from wagtail.models import PageViewRestriction

from lms.models import Enrolment, EnrolmentStatus
from lms.services import (
    EnrolmentRefused,
    assign_course,
    enrol,
    import_enrolments,
    make_organisation_admin,
    set_membership,
)
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    translate,
    translate_tree,
)

from .factories import organisation

CASES = {
    "published": (True, None),
    "draft": (False, "course_not_published"),
    "group_restricted": (False, "course_not_published"),
    "sign_in_restricted": (True, None),
    "enrolled_in_bengali": (False, "already_enrolled"),
    "prerequisite_done_in_bengali": (True, None),
    "prerequisite_missing": (False, "prerequisites_missing"),
    "inactive": (False, "not_a_member"),
}
SELF_PATHS = {"learner_page", "api_me"}
PATHS = ["learner_page", "api_me", "admin_form", "api_organisation", "csv", "assignment"]


def _course(catalogue, title, *, live=True):
    course = CoursePageFactory(parent=catalogue, title=title, live=live)
    module = ModulePageFactory(parent=course, live=live)
    LessonPageFactory(parent=module, live=live)
    return course


@pytest.fixture
def world(tree):
    """The cases: each a (learner, course) pair, the learners members of one unit."""
    unit = organisation("Ministry of Posts")
    admin = UserFactory(username="unit-admin")
    make_organisation_admin(user=admin, organisation=unit)
    bengali = translate_tree(tree, "bn")
    staff = Group.objects.create(name="Senior staff")
    cases = {}

    def learner(case, **fields):
        user = UserFactory(username=f"learner-{case.replace('_', '-')}", email=f"{case}@gov.bd", **fields)
        set_membership(user=user, organisation=unit)
        return user

    cases["published"] = (learner("published"), _course(tree.catalogue, "Published"))
    cases["draft"] = (learner("draft"), _course(tree.catalogue, "Draft", live=False))
    restricted = _course(tree.catalogue, "For senior staff")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.GROUPS).groups.add(staff)
    cases["group_restricted"] = (learner("group_restricted"), restricted)
    signed_in_only = _course(tree.catalogue, "For signed-in learners")
    PageViewRestriction.objects.create(page=signed_in_only, restriction_type=PageViewRestriction.LOGIN)
    cases["sign_in_restricted"] = (learner("sign_in_restricted"), signed_in_only)
    enrolled = learner("enrolled_in_bengali")
    enrol(user=enrolled, course=bengali[tree.course.pk])
    cases["enrolled_in_bengali"] = (enrolled, tree.course)

    advanced = _course(tree.catalogue, "Advanced")
    advanced.prerequisites.add(tree.course)
    advanced.save_revision().publish()
    translate(advanced, "bn", title="উন্নত")
    done = learner("prerequisite_done_in_bengali")
    Enrolment.objects.create(user=done, course=tree.course, status=EnrolmentStatus.COMPLETED, language="bn")
    cases["prerequisite_done_in_bengali"] = (done, advanced)
    cases["prerequisite_missing"] = (learner("prerequisite_missing"), advanced)
    cases["inactive"] = (learner("inactive", is_active=False), _course(tree.catalogue, "Any course"))
    return {"unit": unit, "admin": admin, "cases": cases}


def _enrolled(user, course) -> bool:
    return Enrolment.objects.filter(user=user, course=course).exists()


def through(path: str, world, case: str) -> tuple[bool, str | None]:
    user, course = world["cases"][case]
    unit, admin = world["unit"], world["admin"]
    before = _enrolled(user, course)
    code = None
    if path == "learner_page":
        client = Client()
        client.force_login(user)
        response = client.post(reverse("learner:enrol", args=[course.pk]))
        if response.status_code == 404:
            code = "course_not_published"  # the course page is not there for this learner
    elif path == "api_me":
        token = Token.objects.create(user=user)
        response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").post(
            "/api/v1/me/enrolments/", {"course": course.pk}, content_type="application/json"
        )
        code = None if response.status_code == 201 else response.json()["code"]
    elif path == "admin_form":
        client = Client()
        client.force_login(admin)
        response = client.post(
            reverse("lms_admin:organisation_enrol_member", args=[unit.pk]),
            {"member": user.username, "course": course.pk},
        )
        if response.status_code == 400:
            errors = response.context["form"].errors
            code = "not_a_member" if "member" in errors else "refused"
    elif path == "api_organisation":
        client = Client()
        client.force_login(admin)
        response = client.post(
            f"/api/v1/organisations/{unit.pk}/enrolments/",
            {"email": user.email, "course": course.pk},
            content_type="application/json",
        )
        code = None if response.status_code == 201 else response.json()["code"]
    elif path == "csv":
        result = import_enrolments(organisation=unit, raw=f"email,course\n{user.email},{course.pk}\n".encode())
        code = None if result.ok else "refused"
    elif path == "assignment":  # one assignment per course, whose decision for each member is read
        assigned = world.setdefault("assigned", {})
        if course.pk not in assigned:
            try:
                assignment, _created = assign_course(organisation=unit, course=course, due_on=_later())
            except EnrolmentRefused as refused:  # the course cannot be assigned at all
                assigned[course.pk] = refused.code
            else:
                assigned[course.pk] = assignment.decisions
        decisions = assigned[course.pk]
        code = decisions if isinstance(decisions, str) else decisions.get(user.pk)
    enrolled = _enrolled(user, course) and not before
    return enrolled, code


def _later():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=30)


def _normalise(path: str, expected: tuple[bool, str | None], got: tuple[bool, str | None]):
    """Paths that show a page (the learner's and the admin's forms, the CSV) say why in words, not
    codes: for them a refusal is "refused", except where the form tells the field."""
    enrolled, code = expected
    if path in {"admin_form", "csv"} and code not in (None, "not_a_member"):
        code = "refused"
    if path == "csv" and code == "not_a_member":
        code = "refused"  # an inactive account reads like nobody in a file of emails
    if path == "learner_page" and code not in (None, "course_not_published"):
        code = None  # the learner page says why in a message after the redirect
    return (enrolled, code), got


@pytest.mark.parametrize("path", PATHS)
def test_every_path_gives_the_same_answer_for_the_same_case(world, path):
    outcomes = {}
    for case, expected in CASES.items():
        if path in SELF_PATHS and case == "inactive":
            continue  # an inactive account cannot sign in to enrol itself
        want, got = _normalise(path, expected, through(path, world, case))
        outcomes[case] = (want, got)
    disagreements = {case: pair for case, pair in outcomes.items() if pair[0] != pair[1]}
    assert disagreements == {}, disagreements
