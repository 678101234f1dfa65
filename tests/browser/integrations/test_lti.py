"""The site as an LTI 1.3 tool, launched in Chromium by a real platform (lti1p3platform, second process)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from lti_tool.models import LtiDeployment, LtiRegistration

from lms.lti.models import LtiCourseLink, LtiGradeTarget
from lms.models import Enrolment
from lms.sso.models import ExternalIdentity
from lms.tasks import send_lti_grades
from tests.certification.conftest import completed_enrolment

from .lti_peer import start_lti_peer, stop


@pytest.fixture
def platform(live_server, page_tree_root, settings):
    call_command("rotate_keys")  # django-lti: the tool's signing key, published at /lti/jwks/
    # The platform frames the tool from the same site (127.0.0.1), as a school's LMS and the tool
    # would share cookies only with SameSite=None; Secure over HTTPS (LTI_EMBEDDING=1 in production).
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    peer = start_lti_peer(live_server.url.replace("localhost", "127.0.0.1"))
    registration = LtiRegistration.objects.create(
        name="Academy LMS",
        issuer=peer.url,
        client_id=peer.client_id,
        auth_url=f"{peer.url}/authorize/",
        token_url=f"{peer.url}/token/",
        keyset_url=f"{peer.url}/jwks/",
    )
    LtiDeployment.objects.create(registration=registration, deployment_id=peer.deployment_id, is_active=True)
    yield peer
    stop(peer)


def framed(page, peer, **query):
    from urllib.parse import urlencode

    page.goto(f"{peer.url}/course/class-a/?{urlencode(query)}")
    return page.frame_locator("#tool")


@pytest.mark.browser
def test_a_platform_launches_a_course_and_its_gradebook_gets_the_score(platform, tree, chromium):
    course = tree.course
    context = chromium.new_context()
    page = context.new_page()
    frame = framed(page, platform, course=course.pk, user="learner-1")
    try:
        frame.locator("#lti-continue").wait_for(timeout=60000)
    except Exception:
        raise AssertionError([(f.url, f.content()[:1500]) for f in page.frames]) from None
    assert "You are signed in and enrolled." in frame.locator("main, body").first.inner_text()
    assert frame.locator("#lti-new-window a").get_attribute("target") == "_blank"

    identity = ExternalIdentity.objects.get(source="lti")
    assert (identity.issuer, identity.subject) == (platform.url, "learner-1")
    enrolment = Enrolment.objects.get(user=identity.user)
    assert enrolment.course_id == course.pk
    link = LtiCourseLink.objects.get()
    assert link.lineitem_url == f"{platform.url}/contexts/class-a/lineitems/1"

    # The course opens inside the platform's frame (no X-Frame-Options; frame-ancestors names it).
    frame.locator("#lti-continue").click()
    frame.locator("h1").first.wait_for()
    course_page = page.frames[-1]
    assert course.title in course_page.content()

    # Progress goes to the gradebook (the periodic task), then the completion and score.
    assert send_lti_grades() == 1
    first = platform.gradebook()["scores"][-1]
    assert first["activityProgress"] in ("Initialized", "InProgress") and first["gradingProgress"] == "Pending"
    assert send_lti_grades() == 0, "nothing changed, nothing sent"
    completed_enrolment(identity.user, course, score=Decimal("0.8500"))
    assert send_lti_grades() == 1
    scores = platform.gradebook()["scores"]
    assert scores, LtiGradeTarget.objects.values_list("last_error", flat=True)
    last = scores[-1]
    assert (last["context"], last["lineitem"], last["userId"]) == ("class-a", "1", "learner-1")
    assert last["activityProgress"] == "Completed" and last["gradingProgress"] == "FullyGraded"
    assert last["scoreGiven"] == 85 and last["scoreMaximum"] == 100

    # A teacher's launch shows who is in the class, read from the platform through NRPS.
    frame = framed(page, platform, course=course.pk, user="teacher-1", link="link-1")
    frame.locator("#lti-roster").wait_for(timeout=60000)
    assert "Nusrat Jahan" in frame.locator("#lti-roster").inner_text()
    context.close()


@pytest.mark.browser
def test_bad_launches_are_refused_by_name_and_change_nothing(platform, tree, chromium):
    course = tree.course
    context = chromium.new_context()
    page = context.new_page()
    cases = {
        "invalid_launch": {"audience": "someone-else"},  # aud is not our client id
        "foreign_line_item": {"lineitem_context": "class-b"},  # a line item of another context
    }
    for code, extra in cases.items():
        frame = framed(page, platform, course=course.pk, user="learner-1", **extra)
        refusal = frame.locator("#lti-refusal")
        refusal.wait_for(timeout=60000)
        assert refusal.get_attribute("data-code") == code, refusal.inner_text()
    # an inactive (or unknown, hence recorded inactive) deployment: refused until an admin activates it
    LtiDeployment.objects.update(is_active=False)
    frame = framed(page, platform, course=course.pk, user="learner-1")
    frame.locator("#lti-refusal").wait_for(timeout=60000)
    assert frame.locator("#lti-refusal").get_attribute("data-code") == "inactive_deployment"
    assert Enrolment.objects.count() == 0 and ExternalIdentity.objects.count() == 0
    assert get_user_model().objects.count() == 0 and LtiCourseLink.objects.count() == 0

    # a replayed launch (the same signed id_token and state posted again) is refused by its nonce
    LtiDeployment.objects.update(is_active=True)
    frame = framed(page, platform, course=course.pk, user="learner-1")
    frame.locator("#lti-continue").wait_for(timeout=60000)
    form = platform.last_form()
    page.set_content(
        f'<form id="again" method="post" action="{form["launch_url"]}">'
        f'<input name="id_token" value="{form["id_token"]}"><input name="state" value="{form["state"]}"></form>'
    )
    page.evaluate("document.getElementById('again').submit()")
    page.locator("#lti-refusal").wait_for(timeout=60000)
    assert page.locator("#lti-refusal").get_attribute("data-code") == "replayed_nonce"
    assert Enrolment.objects.count() == 1
    context.close()


@pytest.mark.browser
def test_a_teacher_picks_a_course_by_deep_linking(platform, tree, chromium):
    context = chromium.new_context()
    page = context.new_page()
    frame = framed(page, platform, user="teacher-1", deep="1")
    frame.locator("#lti-pick").wait_for(timeout=60000)
    frame.locator(f"input[name=course][value='{tree.course.pk}']").check()
    frame.locator("#lti-pick").click()
    frame.locator("#added").wait_for(timeout=60000)
    (item,) = platform.gradebook()["deep_links"]
    assert item["type"] == "ltiResourceLink" and item["title"] == tree.course.title
    assert item["custom"] == {"course": str(tree.course.pk)} and item["lineItem"]["scoreMaximum"] == 100
    assert item["url"].endswith("/lti/launch/")
    context.close()
