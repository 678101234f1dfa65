"""Dzongkha pages in Chromium on a 360 px phone: axe finds nothing serious, Tibetan digits and
strings drawn with the site's own Noto Serif Tibetan; a Bengali holder name on an English page is
drawn with the Bengali font because it carries lang="bn"."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from certification import keys
from certification.services import issue_certificate
from lms.models import Enrolment, EnrolmentStatus
from tests.browser.test_accessibility import page_weight, serious_violations
from tests.factories import CoursePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long pass phrase"


def loaded_faces(page, family: str) -> int:
    return page.evaluate(
        """(family) => [...document.fonts].filter(f => f.family.replaceAll('"', '') === family
                                                    && f.status === 'loaded').length""",
        family,
    )


def test_dzongkha_pages_at_360_px_pass_axe(live_server, chromium, axe_source, tree):
    learner = get_user_model().objects.create_user("tashi", password=PASSWORD, first_name="བཀྲ་ཤིས་")
    Enrolment.objects.create(user=learner, course=tree.course, progress_percent=33)
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/dz/learning/sign-in/")
    page.fill("input[name=email_or_phone]", "tashi")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    failures = {}
    urls = [
        "/dz/",
        tree.course.get_url().replace("/en/", "/dz/", 1),
        tree.lessons[1].get_url().replace("/en/", "/dz/", 1),
    ]
    urls += ["/dz/learning/", "/dz/learning/join/"]
    for url in urls:
        response = page.goto(live_server.url + url, wait_until="networkidle")
        assert response.status == 200, url
        assert page.evaluate("document.documentElement.lang") == "dz"
        found = serious_violations(page, axe_source)
        if found:
            failures[url] = found
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
    assert failures == {}
    page.goto(live_server.url + urls[2], wait_until="networkidle")
    assert page.get_by_text("སློབ་ཁྲིད་ ༣ ལས་ ༢ པ།").is_visible()  # "Lesson 2 of 3" in Tibetan digits
    assert loaded_faces(page, "Noto Serif Tibetan") >= 1  # the site's own face draws the page
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Noto Serif Tibetan"')
    assert all(url.startswith(live_server.url) for url in requested), "nothing from the internet"
    context.close()


def test_english_pages_name_dzongkha_without_the_whole_tibetan_face(live_server, chromium, tree):
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + tree.course.get_url(), wait_until="networkidle")
    assert page.get_by_text("རྫོང་ཁ").is_visible()
    assert loaded_faces(page, "Noto Serif Tibetan") == 0
    assert loaded_faces(page, "Noto Serif Tibetan Names") == 1
    context.close()


def test_a_bengali_holder_name_on_the_english_verification_page_is_drawn_in_bengali(
    live_server, chromium, settings, tmp_path, tree
):
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "keys" / "certification.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    keys._cache.clear()
    course = CoursePageFactory(parent=tree.catalogue, title="Digital Governance", slug="digital-governance")
    holder = UserFactory(username="rahim", first_name="রহিম", last_name="উদ্দিন")
    enrolment = Enrolment.objects.create(
        user=holder, course=course, status=EnrolmentStatus.COMPLETED, progress_percent=100, completed_at=timezone.now()
    )
    certificate = issue_certificate(enrolment=enrolment)
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/en/v/{certificate.pk}", wait_until="networkidle")
    name = page.locator("dd", has_text="রহিম উদ্দিন")
    assert name.get_attribute("lang") == "bn"
    assert name.evaluate("e => getComputedStyle(e).fontFamily").startswith('"Noto Sans Bengali"')
    assert loaded_faces(page, "Noto Sans Bengali") >= 1
    # Drawn by the Bengali face, not as empty boxes: every letter of the name is in a loaded font.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Bengali\"', 'রহিম উদ্দিন')")
    assert page_weight(page) < 160_000
    context.close()
