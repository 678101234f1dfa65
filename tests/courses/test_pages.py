"""Learner-facing pages, from the outside: what anonymous visitors see, in English and Bengali."""

import pytest
from django.test import Client

from courses.models import CoursePage
from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, TopicFactory, knowledge_check

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_courses_only(client, tree):
    draft = CoursePageFactory(parent=tree.catalogue, title="Unpublished draft course", live=False)
    response = client.get("/en/")
    assert response.status_code == 200
    assert tree.course.title in response.text
    assert draft.title not in response.text


def test_draft_pages_are_invisible_to_anonymous_visitors(client, tree):
    draft_lesson = LessonPageFactory(parent=tree.module, title="Secret draft lesson", live=False)
    assert client.get(f"/en/{tree.course.slug}/{tree.module.slug}/{draft_lesson.slug}/").status_code == 404
    assert draft_lesson.title not in client.get(tree.course.url).text
    assert draft_lesson.title not in client.get(tree.module.url).text


def test_catalogue_filters_by_audience(client, tree):
    citizens = CoursePageFactory(parent=tree.catalogue, title="Using a smartphone", audience="citizens")
    both = CoursePageFactory(parent=tree.catalogue, title="Staying safe online", audience="both")
    page = client.get("/en/?audience=citizens").text
    assert citizens.title in page and both.title in page
    assert tree.course.title not in page
    page = client.get("/en/?audience=civil_servants").text
    assert tree.course.title in page and both.title in page
    assert citizens.title not in page


def test_catalogue_filters_by_language_and_topic(client, tree):
    topic = TopicFactory(slug="online-safety")
    bengali = CoursePageFactory(parent=tree.catalogue, title="Bengali-taught course", language="bn")
    bengali.topics.add(topic)
    bengali.save()
    page = client.get("/en/?language=bn").text
    assert bengali.title in page and tree.course.title not in page
    page = client.get("/en/?topic=online-safety").text
    assert bengali.title in page and tree.course.title not in page


def test_unknown_filter_values_are_ignored_not_an_error(client, tree):
    response = client.get("/en/?audience=<script>&language=xx")
    assert response.status_code == 200
    assert tree.course.title in response.text
    assert "<script>" not in response.text


def test_course_page_shows_outline_in_order(client, tree):
    page = client.get(tree.course.url).text
    positions = [page.index(lesson.title) for lesson in tree.lessons]
    assert positions == sorted(positions)
    assert tree.module.title in page


def test_lesson_page_costs_a_fixed_number_of_queries(client, tree, django_assert_max_num_queries):
    lesson = tree.lessons[1]
    client.get(lesson.url)  # warm the caches of routes, restrictions and sources, as a running site has them
    # the lesson found by its path and its specific row, its course, module and neighbours, its
    # translations, its H5P activities: fixed, whatever the size of the tree.
    with django_assert_max_num_queries(6) as captured:
        response = client.get(lesson.url)
    assert response.status_code == 200
    baseline = len(captured.captured_queries)
    for _ in range(5):
        LessonPageFactory(parent=tree.module)
    client.get(lesson.url)  # publishing forgot the cached routes: they are built once again
    with django_assert_max_num_queries(baseline) as captured:
        client.get(lesson.url)
    assert len(captured.captured_queries) == baseline


def test_lesson_page_links_previous_and_next(client, tree):
    page = client.get(tree.lessons[1].url).text
    assert f'href="{tree.lessons[0].url}" rel="prev"' in page
    assert f'href="{tree.lessons[2].url}" rel="next"' in page


def test_lesson_page_never_reveals_the_correct_answer(client, tree):
    page = client.get(tree.lessons[0].url).text
    assert "Which answer is right?" in page
    assert "correct" not in page.lower().replace("check my answer", "")
    assert "Because answer 1 is right" not in page


def test_knowledge_check_is_marked_on_the_server(tree):
    client = Client(enforce_csrf_checks=False)
    lesson = tree.lessons[0]
    block_id = next(block.id for block in lesson.body if block.block_type == "knowledge_check")
    url = f"{lesson.url}check/{block_id}/"
    right = client.post(url, {"choice": "1"})
    assert right.status_code == 200
    assert "Correct." in right.text and "Because answer 1 is right" in right.text
    wrong = client.post(url, {"choice": "0"})
    assert "Not quite" in wrong.text and "Because answer 1 is right" not in wrong.text


@pytest.mark.parametrize("choice", ["", "7", "-1", "abc"])
def test_knowledge_check_refuses_a_missing_or_impossible_answer(client, tree, choice):
    lesson = tree.lessons[0]
    block_id = next(block.id for block in lesson.body if block.block_type == "knowledge_check")
    response = client.post(f"{lesson.url}check/{block_id}/", {"choice": choice})
    assert response.status_code == 400
    assert "Choose" in response.text


def test_knowledge_check_for_an_unknown_question_is_404_and_get_is_405(client, tree):
    lesson = tree.lessons[0]
    assert client.post(f"{lesson.url}check/not-a-block/", {"choice": "1"}).status_code == 404
    block_id = next(block.id for block in lesson.body if block.block_type == "knowledge_check")
    assert client.get(f"{lesson.url}check/{block_id}/").status_code == 405


def test_knowledge_check_form_carries_a_csrf_token(client, tree):
    assert "csrfmiddlewaretoken" in client.get(tree.lessons[0].url).text


def test_html_in_titles_is_escaped(client, tree):
    course = CoursePageFactory(parent=tree.catalogue, title="<img src=x onerror=alert(1)>")
    module = ModulePageFactory(parent=course, title="<b>module</b>")
    LessonPageFactory(parent=module, body=[knowledge_check(question="<script>alert(1)</script>")])
    for url in ["/en/", course.url]:
        page = client.get(url).text
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert CoursePage.objects.filter(pk=course.pk).exists()


def test_root_redirects_to_a_language(client, tree):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] in {"/en/", "/bn/"}


def test_bengali_visitor_gets_bengali_interface(client, tree):
    response = client.get("/bn/")
    assert response.status_code == 200
    assert '<html lang="bn">' in response.text
    assert "মূল বিষয়বস্তুতে যান" in response.text  # the skip link, from the compiled catalogue


def test_lesson_text_in_another_language_than_the_page_says_so(client, tree):
    course = CoursePageFactory(parent=tree.catalogue, language="bn")
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=course))
    assert '<article class="prose" lang="bn">' in client.get(lesson.url).text
    assert '<article class="prose">' in client.get(tree.lessons[0].url).text


def test_the_learning_panel_is_whatever_the_learning_hooks_return(client, tree):
    """Courses renders the ``learning_panel`` hooks' HTML where the learner's progress goes; it loads no
    other app's template library. Here lms answers (the enrol button) and a second hook's plain string
    is escaped, not run."""
    from wagtail import hooks

    def another_panel(*, context, page):
        return f"<script>alert('{page.title}')</script>"

    with hooks.register_temporarily("learning_panel", another_panel):
        course_page = client.get(tree.course.url).text
        lesson_page = client.get(tree.lessons[0].url).text
    assert "Enrol in this course" in course_page
    assert f"&lt;script&gt;alert(&#x27;{tree.course.title}&#x27;)&lt;/script&gt;" in course_page
    assert "<script>alert(" not in course_page and "<script>alert(" not in lesson_page
    assert f"&lt;script&gt;alert(&#x27;{tree.lessons[0].title}&#x27;)" in lesson_page


def test_a_lesson_of_a_course_taught_in_another_language_marks_its_text_and_the_pages_own_words(client, tree):
    """Screen readers switch voice by lang: the lesson's text in the course's language, the page's
    own words (lesson x of y, the check's button and feedback) in the page's."""
    tree.course.language = "bn"
    tree.course.save_revision().publish()
    page = client.get(tree.lessons[0].url).text
    assert '<article class="prose" lang="bn">' in page
    assert '<p class="muted" lang="en">' in page
    assert '<button type="submit" class="button" lang="en">' in page
    assert f'<li aria-current="page" lang="bn">{tree.lessons[0].title}</li>' in page
    tree.course.language = "en"
    tree.course.save_revision().publish()
    page = client.get(tree.lessons[0].url).text
    assert '<article class="prose">' in page and 'lang="bn"' not in page.split("<main", 1)[1]


def _switcher_links(html: str) -> dict[str, str]:
    """The language switcher's links, by language code."""
    import re

    return {code: url for url, code in re.findall(r'<a[^>]*href="([^"]+)"[^>]*hreflang="(\w+)"', html)}


def test_the_language_switcher_follows_publication_and_costs_no_query_once_known(client, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import translate

    lesson = tree.lessons[0]
    untranslated = _switcher_links(client.get(lesson.url).content.decode())["bn"]
    for page in [tree.catalogue, tree.course]:
        translate(page, "bn", title=f"{page.title} (bn)")
    module_copy = translate(tree.module, "bn", title="মডিউল", slug="module-bn")
    lesson_copy = translate(lesson, "bn", title="পাঠ", slug="lesson-bn")
    assert lesson_copy.url != untranslated
    assert _switcher_links(client.get(lesson.url).content.decode())["bn"] == lesson_copy.url  # published: linked

    with CaptureQueriesContext(connection) as again:
        client.get(lesson.url)
    assert not any('"wagtailcore_locale"' in query["sql"] for query in again)  # known: no query for the links

    lesson_copy.unpublish()
    assert _switcher_links(client.get(lesson.url).content.decode())["bn"] == untranslated  # unpublished: gone

    # as Wagtail's translation tools keep a translated tree in sync: a live alias, in the same translation group
    lesson = tree.lessons[1]
    links = _switcher_links(client.get(lesson.url).content.decode())
    alias = lesson.create_alias(parent=module_copy, update_locale=module_copy.locale, reset_translation_key=False)
    assert alias.live
    assert links["bn"] != alias.url
    assert _switcher_links(client.get(lesson.url).content.decode())["bn"] == alias.url  # live at once
