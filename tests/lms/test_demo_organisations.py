"""The demo seed gives the organisation journeys something to show: a unit tree, an admin, an assignment."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lms.models import Enrolment, LearnerProfile, Organisation

pytestmark = pytest.mark.django_db(transaction=True)  # the demo site (tests/conftest.py)


def seed():
    call_command("seed_demo", "--allow-production", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_organisations_admin_and_assignment(demo_site):
    seed()  # again: nothing doubles
    assert Organisation.objects.count() == 5  # the ministry, its three departments, the e-gov cell
    officer = LearnerProfile.objects.get(user__username="officer")
    assert officer.organisation.code == "egov-cell"
    enrolment = Enrolment.objects.get(user__username="officer", assignment__isnull=False)
    assert enrolment.due_on is not None and enrolment.assignment.organisation.code == "ictd"
    client = Client()
    assert client.login(username="trainingofficer", password="demo-officer-pass")
    division = Organisation.objects.get(code="ictd")
    response = client.get(reverse("lms_admin:organisation_report", args=[division.pk]))
    assert response.status_code == 200 and response.context["by_course"][0]["enrolled"] >= 1  # with the demo cohort
    ministry = Organisation.objects.get(code="moptict")
    assert client.get(reverse("lms_admin:organisation_report", args=[ministry.pk])).status_code == 404
