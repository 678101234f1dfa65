"""A ministry's training officer and a civil servant in a real browser.

The officer signs in to the Wagtail admin, assigns a course to the ministry with a due date, uploads
a CSV of staff with a mistake in it (nothing is imported; the refused rows download as CSV), uploads
the corrected file and sees the report. The civil servant then signs in on a 360 px phone and finds
the assigned course with its due date on "My learning", in English and in Bengali. A Digital Centre
operator's shared browser is the last part: one citizen signs out, the next signs in and sees only
their own learning; and one who forgets to sign out on a shared computer is signed out when the
browser restarts (a new browser context with the persistent cookies and storage but not the session
cookie), so the next person sees the sign-in page.
"""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from lms.models import Enrolment, EnrolmentSource
from lms.services import enrol
from tests.factories import CoursePageFactory, ModulePageFactory, UserFactory
from tests.lms.factories import member, organisation

from .test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long pass phrase"


def sign_in_to_admin(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/admin/")


def test_officer_assigns_and_enrols_staff_and_the_civil_servant_sees_the_due_date(
    live_server, chromium, axe_source, tree
):
    from lms.models import OrganisationKind

    ministry = organisation("Ministry of Posts", code="mopt")
    division = organisation("ICT Division", parent=ministry, kind=OrganisationKind.DIVISION, code="ict")
    officer = UserFactory(username="officer", email="officer@mopt.gov.bd")
    officer.set_password(PASSWORD)
    officer.save()
    ministry.admins.add(officer)
    nasrin = member(division, username="nasrin@mopt.gov.bd", email="nasrin@mopt.gov.bd")
    nasrin.set_password(PASSWORD)
    nasrin.save()
    member(ministry, username="kamal@mopt.gov.bd", email="kamal@mopt.gov.bd")
    second_course = CoursePageFactory(parent=tree.catalogue, title="Service design", slug="service-design")
    ModulePageFactory(parent=second_course)
    due = date.today() + timedelta(days=30)

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in_to_admin(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/admin/learning/organisations/{ministry.pk}/")
    page.get_by_role("link", name="Assign a course").click()
    page.get_by_label("Course").select_option(label=tree.course.title)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Assign").click()
    page.wait_for_url(f"{live_server.url}/admin/learning/organisations/{ministry.pk}/")
    assert set(Enrolment.objects.filter(course=tree.course).values_list("user__username", "due_on")) == {
        ("nasrin@mopt.gov.bd", due),
        ("kamal@mopt.gov.bd", due),
    }

    # A CSV with one unknown email: nothing is imported, and the refusal says which row and why.
    page.goto(f"{live_server.url}/admin/learning/organisations/{ministry.pk}/enrol/")
    bad = "email,course,due_date\nnasrin@mopt.gov.bd,service-design,\nnobody@mopt.gov.bd,service-design,\n"
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Check and enrol").click()
    alert = page.get_by_role("alert")
    assert "nothing was imported" in alert.inner_text()
    assert not Enrolment.objects.filter(course=second_course).exists()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the refused rows (CSV)").click()
    refused = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))))
    assert refused[0] == ["row", "email", "course", "reason"]
    assert [row[:3] for row in refused[1:]] == [["3", "nobody@mopt.gov.bd", "service-design"]]

    good = "email,course,due_date\nnasrin@mopt.gov.bd,service-design,\nkamal@mopt.gov.bd,service-design,\n"
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.get_by_role("button", name="Check and enrol").click()
    page.wait_for_url(f"{live_server.url}/admin/learning/organisations/{ministry.pk}/")
    assert "2 learners enrolled." in page.content()
    assert Enrolment.objects.filter(course=second_course, source=EnrolmentSource.ADMIN).count() == 2
    context.close()

    # The civil servant, on a phone, in English and in Bengali.
    phone = chromium.new_context(viewport={"width": 360, "height": 800})
    page = phone.new_page()
    page.goto(live_server.url + "/en/learning/sign-in/")
    page.get_by_label("Email or mobile number").fill("nasrin@mopt.gov.bd")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/learning/")
    text = page.locator("main").inner_text()
    assert tree.course.title in text and "Service design" in text
    assert due.strftime("%Y") in text
    assert serious_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(live_server.url + "/bn/learning/")
    bengali = page.locator("main").inner_text()
    assert page.title().startswith("আমার কোর্স")  # "My learning"
    assert tree.course.title in bengali
    assert serious_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()


def test_a_shared_computer_shows_each_citizen_only_their_own_learning(live_server, chromium, tree):
    first = UserFactory(username="+8801711111111", first_name="Rahim")
    second = UserFactory(username="+8801722222222", first_name="Karim")
    for user in (first, second):
        user.set_password(PASSWORD)
        user.save()
    enrol(user=first, course=tree.course)
    other_course = CoursePageFactory(parent=tree.catalogue, title="Staying safe online", slug="safe-online")
    ModulePageFactory(parent=other_course)
    enrol(user=second, course=other_course)

    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    for user, own, others in ((first, tree.course, other_course), (second, other_course, tree.course)):
        page.goto(live_server.url + "/en/learning/sign-in/")
        page.get_by_label("Email or mobile number").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/en/learning/")
        text = page.locator("main").inner_text()
        assert own.title in text and others.title not in text
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/learning/sign-in/")
        page.goto(live_server.url + "/en/learning/")  # after signing out, nothing of theirs is shown
        page.wait_for_url("**/learning/sign-in/**")
        assert own.title not in page.locator("main").inner_text()
    context.close()


def _restart(chromium, context):
    """What a browser keeps across a restart: persistent cookies and local storage, not session cookies."""
    state = context.storage_state()
    state["cookies"] = [cookie for cookie in state["cookies"] if cookie.get("expires", -1) != -1]
    context.close()
    return chromium.new_context(viewport={"width": 360, "height": 800}, storage_state=state)


def test_after_a_browser_restart_the_next_person_at_a_shared_computer_sees_the_sign_in_page(
    live_server, chromium, tree
):
    citizen = UserFactory(username="+8801733333333", first_name="Rahim")
    citizen.set_password(PASSWORD)
    citizen.save()
    enrol(user=citizen, course=tree.course)

    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/en/learning/sign-in/")
    assert not page.get_by_label("This is a shared computer").is_checked()
    page.get_by_label("Email or mobile number").fill("01733333333")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("This is a shared computer").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/learning/")
    assert tree.course.title in page.locator("main").inner_text()
    assert page.locator("header").get_by_role("button", name="Sign out").is_visible()
    page.evaluate("localStorage.setItem('kept', 'yes')")

    # Rahim leaves without signing out; the computer's browser is closed and opened again.
    context = _restart(chromium, context)
    page = context.new_page()
    page.goto(live_server.url + "/en/learning/")
    page.wait_for_url("**/learning/sign-in/**")
    assert page.evaluate("localStorage.getItem('kept')") == "yes"  # the storage did persist
    assert tree.course.title not in page.locator("main").inner_text()
    assert page.get_by_label("This is a shared computer").is_checked()  # the centre's browser is remembered
    context.close()


def test_a_private_session_survives_a_browser_restart(live_server, chromium, tree):
    citizen = UserFactory(username="+8801744444444")
    citizen.set_password(PASSWORD)
    citizen.save()
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/en/learning/sign-in/")
    page.get_by_label("Email or mobile number").fill("01744444444")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/en/learning/")
    context = _restart(chromium, context)
    page = context.new_page()
    page.goto(live_server.url + "/en/learning/")
    assert page.url.endswith("/en/learning/")
    context.close()
