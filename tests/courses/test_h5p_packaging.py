"""The project's own knowledge-check content type: packaged by its tooling, valid, light, in the demo."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from courses.h5p.packaging import KNOWLEDGE_CHECK, PackagingError, knowledge_check_package
from courses.h5p.services import check_package
from courses.models import H5PActivity, LessonPage
from tests.h5p_packages import media_folder  # noqa: F401  (the media fixture)

CHOICES = [{"text": "কম", "correct": False}, {"text": "বেশি", "correct": True}]


def test_the_package_is_deterministic_light_and_passes_validation(db):
    package = knowledge_check_package(title="প্রশ্ন", question="কোনটি?", choices=CHOICES, language="bn")
    assert package == knowledge_check_package(title="প্রশ্ন", question="কোনটি?", choices=CHOICES, language="bn")
    assert len(package) < 10_000
    validated = check_package(io.BytesIO(package), name="bn.h5p")
    assert validated.main_library == KNOWLEDGE_CHECK
    content = json.loads(zipfile.ZipFile(io.BytesIO(package)).read("content/content.json"))
    assert content["l10n"]["check"] == "উত্তর যাচাই করুন"
    assert content["choices"][1] == {"text": "বেশি", "correct": True}


@pytest.mark.parametrize(
    "choices, problem",
    [
        ([{"text": "only one", "correct": True}], "2 to 8 answers"),
        ([{"text": "a"}, {"text": "b"}], "exactly one answer"),
        ([{"text": "a", "correct": True}, {"text": "b", "correct": True}], "exactly one answer"),
    ],
)
def test_a_question_without_exactly_one_right_answer_is_not_packaged(choices, problem):
    with pytest.raises(PackagingError, match=problem):
        knowledge_check_package(title="t", question="q", choices=choices)


def test_the_demo_places_knowledge_checks_in_english_and_bengali_lessons_once(demo_site, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())  # again: nothing doubles
    activities = H5PActivity.objects.all()
    assert activities.count() == 3
    assert {activity.metadata["language"] for activity in activities} == {"en", "bn"}
    lessons = [lesson for lesson in LessonPage.objects.live() if any(b.block_type == "h5p" for b in lesson.body)]
    assert {lesson.locale.language_code for lesson in lessons} == {"en", "bn"}
