"""The verification page draws a Dzongkha name with the site's own Tibetan font, and only then fetches it."""

import pytest
from django.utils import timezone

from certification import keys
from certification.services import issue_certificate
from lms.models import Enrolment, EnrolmentStatus
from tests.browser.test_accessibility import page_weight
from tests.factories import CoursePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIBETAN_FONT = "noto-serif-tibetan-tibetan-"


@pytest.fixture
def certificate_for(settings, tmp_path, tree):
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "keys" / "certification.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    keys._cache.clear()

    def certificate_for(user, course):
        enrolment = Enrolment.objects.create(
            user=user,
            course=course,
            status=EnrolmentStatus.COMPLETED,
            progress_percent=100,
            completed_at=timezone.now(),
        )
        return issue_certificate(enrolment=enrolment)

    return certificate_for


def loaded_tibetan_faces(page) -> int:
    return page.evaluate(
        """() => [...document.fonts].filter(f => f.family.replaceAll('"', '') === 'Noto Serif Tibetan'
                                              && f.status === 'loaded').length"""
    )


def test_tibetan_font_only_for_a_page_with_tibetan_text(live_server, chromium, certificate_for, tree):
    english = certificate_for(UserFactory(username="nusrat", first_name="Nusrat", last_name="Jahan"), tree.course)
    dzongkha_course = CoursePageFactory(parent=tree.catalogue, title="གློག་རིག་གཞུང་སྐྱོང་", slug="e-governance-dz")
    dzongkha = certificate_for(UserFactory(username="tashi", first_name="བཀྲ་ཤིས་རྡོ་རྗེ་", last_name=""), dzongkha_course)
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/en/v/{english.pk}", wait_until="networkidle")
    # Pages without Tibetan text pay only the @font-face rules in the stylesheet, and 3.5 KB for the
    # language switcher's "རྫོང་ཁ" drawn from a subset of the face (about 64 KB in all).
    assert page_weight(page) < 68_000  # with the registry line of the issuer (integrations)
    assert not [url for url in requested if TIBETAN_FONT in url]
    assert loaded_tibetan_faces(page) == 0

    page.goto(f"{live_server.url}/en/v/{dzongkha.pk}", wait_until="networkidle")
    assert page.get_by_text("བཀྲ་ཤིས་རྡོ་རྗེ་").is_visible()
    # Name and course title are set at weight 600: the bold face only, fetched from the site unless installed.
    assert loaded_tibetan_faces(page) == 1
    assert [url.rsplit("/", 1)[1] for url in requested if TIBETAN_FONT in url] in (
        [],
        ["noto-serif-tibetan-tibetan-700-normal.woff2"],
    )
    # The bold face is 186 KB (1,891 glyphs, most of them precomposed stacks); cached after the first page.
    assert page_weight(page) < 260_000
    assert all(url.startswith(live_server.url) for url in requested)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
