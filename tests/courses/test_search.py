"""Site search: published courses, modules and lessons in the reader's language, Bengali included,
only what the visitor may see, and a clear answer for a query that cannot be searched."""

import pytest
from wagtail.models import PageViewRestriction

from courses.search import MAX_QUERY_CHARACTERS, QueryProblem, search_learning_pages, search_words
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, UserFactory, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(tree):
    course = CoursePageFactory(parent=tree.catalogue, title="Interoperability for ministries", slug="interop")
    module = ModulePageFactory(parent=course, title="Shared registers", slug="registers")
    lesson = LessonPageFactory(parent=module, title="Reading a data exchange agreement", slug="agreement")
    draft = LessonPageFactory(parent=module, title="Interoperability draft notes", slug="draft", live=False)
    return {"course": course, "module": module, "lesson": lesson, "draft": draft}


def titles(response) -> list[str]:
    return [item["result"].page.title for item in response.context["results"]]


def test_search_finds_courses_modules_and_lessons(client, library):
    response = client.get("/en/search/", {"q": "interoperability"})
    assert response.status_code == 200
    assert titles(response) == ["Interoperability for ministries"]  # the draft lesson is not found
    found = search_learning_pages(query="registers", language="en")
    assert [(r.kind, r.page.title, r.course_title) for r in found] == [
        ("module", "Shared registers", "Interoperability for ministries")
    ]
    page = client.get("/en/search/", {"q": "data exchange agreement"}).content.decode()
    assert "Reading a data exchange agreement" in page and library["lesson"].url in page
    assert "Interoperability for ministries" in page  # the lesson names its course


def test_bengali_queries_find_bengali_copies_only_on_the_bengali_site(client, library):
    translate(library["course"], "bn", title="মন্ত্রণালয়ের জন্য আন্তঃকার্যক্ষমতা")
    translate(library["lesson"], "bn", title="তথ্য বিনিময় চুক্তি পড়া")
    bengali = client.get("/bn/search/", {"q": "চুক্তি"})
    assert bengali.status_code == 200 and titles(bengali) == ["তথ্য বিনিময় চুক্তি পড়া"]
    assert titles(client.get("/bn/search/", {"q": "আন্তঃকার্যক্ষমতা"})) == ["মন্ত্রণালয়ের জন্য আন্তঃকার্যক্ষমতা"]
    assert titles(client.get("/en/search/", {"q": "চুক্তি"})) == []
    assert "১ টি ফলাফল" in bengali.content.decode() or "1" in bengali.content.decode()


def test_search_shows_only_what_the_visitor_may_see(client, library):
    PageViewRestriction.objects.create(page=library["course"], restriction_type=PageViewRestriction.LOGIN)
    assert titles(client.get("/en/search/", {"q": "interoperability"})) == []
    learner = UserFactory(username="reader")
    client.force_login(learner)
    assert titles(client.get("/en/search/", {"q": "interoperability"})) == ["Interoperability for ministries"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 10_000, f"at most {MAX_QUERY_CHARACTERS} characters"),
        ("?!…—‘’“”()[]{}<>/\\|&*%$#@^~`+=;:,.", "no letters or numbers"),
        ('"', "no letters or numbers"),
        ("   ", "Type a word"),
    ],
)
def test_a_query_that_cannot_be_searched_gets_a_clear_answer(client, library, query, message):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()


def test_the_words_of_a_query_keep_bengali_vowel_signs_and_drop_punctuation():
    assert search_words("স্মার্টফোন, নিরাপত্তা!") == ["স্মার্টফোন", "নিরাপত্তা"]
    assert search_words('"phone" OR (safety)*') == ["phone", "OR", "safety"]
    with pytest.raises(QueryProblem):
        search_words("...")


def test_the_empty_search_page_offers_the_form(client, tree):
    response = client.get("/bn/search/")
    assert response.status_code == 200 and 'role="search"' in response.content.decode()
