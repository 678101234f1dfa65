"""Programmes and competencies on the learner side: the completion rule (one pure function), the
dashboard's "competencies earned" and "your role still needs", and the organisation's coverage report."""

import pytest
from django.test import Client
from django.urls import reverse

from lms.models import ProgrammeCompletion
from lms.programmes.rules import CourseState, programme_progress
from lms.services import make_organisation_admin
from tests.factories import UserFactory
from tests.programmes import (
    civil_servant,
    complete_course,
    course_with_lesson,
    framework_with,
    programme_of,
    role_needing,
)

from .factories import organisation


@pytest.fixture(autouse=True)
def _tasks_in_process(monkeypatch):
    """Certificates are issued in the test's process, whatever broker CI's PostgreSQL phase names."""
    from certification.tasks import issue_certificate_task

    monkeypatch.setitem(issue_certificate_task.app.conf, "task_always_eager", True)


def state(title="A", *, optional=False, completed=False, published=True) -> CourseState:
    return CourseState(title=title, optional=optional, completed=completed, published=published)


# --- the rule ------------------------------------------------------------------------------------


def test_all_courses_are_needed_without_a_minimum():
    progress = programme_progress(courses=[state(completed=True), state(optional=True)], minimum=None)
    assert (progress.completed, progress.needed, progress.complete) == (1, 2, False)
    assert programme_progress(courses=[state(completed=True), state(completed=True)], minimum=None).complete


def test_a_minimum_counts_optional_courses_but_never_excuses_a_required_one():
    courses = [state("Core"), state("X", optional=True, completed=True), state("Y", optional=True, completed=True)]
    progress = programme_progress(courses=courses, minimum=2)
    assert progress.completed == 2 and not progress.complete and progress.missing_required == ("Core",)
    assert programme_progress(courses=[state("Core", completed=True), *courses[1:]], minimum=2).complete


def test_the_minimum_is_at_least_the_required_courses_and_at_most_all():
    assert programme_progress(courses=[state(), state()], minimum=1).needed == 2
    assert programme_progress(courses=[state(optional=True)] * 3, minimum=9).needed == 3


def test_an_unpublished_course_is_named_and_blocks_only_when_it_must():
    required_gone = programme_progress(
        courses=[state("Core", published=False), state("B", completed=True)], minimum=None
    )
    assert required_gone.blocked and required_gone.unavailable == ("Core",)
    optional_gone = [state("Core"), state("X", optional=True, published=False), state("Y", optional=True)]
    progress = programme_progress(courses=optional_gone, minimum=2)
    assert progress.unavailable == ("X",) and not progress.blocked  # Y can still make the count
    done_then_gone = programme_progress(courses=[state("Core", completed=True, published=False)], minimum=None)
    assert done_then_gone.complete and not done_then_gone.unavailable


def test_an_empty_programme_is_never_complete():
    assert not programme_progress(courses=[], minimum=None).complete


# --- the dashboard -------------------------------------------------------------------------------


@pytest.fixture
def digital_governance(tree):
    interop, design, procurement = framework_with(
        ("DG-1", "Interoperability"), ("DG-2", "Service design"), ("DG-3", "ICT procurement")
    )
    first = course_with_lesson(tree.catalogue, "Interoperability basics", competencies=[interop])
    second = course_with_lesson(tree.catalogue, "Designing services", competencies=[design])
    programme = programme_of([first, second], competencies=[interop, design])
    return {"competencies": (interop, design, procurement), "courses": (first, second), "programme": programme}


def test_dashboard_shows_programme_progress_competencies_earned_and_what_the_role_needs(
    digital_governance, django_capture_on_commit_callbacks
):
    interop, design, procurement = digital_governance["competencies"]
    first, second = digital_governance["courses"]
    unit = organisation("ICT Division", code="ictd")
    role = role_needing("District ICT officer", [interop, procurement], organisation=unit)
    officer = UserFactory(username="rahim")
    civil_servant(officer, organisation=unit, role=role)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)

    client = Client()
    client.force_login(officer)
    page = client.get("/en/learning/").content.decode()
    assert "Digital governance programme" in page and "1 of 2 courses completed" in page
    earned, needed = page.split("Competencies earned")[1].split("Your role still needs")
    assert "Interoperability" in earned and "ICT procurement" not in earned
    assert "District ICT officer" in needed and "ICT procurement" in needed and "Interoperability" not in needed

    bengali = client.get("/bn/learning/").content.decode()
    assert "২টির মধ্যে ১টি কোর্স সম্পন্ন" in bengali.split('id="programmes-heading"')[1]
    assert "50%" not in bengali and "৫০%" in bengali


def test_a_completed_programme_links_its_certificate_on_the_dashboard(
    digital_governance, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "keys.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    first, second = digital_governance["courses"]
    officer = UserFactory(username="nusrat")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
        complete_course(officer, second)
    completion = ProgrammeCompletion.objects.get(user=officer)
    client = Client()
    client.force_login(officer)
    page = client.get("/en/learning/").content.decode()
    certificate = completion.certificates.get()
    assert "Programme completed on" in page
    assert reverse("certification_pages:verification_page", args=[certificate.pk]) in page


def test_dashboard_names_an_unpublished_course_that_blocks_the_programme(
    digital_governance, django_capture_on_commit_callbacks
):
    first, second = digital_governance["courses"]
    officer = UserFactory(username="karim")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
    second.unpublish()
    client = Client()
    client.force_login(officer)
    page = client.get("/en/learning/").content.decode()
    assert "This programme cannot be completed now: Designing services is no longer published." in page
    assert not ProgrammeCompletion.objects.exists()


# --- the organisation's coverage report ----------------------------------------------------------


def test_coverage_per_unit_counts_members_whose_role_needs_each_competency(
    digital_governance, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    interop, _design, procurement = digital_governance["competencies"]
    first, _second = digital_governance["courses"]
    ministry = organisation("Ministry of Posts", code="mopt")
    division = organisation("ICT Division", parent=ministry, code="ictd")
    elsewhere = organisation("Ministry of Health", code="moh")
    role = role_needing("District ICT officer", [interop, procurement])
    trained, untrained, outsider = (UserFactory(username=name) for name in ("a", "b", "c"))
    civil_servant(trained, organisation=division, role=role)
    civil_servant(untrained, organisation=ministry, role=role)
    civil_servant(outsider, organisation=elsewhere, role=role)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(trained, first)
        complete_course(outsider, first)
    admin = UserFactory(username="admin-mopt")
    make_organisation_admin(user=admin, organisation=ministry)
    client = Client()
    client.force_login(admin)
    url = reverse("lms_admin:organisation_competencies", args=[ministry.pk])
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200
    coverage = {row.unit.code: row for row in response.context["coverage"]}
    ministry_cells = {cell.competency.code: (cell.earned, cell.needed) for cell in coverage["mopt"].cells}
    assert ministry_cells == {"DG-1": (1, 2), "DG-3": (0, 2)}  # the outsider is not counted
    assert {c.competency.code: (c.earned, c.needed) for c in coverage["ictd"].cells} == {"DG-1": (1, 1), "DG-3": (0, 1)}
    assert set(coverage) == {"mopt", "ictd"}

    # from outside: another organisation's admin, and a learner, get a 404
    stranger = UserFactory(username="admin-moh")
    make_organisation_admin(user=stranger, organisation=elsewhere)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(trained)
    assert client.get(url).status_code in (302, 404)


def test_dashboard_costs_the_same_queries_for_one_programme_or_three(
    digital_governance, django_capture_on_commit_callbacks, tree
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = digital_governance["courses"]
    officer = UserFactory(username="rahima")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(officer, first)
    client = Client()
    client.force_login(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/learning/").status_code == 200
        return len(captured)

    queries()  # warms the caches of site root paths and locales
    one = queries()
    for title in ("Second programme", "Third programme"):
        programme_of([first, second], title=title)
    three = queries()
    assert three == one
    assert client.get("/en/learning/").content.decode().count('class="programme-courses"') == 3
