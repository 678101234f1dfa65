"""axe-core over the learner-facing pages, in English and Bengali, on a phone and on a desktop."""

import pytest

from courses.models import CoursePage, LessonPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 360, "desktop": 1280}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def serious_violations(page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)  # not a script tag: the page's CSP refuses inline scripts
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_catalogue_course_and_lesson_pages_pass_axe(live_server, chromium, axe_source, demo_site):
    urls = []
    for code in ("en", "bn"):
        course = CoursePage.objects.live().get(locale__language_code=code, slug="digital-governance-foundations")
        lesson = LessonPage.objects.live().descendant_of(course).first()
        urls += [f"/{code}/", course.url, lesson.url]
    failures = {}
    for name, width in WIDTHS.items():
        context = chromium.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            found = serious_violations(page, axe_source)
            if found:
                failures[f"{name} {url}"] = found
            # Nothing wider than the screen: no sideways scrolling on a 360 px phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} at {width}px"
        context.close()
    assert failures == {}


def test_keyboard_reaches_the_skip_link_and_the_main_content(live_server, chromium, tree):
    page = chromium.new_page(viewport={"width": 360, "height": 800})
    page.goto(live_server.url + tree.lessons[0].url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # The knowledge check can be answered with the keyboard alone: focus a choice, pick it, submit.
    page.focus("input[name=choice]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".feedback").count() == 1
    assert page.evaluate("document.activeElement.closest('form') !== null || location.hash.startsWith('#check-')")
    page.close()


def page_weight(page) -> int:
    """Bytes the page cost: the document and every resource it loaded (fonts, CSS, scripts)."""
    return page.evaluate(
        """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                 .reduce((sum, entry) => sum + (entry.encodedBodySize || 0), 0)"""
    )


def test_lesson_pages_stay_light(live_server, chromium, demo_site):
    english = LessonPage.objects.live().filter(locale__language_code="en").first()
    bengali = LessonPage.objects.live().get(locale__language_code="bn", slug="locks-pins-and-passwords")
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + english.url, wait_until="networkidle")
    # The Bengali font (44 KB) loads for the language switcher's "বাংলা" where the phone has none.
    assert page_weight(page) < 100_000
    assert all(url.startswith(live_server.url) for url in requested), "everything comes from the site itself"
    page.goto(live_server.url + bengali.url, wait_until="networkidle")
    # The two Bengali font files (about 92 KB, cached after the first page) are the only extra cost.
    assert page_weight(page) < 150_000
    context.close()
