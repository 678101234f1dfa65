"""The certificates of a course or a unit as one ZIP, from the outside: who gets it, what is in it."""

import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission
from pypdf import PdfReader

from certification.services import issue_certificate, reissue_certificate
from lms.enrolment.services import enrol
from tests.certification.conftest import completed_enrolment
from tests.lms.factories import member

from .conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificates(tree, people):
    """One certificate in the ICT Division (a sub-unit of the admin's ministry), one in Health, and a
    re-issued one (so the index shows a replaced and a valid generation)."""
    enrol(user=people.learner, course=tree.course)
    mine = issue_certificate(enrolment=completed_enrolment(people.learner, tree.course))
    theirs = issue_certificate(enrolment=completed_enrolment(people.other_learner, tree.course))
    colleague = member(people.unit, username="colleague", first_name="=cmd", last_name="Rahman")
    corrected = reissue_certificate(
        certificate=issue_certificate(enrolment=completed_enrolment(colleague, tree.course)),
        reason="Name misspelt",
        recipient_name="Karim Rahman",
    )
    people.officer.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    return {"mine": mine, "theirs": theirs, "corrected": corrected}


def archive(response) -> zipfile.ZipFile:
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def index(zipped: zipfile.ZipFile) -> list[dict]:
    return list(csv.DictReader(io.StringIO(zipped.read("index.csv").decode("utf-8-sig"))))


def test_a_unit_admin_downloads_their_units_members_certificates(people, certificates):
    response = people.client("admin").get(f"/api/v1/organisations/{people.unit.pk}/certificates.zip")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.zip"')
    zipped = archive(response)
    rows = index(zipped)
    ids = {row["certificate_id"] for row in rows}
    mine, corrected = certificates["mine"], certificates["corrected"]
    assert ids == {str(mine.pk), str(corrected.pk), str(corrected.replaces_id)}
    assert str(certificates["theirs"].pk) not in ids
    statuses = {row["certificate_id"]: row["status"] for row in rows}
    assert statuses[str(corrected.replaces_id)] == "replaced" and statuses[str(corrected.pk)] == "valid"
    assert {row["unit"] for row in rows} == {"ICT Division", "Ministry of ICT"}
    for row in rows:
        stored = zipped.read(row["credential"])
        assert json.loads(stored)["id"] == f"urn:uuid:{row['certificate_id']}"
        pdf = zipped.read(row["pdf"])
        assert PdfReader(io.BytesIO(pdf)).attachments["credential.json"][0] == stored  # the exact signed bytes
    assert mine.credential.encode() == zipped.read(f"credentials/{mine.pk}.json")
    # a name that a spreadsheet would run as a formula is neutralised in the index
    assert any(row["recipient_name"].startswith("'=cmd") for row in rows)


def test_another_units_admin_gets_not_found_and_nothing_else_does_better(people, certificates):
    url = f"/api/v1/organisations/{people.unit.pk}/certificates.zip"
    answers = {role: people.client(role).get(url).status_code for role in ROLES}
    assert answers == {
        None: 403,
        "learner": 404,
        "other_learner": 404,
        "trainer": 404,
        "admin": 200,
        "other_admin": 404,
    }
    other = f"/api/v1/organisations/{people.other_unit.pk}/certificates.zip"
    assert people.client("admin").get(other).status_code == 404
    assert people.client("other_admin").get(other).status_code == 200


def test_a_course_archive_is_for_certificate_admins(people, certificates, tree):
    url = f"/api/v1/courses/{tree.course.pk}/certificates.zip"
    answers = {role: people.client(role).get(url).status_code for role in ROLES}
    assert set(answers.values()) == {403, 404} and answers["admin"] == 404
    zipped = archive(people.client("officer").get(url))
    assert len(index(zipped)) == 4  # both units, and both generations of the corrected one
    assert people.client("officer").get("/api/v1/courses/999999/certificates.zip").status_code == 404


def test_one_course_of_a_unit_and_a_bad_course_parameter(people, certificates, tree):
    url = f"/api/v1/organisations/{people.unit.pk}/certificates.zip"
    assert len(index(archive(people.client("admin").get(url, {"course": tree.course.pk})))) == 3
    assert index(archive(people.client("admin").get(url, {"course": 999999}))) == []
    bad = people.client("admin").get(url, {"course": "ICT"})
    assert bad.status_code == 400 and bad.json()["field"] == "course"
