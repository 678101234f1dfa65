"""A shared computer: the session dies with the browser and after 15 idle minutes; a Digital Centre's
browser ticks "This is a shared computer" from the start; an operator's registrations are shared."""

import time

import pytest
from django.conf import settings as django_settings
from django.test import Client

from lms.accounts.shared import LAST_SEEN
from lms.models import LearnerProfile, OrganisationKind
from tests.factories import UserFactory
from tests.lms.factories import organisation

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    user = UserFactory(username="+8801712345678")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client: Client, shared: bool):
    data = {"email_or_phone": "01712345678", "password": PASSWORD}
    if shared:
        data["shared_computer"] = "1"
    return client.post("/en/learning/sign-in/", data)


def test_a_shared_session_cookie_ends_with_the_browser_and_marks_the_device(citizen):
    client = Client()
    response = sign_in(client, shared=True)
    session_cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session_cookie["max-age"] == "" and session_cookie["expires"] == ""
    assert response.cookies["lms_shared_computer"]["max-age"]
    page = Client(HTTP_COOKIE="lms_shared_computer=1").get("/en/learning/sign-in/").content.decode()
    assert 'name="shared_computer" id="id_shared_computer" value="1" checked' in page


def test_a_private_session_keeps_the_usual_cookie(citizen):
    response = sign_in(Client(), shared=False)
    assert response.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"]
    page = Client().get("/en/learning/sign-in/").content.decode()
    assert "checked" not in page


def test_fifteen_idle_minutes_sign_the_shared_session_out(citizen):
    client = Client()
    sign_in(client, shared=True)
    assert client.get("/en/learning/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 15 * 60 - 1
    session.save()
    response = client.get("/en/learning/")
    assert response.status_code == 302 and "/learning/sign-in/" in response["Location"]
    assert "signed out after 15 minutes" in client.get(response["Location"]).content.decode()


def test_an_active_shared_session_stays_signed_in(citizen):
    client = Client()
    sign_in(client, shared=True)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 14 * 60
    session.save()
    assert client.get("/en/learning/").status_code == 200


def test_an_operator_registers_a_citizen_at_the_centre_in_a_shared_session():
    centre = organisation("Savar Digital Centre", kind=OrganisationKind.CENTRE, code="savar")
    operator = UserFactory(username="operator@savar.example")
    operator.set_password(PASSWORD)
    operator.save()
    centre.admins.add(operator)
    client = Client()
    signed_in = client.post("/en/learning/sign-in/", {"email_or_phone": "operator@savar.example", "password": PASSWORD})
    assert signed_in.cookies["lms_shared_computer"].value == "1"  # the centre's browser is remembered
    joined = client.post(
        "/en/learning/join/", {"full_name": "Karim", "email_or_phone": "01798765432", "password": PASSWORD}
    )
    assert joined.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == ""
    assert LearnerProfile.objects.get(user__username="+8801798765432").registered_at == centre
    assert "checked" in client.get("/en/learning/sign-in/").content.decode()


def _dashboard_queries(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/en/learning/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/learning/").status_code == 200
    return len(queries)


def test_a_shared_session_costs_no_query_more_than_a_private_one(citizen):
    private, shared = Client(), Client()
    sign_in(private, shared=False)
    sign_in(shared, shared=True)
    assert _dashboard_queries(shared) == _dashboard_queries(private)


def test_an_account_registered_at_a_centre_is_shared_by_default_and_may_untick_it(citizen):
    centre = organisation("Savar Digital Centre", kind=OrganisationKind.CENTRE, code="savar")
    LearnerProfile.objects.create(user=citizen, phone="+8801712345678", registered_at=centre)
    data = {"email_or_phone": "01712345678", "password": PASSWORD, "shared_computer_shown": "0"}
    unmarked = Client().post("/en/learning/sign-in/", data)  # the box was shown unticked and left so
    assert unmarked.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == ""
    deliberately = Client(HTTP_COOKIE="lms_shared_computer=1").post(
        "/en/learning/sign-in/", {**data, "shared_computer_shown": "1"}
    )  # the box was shown ticked and the learner unticked it
    assert deliberately.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"]
