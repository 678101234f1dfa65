"""Bengali and Dzongkha pages over HTTP: native digits in what people read, ASCII in what machines read."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from lms.models import Enrolment
from tests.factories import translate_tree

pytestmark = pytest.mark.django_db
NATIVE = re.compile("[০-৯༠-༩]")
BENGALI_DIGIT = re.compile("[০-৯]")
TIBETAN_DIGIT = re.compile("[༠-༩]")
# Attributes written for people: the only ones where native digits belong.
HUMAN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-valuetext", "content"}
PASSWORD = "a long pass phrase"


class Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.machine = []
        self.ids = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name not in HUMAN_ATTRIBUTES and value and NATIVE.search(value):
                self.machine.append(f"<{tag} {name}={value!r}>")


def machine_attributes_with_native_digits(html: str) -> list[str]:
    parser = Attributes()
    parser.feed(html)
    return parser.machine


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def bengali(tree):
    return translate_tree(tree, "bn")


@pytest.fixture
def enrolled_client(tree, bengali):
    user = get_user_model().objects.create_user("rahima", password=PASSWORD, first_name="রহিমা")
    client = Client()
    client.force_login(user)
    client.post(reverse("learner:enrol", args=[tree.course.pk]))
    Enrolment.objects.filter(user=user).update(due_on=date(2026, 12, 25), progress_percent=33)
    return client


def test_bengali_pages_print_bengali_digits_and_keep_attributes_ascii(tree, bengali, enrolled_client):
    lesson = bengali[tree.lessons[1].pk]
    pages = {
        "lesson": enrolled_client.get(lesson.get_url()),
        "course": enrolled_client.get(bengali[tree.course.pk].get_url()),
        "dashboard": enrolled_client.get("/bn/learning/"),
        "catalogue": enrolled_client.get(bengali[tree.catalogue.pk].get_url()),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert machine_attributes_with_native_digits(html) == [], name
        assert '<html lang="bn">' in html
    lesson_text = text_of(pages["lesson"].content.decode())
    assert "৩টির মধ্যে ২ নম্বর পাঠ" in lesson_text  # "Lesson 2 of 3"
    course_html = pages["course"].content.decode()
    assert "৩৩%" in course_html and 'value="33"' in course_html  # the bar's value stays a number
    assert "২৫ ডিসেম্বর ২০২৬" in text_of(course_html)
    dashboard = text_of(pages["dashboard"].content.decode())
    assert "২৫ ডিসেম্বর ২০২৬" in dashboard
    assert not re.search(r"\b2026\b", dashboard)
    # The knowledge check's choices post ASCII numbers, whatever the page's digits.
    assert 'name="choice" value="0"' in pages["lesson"].content.decode()


def test_english_pages_keep_ascii_digits(tree, bengali, enrolled_client):
    page = text_of(enrolled_client.get(tree.lessons[1].get_url()).content.decode())
    assert "Lesson 2 of 3" in page and not BENGALI_DIGIT.search(page)


def test_dzongkha_pages_show_tibetan_digits_and_dzongkha_strings(tree, enrolled_client):
    lesson = enrolled_client.get(f"/dz{tree.lessons[1].get_url()[3:]}")
    assert lesson.status_code == 200
    html = lesson.content.decode()
    assert '<html lang="dz">' in html
    assert "སློབ་ཁྲིད་ ༣ ལས་ ༢ པ།" in html  # "Lesson 2 of 3"
    assert "ནང་དོན་གཙོ་བོ་ལུ་ མཆོང་།" in html  # "Skip to main content"
    assert machine_attributes_with_native_digits(html) == []
    dashboard = enrolled_client.get("/dz/learning/")
    assert dashboard.status_code == 200
    text = text_of(dashboard.content.decode())
    assert "༢༥ ཟླ་བཅུ་གཉིས་པ ༢༠༢༦" in text and "ངེ་གི་སློབ་སྦྱོང་།" in text
    assert machine_attributes_with_native_digits(dashboard.content.decode()) == []


def test_the_language_switcher_offers_dzongkha(tree):
    html = Client().get(tree.catalogue.get_url()).content.decode()
    assert 'hreflang="dz"' in html and "རྫོང་ཁ" in html


def test_sign_up_and_sign_in_with_a_phone_number_in_bengali_digits(tree):
    client = Client()
    joined = client.post(
        "/bn/learning/join/",
        {"full_name": "রহিমা বেগম", "email_or_phone": "০১৭১২৩৪৫৬৭৮", "password": PASSWORD},
    )
    assert joined.status_code == 302
    assert get_user_model().objects.get().username == "+8801712345678"
    client.post(reverse("learner:sign_out"))
    for typed in ("01712345678", "০১৭১২-৩৪৫৬৭৮"):
        signed_in = Client().post("/bn/learning/sign-in/", {"email_or_phone": typed, "password": PASSWORD})
        assert signed_in.status_code == 302, typed


def test_password_validation_answers_in_bengali_with_bengali_digits(tree):
    page = Client().post(
        "/bn/learning/join/", {"full_name": "রহিমা", "email_or_phone": "rahima@example.com", "password": "1234"}
    )
    assert page.status_code == 400  # a form with errors (hardening)
    text = page.content.decode()
    assert "পাসওয়ার্ডটি খুব ছোট। এতে অন্তত ৮টি অক্ষর থাকতে হবে।" in text
    assert "এই পাসওয়ার্ডটি খুবই প্রচলিত।" in text
    assert "এই পাসওয়ার্ডে শুধু সংখ্যা আছে।" in text
    assert "This password" not in text
    assert machine_attributes_with_native_digits(text) == []


def test_a_due_date_typed_in_bengali_digits_is_read(tree, db):
    from lms.organisations.forms import MemberEnrolmentForm

    due = date.today() + timedelta(days=30)
    typed = due.isoformat().translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
    form = MemberEnrolmentForm({"member": "x@example.com", "course": str(tree.course.pk), "due_on": typed})
    form.is_valid()
    assert "due_on" not in form.errors and form.cleaned_data["due_on"] == due
