"""Organisation admins: assignments, CSV enrolment, reports and exports, and who may see them."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from openpyxl import load_workbook

from lms.errors import EnrolmentRefused
from lms.models import Assignment, Enrolment, EnrolmentStatus, OrganisationKind
from lms.services import assign_course, import_enrolments, make_organisation_admin, set_membership
from tests.factories import CoursePageFactory, TrainerFactory, UserFactory

from .factories import member, organisation


@pytest.fixture
def units(db):
    ministry = organisation("Ministry of Posts", code="mopt")
    division = organisation("ICT Division", parent=ministry, kind=OrganisationKind.DIVISION, code="ictd")
    department = organisation("e-Gov Department", parent=division, kind=OrganisationKind.DEPARTMENT, code="egov")
    elsewhere = organisation("Ministry of Health", code="moh")
    return {"ministry": ministry, "division": division, "department": department, "elsewhere": elsewhere}


@pytest.fixture
def officer(units):
    user = UserFactory(username="officer")
    make_organisation_admin(user=user, organisation=units["division"])
    return user


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, unit, text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    file = io.BytesIO(raw)
    file.name = "staff.csv"
    return client.post(reverse("lms_admin:organisation_enrol", args=[unit.pk]), {"file": file})


def test_assigning_enrols_members_of_the_unit_and_its_sub_units(tree, units, officer):
    in_division = member(units["division"])
    in_department = member(units["department"])
    outside = member(units["elsewhere"])
    already = member(units["department"])
    Enrolment.objects.create(user=already, course=tree.course, progress_percent=40)
    due = timezone.localdate() + timedelta(days=30)
    assignment, created = assign_course(organisation=units["division"], course=tree.course, due_on=due)
    assert created == 2
    enrolled = {e.user_id: e for e in Enrolment.objects.filter(course=tree.course)}
    assert set(enrolled) == {in_division.pk, in_department.pk, already.pk}
    assert outside.pk not in enrolled
    assert enrolled[already.pk].progress_percent == 40 and enrolled[already.pk].due_on == due
    with pytest.raises(EnrolmentRefused) as refused:
        assign_course(organisation=units["division"], course=tree.course, due_on=due)
    assert refused.value.code == "already_assigned"
    with pytest.raises(EnrolmentRefused):
        assign_course(organisation=units["ministry"], course=tree.course, due_on=timezone.localdate() - timedelta(1))
    assert Assignment.objects.count() == 1


def test_assignment_through_the_admin(tree, units, officer):
    member(units["department"])
    client = admin_client(officer)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    url = reverse("lms_admin:organisation_assign", args=[units["department"].pk])
    response = client.post(url, {"course": tree.course.pk, "due_on": due})
    assert response.status_code == 302
    assert Enrolment.objects.get().due_on.isoformat() == due
    again = client.post(url, {"course": tree.course.pk, "due_on": due})
    assert again.status_code == 400 and "already assigned" in again.content.decode()


def test_csv_import_of_valid_rows(tree, units, officer):
    first = member(units["department"], email="a@gov.bd")
    second = member(units["division"], email="b@gov.bd")
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    text = f"email,course,due_date\nA@gov.bd,{tree.course.slug},{due}\nb@gov.bd,{tree.course.pk},\n"
    response = upload(admin_client(officer), units["division"], text)
    assert response.status_code == 302
    enrolments = {e.user_id: e for e in Enrolment.objects.all()}
    assert set(enrolments) == {first.pk, second.pk}
    assert enrolments[first.pk].due_on.isoformat() == due and enrolments[second.pk].due_on is None


def test_one_bad_row_imports_nothing_and_says_why(tree, units, officer):
    member(units["department"], email="a@gov.bd")
    member(units["elsewhere"], email="health@gov.bd")
    enrolled = member(units["department"], email="done@gov.bd")
    Enrolment.objects.create(user=enrolled, course=tree.course)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    text = (
        "email,course,due_date\n"
        f"a@gov.bd,{tree.course.slug},\n"
        f"nobody@gov.bd,{tree.course.slug},\n"
        f"a@gov.bd,{tree.course.slug},\n"
        f"a@gov.bd,{tree.course.slug},31/12/2030\n"
        f"health@gov.bd,{tree.course.slug},\n"
        f"done@gov.bd,{tree.course.slug},\n"
        "a@gov.bd,no-such-course,\n"
        f"a@gov.bd,{tree.course.slug},{past}\n"
    )
    client = admin_client(officer)
    response = upload(client, units["division"], text)
    assert response.status_code == 400
    page = response.content.decode()
    # a stranger (row 3) and a person of another organisation (row 7) read the same: no accounts revealed
    assert page.count("No member of ICT Division or its units has this email.") == 2
    for reason in (
        "Duplicate of row 2",
        "is not a date written YYYY-MM-DD",
        "is already enrolled in this course",
        "No published course has this id, code or slug",
        "The due date is in the past",
    ):
        assert reason in page, reason
    assert Enrolment.objects.count() == 1  # only the one that was there before
    refused = client.get(reverse("lms_admin:organisation_refusals", args=[units["division"].pk]))
    rows = list(csv.reader(io.StringIO(b"".join(refused.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["row", "email", "course", "reason"]
    assert [row[0] for row in rows[1:]] == ["3", "4", "5", "6", "7", "8", "9"]


def test_wrong_encoding_and_missing_columns(tree, units, officer):
    client = admin_client(officer)
    latin = "email,course\nmünir@gov.bd,x\n".encode("latin-1")
    assert "not UTF-8" in upload(client, units["division"], latin).content.decode()
    assert "must name the columns" in upload(client, units["division"], "name,course\nx,y\n").content.decode()
    assert "no rows" in upload(client, units["division"], "email,course\n").content.decode()
    assert Enrolment.objects.count() == 0


def test_import_service_refuses_everything_when_a_row_is_refused(tree, units):
    member(units["department"], email="a@gov.bd")
    result = import_enrolments(
        organisation=units["ministry"], raw=f"email,course\na@gov.bd,{tree.course.slug}\n,x\n".encode()
    )
    assert not result.ok and result.refusals[0].row == 3 and "missing" in result.refusals[0].reason
    assert Enrolment.objects.count() == 0


def _seed_progress(tree, units, count: int):
    for index in range(count):
        unit = units["department"] if index % 2 else units["division"]
        user = member(unit)
        Enrolment.objects.create(
            user=user,
            course=tree.course,
            status=[EnrolmentStatus.ENROLLED, EnrolmentStatus.IN_PROGRESS, EnrolmentStatus.COMPLETED][index % 3],
            due_on=timezone.localdate() - timedelta(days=1),
        )


def test_organisation_report_counts(tree, units, officer):
    _seed_progress(tree, units, 6)
    outsider = member(units["elsewhere"])
    Enrolment.objects.create(user=outsider, course=tree.course)
    response = admin_client(officer).get(reverse("lms_admin:organisation_report", args=[units["division"].pk]))
    assert response.status_code == 200
    by_course = response.context["by_course"]
    assert by_course == [
        {
            "course_id": tree.course.pk,
            "course__title": tree.course.title,
            "label": tree.course.title,
            "enrolled": 6,
            "not_started": 2,
            "in_progress": 2,
            "completed": 2,
            "overdue": 4,
            "completed_percent": 33,
        }
    ]
    assert {row["label"]: row["enrolled"] for row in response.context["by_unit"]} == {
        "ICT Division": 3,
        "e-Gov Department": 3,
    }


def _report_queries(client, unit) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("lms_admin:organisation_report", args=[unit.pk])).status_code == 200
    return len(queries)


def test_organisation_report_costs_the_same_queries_at_two_sizes(tree, units, officer):
    client = admin_client(officer)
    _seed_progress(tree, units, 2)
    _report_queries(client, units["division"])
    small = _report_queries(client, units["division"])
    _seed_progress(tree, units, 30)
    other = CoursePageFactory(parent=tree.catalogue)
    for unit in (units["division"], units["department"]):
        Enrolment.objects.create(user=member(unit), course=other)
    assert _report_queries(client, units["division"]) == small


def test_exports_stream_only_members_of_the_unit(tree, units, officer):
    _seed_progress(tree, units, 4)
    stranger = member(units["elsewhere"], username="stranger")
    Enrolment.objects.create(user=stranger, course=tree.course)
    client = admin_client(officer)
    response = client.get(reverse("lms_admin:organisation_export", args=[units["ministry"].pk, "csv"]))
    assert response.status_code == 404  # the officer administers the division, not the ministry
    response = client.get(reverse("lms_admin:organisation_export", args=[units["division"].pk, "csv"]))
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "username" and len(rows) == 5
    assert "stranger" not in {row[0] for row in rows}
    response = client.get(reverse("lms_admin:organisation_export", args=[units["division"].pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert sheet_rows[0][0] == "username" and len(sheet_rows) == 5
    assert client.get(reverse("lms_admin:organisation_export", args=[units["division"].pk, "pdf"])).status_code == 404


# --- who may see what, from the outside ---------------------------------------------------------


def test_org_admin_sees_own_unit_and_sub_units_only(units, officer):
    client = admin_client(officer)
    for name in ("division", "department"):
        assert client.get(reverse("lms_admin:organisation_report", args=[units[name].pk])).status_code == 200
    for name in ("ministry", "elsewhere"):
        assert client.get(reverse("lms_admin:organisation_report", args=[units[name].pk])).status_code == 404
        assert client.get(reverse("lms_admin:organisation_enrol", args=[units[name].pk])).status_code == 404
        assert client.get(reverse("lms_admin:organisation_assign", args=[units[name].pk])).status_code == 404
    assert client.get(reverse("lms_admin:organisation_report", args=[987654])).status_code == 404
    index = client.get(reverse("lms_admin:organisation_index")).content.decode()
    assert "e-Gov Department" in index and "Ministry of Health" not in index


def test_learners_and_anonymous_get_no_reports(units, tree):
    learner = member(units["department"])
    client = admin_client(learner)
    response = client.get(reverse("lms_admin:organisation_report", args=[units["department"].pk]))
    assert response.status_code in {302, 403}  # no admin access at all
    anonymous = Client().get(reverse("lms_admin:organisation_report", args=[units["department"].pk]))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    anonymous = Client().get(reverse("lms_admin:course_report", args=[tree.course.pk]))
    assert anonymous.status_code == 302


def test_trainer_sees_results_only_for_courses_they_own(tree, units):
    trainer = TrainerFactory()
    owned = CoursePageFactory(parent=tree.catalogue, owner=trainer)
    client = admin_client(trainer)
    assert client.get(reverse("lms_admin:course_report", args=[owned.pk])).status_code == 200
    assert client.get(reverse("lms_admin:course_report", args=[tree.course.pk])).status_code == 404
    assert client.get(reverse("lms_admin:course_export", args=[tree.course.pk, "csv"])).status_code == 404
    index = client.get(reverse("lms_admin:course_index")).content.decode()
    assert owned.title in index and tree.course.title not in index


def test_a_new_member_gets_the_assignments_of_the_unit_and_its_parents(tree, units):
    due = timezone.localdate() + timedelta(days=14)
    assign_course(organisation=units["division"], course=tree.course, due_on=due)
    newcomer = UserFactory()
    set_membership(user=newcomer, organisation=units["department"], designation="Programmer")
    enrolment = Enrolment.objects.get(user=newcomer)
    assert enrolment.due_on == due and enrolment.assignment.organisation == units["division"]
    set_membership(user=newcomer, organisation=units["department"])  # again: still one enrolment
    assert Enrolment.objects.filter(user=newcomer).count() == 1
    outsider = UserFactory()
    set_membership(user=outsider, organisation=units["elsewhere"])
    assert not Enrolment.objects.filter(user=outsider).exists()


def test_trainer_report_shows_the_funnel_and_the_most_missed_question(tree):
    from lms.services import record_activity_result

    from .conftest import check_iri

    trainer = TrainerFactory()
    tree.course.owner = trainer
    tree.course.save(update_fields=["owner"])
    for index in range(3):
        user = UserFactory()
        Enrolment.objects.create(user=user, course=tree.course)
        record_activity_result(
            user=user, activity_iri=check_iri(tree.lessons[0]), event_id=f"a{index}", score_scaled=1, success=True
        )
        if index == 0:
            record_activity_result(
                user=user, activity_iri=check_iri(tree.lessons[1]), event_id="b", score_scaled=0, success=False
            )
    response = admin_client(trainer).get(reverse("lms_admin:course_report", args=[tree.course.pk]))
    funnel = response.context["funnel"]
    assert [(row["visited"], row["completed"]) for row in funnel] == [(3, 3), (1, 1), (0, 0)]
    questions = response.context["questions"]
    assert questions[0]["lesson"] == tree.lessons[1].title and questions[0]["right_percent"] == 0
    assert questions[1]["right_percent"] == 100 and questions[1]["learners"] == 3
    assert questions[2]["attempts"] == 0


# --- enrolling one member from the admin ---------------------------------------------------------


def enrol_one(client, unit, **data):
    return client.post(reverse("lms_admin:organisation_enrol_member", args=[unit.pk]), data)


def errors_of(response) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in response.context["form"].errors.items()}


def test_an_org_admin_enrols_one_member_by_email_username_or_mobile(tree, units, officer):
    by_email = member(units["department"], username="rahima@gov.bd", email="rahima@gov.bd")
    by_username = member(units["division"], username="karim")
    by_mobile = member(units["department"], username="+8801712345678", email="")
    by_mobile.learner_profile.phone = "+8801712345678"
    by_mobile.learner_profile.save(update_fields=["phone"])
    client = admin_client(officer)
    due = timezone.localdate() + timedelta(days=20)
    response = enrol_one(client, units["division"], member=" Rahima@GOV.bd ", course=tree.course.pk, due_on=due)
    assert response.status_code == 302
    assert response["Location"] == reverse("lms_admin:organisation_enrol_member", args=[units["division"].pk])
    page = client.get(response["Location"]).content.decode()
    with translation.override("en"):
        readable = formats.date_format(due)  # a date for people, not an ISO string
    assert f"is enrolled in {tree.course.title}, due {readable}" in page
    assert enrol_one(client, units["division"], member="KARIM", course=tree.course.pk).status_code == 302
    assert enrol_one(client, units["division"], member="017-1234-5678", course=tree.course.pk).status_code == 302
    enrolments = {e.user_id: e for e in Enrolment.objects.filter(course=tree.course)}
    assert set(enrolments) == {by_email.pk, by_username.pk, by_mobile.pk}
    assert {e.source for e in enrolments.values()} == {"admin"}
    assert enrolments[by_email.pk].due_on == due and enrolments[by_username.pk].due_on is None


def test_someone_outside_the_unit_is_not_found_like_nobody(tree, units, officer):
    outsider = member(units["elsewhere"], username="health-officer", email="health@gov.bd")
    parent_member = member(units["ministry"], username="minister", email="minister@gov.bd")
    inactive = member(units["department"], username="gone", email="gone@gov.bd", is_active=False)
    client = admin_client(officer)
    unknown = enrol_one(client, units["division"], member="nobody@gov.bd", course=tree.course.pk)
    assert unknown.status_code == 400
    expected = {"member": ["No member of ICT Division or its units has this email, username or mobile number."]}
    assert errors_of(unknown) == expected
    for person in (outsider, parent_member, inactive):
        for identifier in (person.email, person.username):
            response = enrol_one(client, units["division"], member=identifier, course=tree.course.pk)
            assert response.status_code == 400 and errors_of(response) == expected, identifier
    # a member of the division is not a member of its sub-unit
    in_division = member(units["division"], username="karim")
    response = enrol_one(client, units["department"], member="karim", course=tree.course.pk)
    assert errors_of(response)["member"][0].startswith("No member of e-Gov Department")
    assert not Enrolment.objects.filter(user=in_division).exists()
    assert not Enrolment.objects.exists()


def test_already_enrolled_changes_nothing_and_says_what_happened_to_the_due_date(tree, units, officer):
    learner = member(units["department"], username="karim", first_name="Karim", last_name="Uddin")
    kept = timezone.localdate() + timedelta(days=3)
    enrolment = Enrolment.objects.create(user=learner, course=tree.course, progress_percent=40, due_on=kept)
    client = admin_client(officer)
    response = enrol_one(client, units["division"], member="karim", course=tree.course.pk)
    assert response.status_code == 400
    assert errors_of(response) == {"__all__": ["Karim Uddin is already enrolled in this course."]}
    later = timezone.localdate() + timedelta(days=60)
    response = enrol_one(client, units["division"], member="karim", course=tree.course.pk, due_on=later)
    with translation.override("en"):
        readable = formats.date_format(kept)
    assert errors_of(response)["__all__"] == [
        "Karim Uddin is already enrolled in this course. The due date you gave was not applied; "
        f"the enrolment keeps its due date, {readable}."
    ]
    enrolment.refresh_from_db()
    assert (enrolment.due_on, enrolment.progress_percent, enrolment.source) == (kept, 40, "self")
    Enrolment.objects.filter(pk=enrolment.pk).update(due_on=None)
    response = enrol_one(client, units["division"], member="karim", course=tree.course.pk, due_on=later)
    assert "the enrolment still has no due date" in errors_of(response)["__all__"][0]
    assert Enrolment.objects.get().due_on is None


def test_unpublished_courses_prerequisites_and_bad_dates_are_refused(tree, units, officer):
    from tests.factories import ModulePageFactory

    learner = member(units["department"], username="karim", first_name="Karim", last_name="Uddin")
    draft = CoursePageFactory(parent=tree.catalogue, title="Draft course", live=False)
    advanced = CoursePageFactory(parent=tree.catalogue, title="Advanced")
    ModulePageFactory(parent=advanced)
    advanced.prerequisites.add(tree.course)
    advanced.save_revision().publish()
    client = admin_client(officer)
    form_page = client.get(reverse("lms_admin:organisation_enrol_member", args=[units["division"].pk]))
    assert "Draft course" not in form_page.content.decode()  # only published courses are offered
    response = enrol_one(client, units["division"], member="karim", course=draft.pk)
    assert errors_of(response) == {"course": ["This course is not open for enrolment."]}
    response = enrol_one(client, units["division"], member="karim", course=advanced.pk)
    assert errors_of(response) == {
        "__all__": [f"Karim Uddin has not completed the prerequisite courses yet: {tree.course.title}."]
    }
    past = timezone.localdate() - timedelta(days=1)
    response = enrol_one(client, units["division"], member="karim", course=tree.course.pk, due_on=past)
    assert errors_of(response) == {"due_on": ["The due date is in the past."]}
    for malformed in ("31/12/2030", "2030-02-30", "soon"):
        response = enrol_one(client, units["division"], member="karim", course=tree.course.pk, due_on=malformed)
        assert errors_of(response) == {"due_on": ["Enter the due date as a date written YYYY-MM-DD."]}, malformed
    for course in ("", "987654", "not-a-number"):
        response = enrol_one(client, units["division"], member="karim", course=course)
        assert response.status_code == 400 and list(errors_of(response)) == ["course"], course
    response = enrol_one(client, units["division"], member="", course=tree.course.pk)
    assert list(errors_of(response)) == ["member"]
    assert not Enrolment.objects.filter(user=learner).exists()


def test_who_may_enrol_a_member(tree, units, officer):
    from django.contrib.auth import get_user_model

    learner = member(units["department"], username="karim", email="karim@gov.bd")
    url = reverse("lms_admin:organisation_enrol_member", args=[units["department"].pk])
    body = {"member": "karim@gov.bd", "course": tree.course.pk}

    for method in ("get", "post"):
        anonymous = getattr(Client(), method)(url, body if method == "post" else None)
        assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    no_admin_rights = admin_client(member(units["department"]))
    assert no_admin_rights.get(url).status_code in {302, 403}
    assert no_admin_rights.post(url, body).status_code in {302, 403}
    trainer = admin_client(TrainerFactory())  # reaches the Wagtail admin, administers no unit
    assert trainer.get(url).status_code == 404 and trainer.post(url, body).status_code == 404
    health_admin = UserFactory(username="health-admin")
    make_organisation_admin(user=health_admin, organisation=units["elsewhere"])
    other = admin_client(health_admin)
    assert other.get(url).status_code == 404 and other.post(url, body).status_code == 404
    # through their own unit's form, the division's member is "not found", as someone who does not exist
    own = reverse("lms_admin:organisation_enrol_member", args=[units["elsewhere"].pk])
    existing = other.post(own, body)
    missing = other.post(own, {**body, "member": "nobody-at-all@gov.bd"})
    assert existing.status_code == missing.status_code == 400
    assert errors_of(existing) == errors_of(missing)
    assert not Enrolment.objects.exists()

    assert admin_client(officer).post(url, body).status_code == 302
    assert Enrolment.objects.get().user == learner
    superuser = get_user_model().objects.create_superuser("root", "root@gov.bd", "correct horse battery")
    stranger = member(units["elsewhere"], username="health-officer")
    elsewhere = reverse("lms_admin:organisation_enrol_member", args=[units["elsewhere"].pk])
    response = admin_client(superuser).post(elsewhere, {"member": "health-officer", "course": tree.course.pk})
    assert response.status_code == 302 and Enrolment.objects.filter(user=stranger).exists()


def test_the_enrol_a_member_form_is_linked_and_costs_the_same_queries_at_two_sizes(tree, units, officer):
    client = admin_client(officer)
    url = reverse("lms_admin:organisation_enrol_member", args=[units["division"].pk])
    assert url in client.get(reverse("lms_admin:organisation_report", args=[units["division"].pk])).content.decode()
    assert url in client.get(reverse("lms_admin:organisation_index")).content.decode()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()
    for _ in range(2):
        member(units["department"])
    small = queries()
    for index in range(60):
        member(units["division" if index % 2 else "department"])
    assert queries() == small
