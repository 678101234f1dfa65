"""Reports people can reach, from the outside: a trainer's own courses (created, or shared with them as
co-trainer), the organisation report's drill-down by unit and by learner with the overdue listed and
exported, exports in the site's time zone, and an organisation admin's dashboard."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import CoursePage
from lms.models import Enrolment, EnrolmentStatus, OrganisationKind
from lms.services import make_organisation_admin
from tests.factories import ReviewerFactory, TrainerFactory, UserFactory

from .factories import member, organisation


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_trainer_reads_the_results_of_the_course_they_created(tree):
    trainer = TrainerFactory(username="trainer")
    client = client_for(trainer)
    add = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", tree.catalogue.pk])
    response = client.post(
        add,
        {
            "title": "Service design",
            "slug": "service-design",
            "summary": "Design public services with their users.",
            "audience": "both",
            "level": "foundation",
            "language": "en",
            "estimated_hours": "3.0",
            "score_policy": "best",
            "recertification_window_days": "30",  # the form's initial value
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    course = CoursePage.objects.get(slug="service-design")
    assert course.owner_id == trainer.pk
    assert reverse("lms_admin:course_index") in client.get(reverse("wagtailadmin_home")).content.decode()
    index = client.get(reverse("lms_admin:course_index")).content.decode()
    assert "Service design" in index and tree.course.title not in index
    assert client.get(reverse("lms_admin:course_report", args=[course.pk])).status_code == 200
    assert client.get(reverse("lms_admin:course_report", args=[tree.course.pk])).status_code == 404


def test_an_admin_shares_a_course_with_a_co_trainer(tree):
    co_trainer = TrainerFactory(username="co-trainer")
    client = client_for(co_trainer)
    assert client.get(reverse("lms_admin:course_report", args=[tree.course.pk])).status_code == 404
    tree.course.co_trainers.add(co_trainer)
    tree.course.save_revision().publish()
    assert client.get(reverse("lms_admin:course_report", args=[tree.course.pk])).status_code == 200
    reviewer = client_for(ReviewerFactory(username="reviewer"))
    assert reviewer.get(reverse("lms_admin:course_report", args=[tree.course.pk])).status_code == 404


@pytest.fixture
def units(db):
    ministry = organisation("Ministry of Posts", code="mopt")
    division = organisation("ICT Division", parent=ministry, kind=OrganisationKind.DIVISION, code="ictd")
    department = organisation("e-Gov Department", parent=division, kind=OrganisationKind.DEPARTMENT, code="egov")
    other = organisation("Ministry of Health", code="moh")
    return {"ministry": ministry, "division": division, "department": department, "other": other}


def _progress(tree, unit, *, overdue: int, on_time: int):
    late = timezone.localdate() - timedelta(days=3)
    ahead = timezone.localdate() + timedelta(days=30)
    for index in range(overdue + on_time):
        user = member(unit, first_name="Learner", last_name=f"{unit.code}-{index}")
        Enrolment.objects.create(
            user=user,
            course=tree.course,
            due_on=late if index < overdue else ahead,
            status=EnrolmentStatus.IN_PROGRESS,
            progress_percent=40,
        )


def test_the_report_drills_down_to_units_and_learners_with_the_overdue_first(tree, units):
    officer = UserFactory(username="ministry-officer")
    make_organisation_admin(user=officer, organisation=units["ministry"])
    _progress(tree, units["division"], overdue=1, on_time=1)
    _progress(tree, units["department"], overdue=2, on_time=0)
    client = client_for(officer)
    ministry = client.get(reverse("lms_admin:organisation_report", args=[units["ministry"].pk]))
    rows = {row["label"]: row for row in ministry.context["sub_units"]}
    assert set(rows) == {"ICT Division"} and rows["ICT Division"]["enrolled"] == 4  # the division with its department
    assert reverse("lms_admin:organisation_report", args=[units["division"].pk]) in ministry.content.decode()

    division = client.get(reverse("lms_admin:organisation_report", args=[units["division"].pk]))
    rows = {row["label"]: row for row in division.context["sub_units"]}
    assert rows[""]["enrolled"] == 2 and rows["e-Gov Department"]["overdue"] == 2  # its own members, then units
    learners = list(division.context["learners"])
    assert [row.overdue for row in learners] == [1, 1, 1, 0]
    assert learners[0].overdue_courses[0]["title"] == tree.course.title
    only = client.get(reverse("lms_admin:organisation_report", args=[units["division"].pk]) + "?overdue=1")
    assert len(list(only.context["learners"])) == 3

    export = client.get(reverse("lms_admin:organisation_overdue_export", args=[units["division"].pk, "csv"]))
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert lines[0][:2] == ["username", "first name"] and len(lines) == 4
    assert {line[5] for line in lines[1:]} == {tree.course.title}
    xlsx = client.get(reverse("lms_admin:organisation_overdue_export", args=[units["division"].pk, "xlsx"]))
    sheet = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True).active.values)
    assert len(sheet) == 4


def test_a_drill_down_into_another_organisations_unit_is_a_404(tree, units):
    officer = UserFactory(username="division-officer")
    make_organisation_admin(user=officer, organisation=units["division"])
    client = client_for(officer)
    for unit in ("ministry", "other"):
        assert client.get(reverse("lms_admin:organisation_report", args=[units[unit].pk])).status_code == 404
        url = reverse("lms_admin:organisation_overdue_export", args=[units[unit].pk, "csv"])
        assert client.get(url).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_drill_down_costs_the_same_queries_at_two_sizes(tree, units):
    officer = UserFactory(username="officer-sizes")
    make_organisation_admin(user=officer, organisation=units["division"])
    client = client_for(officer)
    url = reverse("lms_admin:organisation_report", args=[units["division"].pk])
    _progress(tree, units["department"], overdue=1, on_time=1)
    _queries(client, url)
    small = _queries(client, url)
    _progress(tree, units["department"], overdue=30, on_time=30)
    _progress(tree, units["division"], overdue=10, on_time=5)
    assert _queries(client, url) == small


def test_exports_write_moments_in_the_sites_time_zone_as_the_screen_does(tree, units, settings):
    officer = UserFactory(username="officer-tz")
    make_organisation_admin(user=officer, organisation=units["division"])
    learner = member(units["division"], username="karim")
    completed = timezone.make_aware(timezone.datetime(2026, 11, 30, 22, 30), timezone.get_fixed_timezone(0))
    Enrolment.objects.create(
        user=learner, course=tree.course, status=EnrolmentStatus.COMPLETED, completed_at=completed, progress_percent=100
    )
    client = client_for(officer)
    response = client.get(reverse("lms_admin:organisation_export", args=[units["division"].pk, "csv"]))
    row = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1]
    assert row[6] == "Completed"  # the status by its name, as on the screen
    assert row[11] == "2026-12-01 04:30"  # 22:30 UTC is 04:30 the next day in Dhaka
    xlsx = client.get(reverse("lms_admin:organisation_export", args=[units["division"].pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    cell = sheet.cell(row=2, column=12)
    assert cell.value == timezone.datetime(2026, 12, 1, 4, 30) and cell.number_format == "yyyy-mm-dd hh:mm"


def test_an_organisation_admins_dashboard_offers_what_they_may_use(units):
    officer = UserFactory(username="officer-dashboard")
    make_organisation_admin(user=officer, organisation=units["division"])
    page = client_for(officer).get(reverse("wagtailadmin_home")).content.decode()
    assert "Your organisations" in page
    assert reverse("lms_admin:organisation_report", args=[units["division"].pk]) in page
    assert 'form[role="search"] { display: none; }' in page  # no "search all pages" they cannot use
    admin = UserFactory(username="superuser", is_superuser=True, is_staff=True)
    admin_page = client_for(admin).get(reverse("wagtailadmin_home")).content.decode()
    assert 'form[role="search"] { display: none; }' not in admin_page


def test_a_reviewer_without_units_sees_no_organisation_panel(db):
    reviewer = ReviewerFactory(username="plain-reviewer")
    page = client_for(reviewer).get(reverse("wagtailadmin_home")).content.decode()
    assert "Your organisations" not in page
