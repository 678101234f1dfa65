"""The demo seed builds the site from fixtures/ and changes nothing when run again."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from courses.models import AccreditingBody, CataloguePage, CoursePage, LessonPage, Topic

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
        "bodies": AccreditingBody.objects.count(),
        "topics": Topic.objects.count(),
    }


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--allow-production", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_seed_builds_catalogue_courses_and_accounts(seeded):
    english = CoursePage.objects.live().filter(locale__language_code="en")
    assert english.count() >= 4
    assert english.filter(audience="civil_servants", accrediting_body__isnull=False).count() >= 2
    assert english.filter(audience="citizens").count() >= 2
    assert CoursePage.objects.live().filter(locale__language_code="bn", language="bn").exists()
    assert Site.objects.get(is_default_site=True).root_page.specific_class is CataloguePage
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {"admin", "trainer", "reviewer", "officer", "citizen"} <= usernames


def test_seed_twice_changes_nothing(seeded):
    before = snapshot()
    call_command("seed_demo", "--allow-production", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_every_bengali_course_reaches_every_lesson(seeded):
    bengali_courses = CoursePage.objects.live().filter(locale__language_code="bn")
    assert bengali_courses.count() >= 4
    for course in bengali_courses:
        english = course.get_translations().get(locale__language_code="en")
        assert (
            LessonPage.objects.descendant_of(course).live().count()
            == LessonPage.objects.descendant_of(english).live().count()
        )


def test_a_citizen_module_is_fully_in_bengali(client, seeded):
    course = CoursePage.objects.live().get(locale__language_code="bn", slug="smartphone-and-online-safety")
    lesson = LessonPage.objects.descendant_of(course).live().first()
    page = client.get(lesson.url).text
    assert '<html lang="bn">' in page
    text = lesson.title + json.dumps(list(lesson.body.raw_data), ensure_ascii=False)
    bengali_letters = sum(1 for ch in text if "\u0980" <= ch <= "\u09ff")
    assert bengali_letters > 50


def test_seed_refuses_demo_accounts_without_debug(db):
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="trainer").exists()


def test_seed_reports_a_broken_fixture_and_stores_nothing(tmp_path, db):
    (tmp_path / "courses").mkdir()
    (tmp_path / "site.yaml").write_text("catalogue: [unclosed\n", encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match="site.yaml"):
        call_command("seed_demo", "--allow-production", "--fixtures", str(tmp_path))
    assert snapshot() == before
