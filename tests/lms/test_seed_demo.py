"""The demo seed builds the site from fixtures/ and changes nothing when run again."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from courses.models import AccreditingBody, CataloguePage, CoursePage, LessonPage, Topic

pytestmark = pytest.mark.django_db(transaction=True)  # the demo site (tests/conftest.py)


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
        "bodies": AccreditingBody.objects.count(),
        "topics": Topic.objects.count(),
    }


@pytest.fixture
def seeded(demo_site):
    return demo_site


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


def test_seed_builds_a_framework_a_programme_of_the_demo_courses_and_a_role(seeded):
    from courses.competencies.models import Competency, CompetencyFramework, Programme
    from lms.models import LearnerProfile

    framework = CompetencyFramework.objects.get(locale__language_code="en")
    assert CompetencyFramework.objects.get(translation_key=framework.translation_key, locale__language_code="bn")
    assert Competency.objects.filter(framework=framework).count() == 4
    programme = Programme.objects.get(slug="digital-governance-programme", locale__language_code="en")
    rows = list(programme.programme_courses.order_by("sort_order").values_list("course__slug", "optional"))
    assert rows == [
        ("digital-governance-foundations", False),
        ("ict-procurement", False),
        ("smartphone-and-online-safety", True),
    ]
    assert programme.minimum_courses == 2 and programme.competencies.count() == 3
    course = CoursePage.objects.get(slug="digital-governance-foundations", locale__language_code="en")
    assert sorted(course.competencies.values_list("code", flat=True)) == ["DG-1", "DG-2"]
    role = LearnerProfile.objects.get(user__username="officer").role
    assert role.name == "Assistant Programmer" and role.competencies.count() == 4
    counts = (Competency.objects.count(), Programme.objects.count(), role.competencies.count())
    call_command("seed_demo", "--allow-production", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Competency.objects.count(), Programme.objects.count(), role.competencies.count()) == counts
