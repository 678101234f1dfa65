"""The SCORM player's navigation and its use in the Bengali interface, in a real Chromium.

A SCORM 2004 package of three SCOs (built here: a SCO that finds ``API_1484_11`` on its parent, answers
what ``adl.nav.request_valid`` says, and asks for ``continue`` or ``previous`` before it
terminates) is played in manifest order through its own requests, and the three SCOs' results roll up
to one result of the lesson. The Bengali copy of a lesson holding a real package (singlescobasic) passes
axe at 360 px and is played by keyboard alone."""

import pytest
from django.db import connection

from courses.scorm.services import import_package
from lms.models import ActivityResult, Enrolment, ScormAttempt
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_scorm_player import learner_context, leave, only_lesson, open_lesson, wait_for
from tests.factories import UserFactory, translate, translate_tree
from tests.scorm_packages import real_package, scorm_block, write_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCO_SCRIPT = b"""
(function () {
  function find(win) {
    for (var hops = 0; win && hops < 10; hops++) {
      if (win.API_1484_11) { return win.API_1484_11; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  window.addEventListener("load", function () {
    var api = find(window.parent) || (window.opener && find(window.opener));
    var me = document.body.getAttribute("data-sco");
    api.Initialize("");
    document.getElementById("valid").textContent = "continue " + api.GetValue("adl.nav.request_valid.continue")
      + ", previous " + api.GetValue("adl.nav.request_valid.previous");
    api.SetValue("cmi.completion_status", "completed");
    api.SetValue("cmi.success_status", "passed");
    api.SetValue("cmi.score.scaled", document.body.getAttribute("data-score"));
    api.SetValue("cmi.location", me);
    document.querySelectorAll("[data-request]").forEach(function (button) {
      button.addEventListener("click", function () {
        api.SetValue("adl.nav.request", button.getAttribute("data-request"));
        api.Terminate("");
      });
    });
  });
})();
"""


def sco_page(identifier: str, score: str) -> bytes:
    return (
        f'<!doctype html><html lang="en"><head><title>{identifier}</title><script src="sco.js"></script></head>'
        f'<body data-sco="{identifier}" data-score="{score}"><main><h1>Part {identifier}</h1><p id="valid"></p>'
        '<button type="button" data-request="previous">Back</button>'
        '<button type="button" data-request="continue">Continue</button>'
        "</main></body></html>"
    ).encode()


def three_sco_package(folder):
    """Items in the order intro, practice, check; their resources listed the other way round."""
    items = [("intro", "1.0"), ("practice", "0.5"), ("check", "0.6")]
    organization = "".join(
        f'<item identifier="{i}" identifierref="r_{i}"><title>Part {i}</title></item>' for i, _ in items
    )
    resources = "".join(
        f'<resource identifier="r_{i}" type="webcontent" adlcp:scormType="sco" href="{i}.html"/>'
        for i, _ in reversed(items)
    )
    manifest = (
        '<?xml version="1.0"?><manifest identifier="nav" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
        'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"><metadata><schema>ADL SCORM</schema>'
        "<schemaversion>2004 4th Edition</schemaversion></metadata>"
        f'<organizations default="o"><organization identifier="o"><title>Three parts</title>{organization}'
        f"</organization></organizations><resources>{resources}</resources></manifest>"
    )
    files = {"imsmanifest.xml": manifest.encode(), "sco.js": SCO_SCRIPT}
    files.update({f"{i}.html": sco_page(i, score) for i, score in items})
    return import_package(write_package(folder, files, name="three.zip"), name="three.zip")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def showing(page, part: str):
    """The frame shows the SCO ``part``, which has found the runtime and asked what it may request."""
    page.wait_for_function(
        """(part) => {
            const doc = document.querySelector("[data-scorm-frame]").contentDocument;
            return doc && doc.body && doc.body.dataset.sco === part && doc.getElementById("valid").textContent;
        }""",
        arg=part,
        timeout=20_000,
    )
    return page.frame_locator("[data-scorm-frame]")


def test_a_scorm_2004_package_follows_its_own_navigation_requests_and_rolls_up(live_server, chromium, tree, media):
    if connection.vendor != "postgresql":
        pytest.skip(
            "The live server shares one in-memory SQLite connection between its threads, and each SCO's files"
            " load while the last one commits ('database table is locked'); CI runs this on PostgreSQL."
        )
    package = three_sco_package(media.parent)
    assert [sco["identifier"] for sco in package.scos] == ["intro", "practice", "check"]
    lesson = only_lesson(tree, package)
    learner = UserFactory()
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    errors: list[str] = []
    context = learner_context(chromium, live_server, learner, viewport={"width": 360, "height": 800})
    page = open_lesson(context, live_server, lesson, errors)
    page.get_by_role("button", name="Start module").click()
    sco = showing(page, "intro")
    assert sco.locator("#valid").inner_text() == "continue true, previous false"
    sco.get_by_role("button", name="Continue").click()
    sco = showing(page, "practice")
    assert sco.locator("#valid").inner_text() == "continue true, previous true"
    assert page.locator("[data-scorm-sco='1']").get_attribute("aria-current") == "step"
    sco.get_by_role("button", name="Back").click()
    sco = showing(page, "intro")
    sco.get_by_role("button", name="Continue").click()
    showing(page, "practice").get_by_role("button", name="Continue").click()
    sco = showing(page, "check")
    assert sco.locator("#valid").inner_text() == "continue false, previous true"
    sco.get_by_role("button", name="Continue").click()  # nothing after the last SCO: it stays
    page.wait_for_timeout(500)
    assert page.locator("[data-scorm-frame]").get_attribute("src").endswith("check.html")
    wait_for(page, ActivityResult.objects.filter(enrolment=enrolment).exists, errors=errors)
    result = ActivityResult.objects.get(enrolment=enrolment)
    assert (result.completion, result.success, str(result.score_scaled)) == (True, True, "0.7000")  # the mean
    assert sorted(ScormAttempt.objects.values_list("sco", flat=True).distinct()) == ["check", "intro", "practice"]
    assert errors == []
    leave(context, page)


def test_the_bengali_lesson_plays_a_real_package_by_keyboard_alone_and_passes_axe(
    live_server, chromium, tree, media, axe_source
):
    package = import_package(real_package("singlescobasic.zip"), name="singlescobasic.zip")
    lesson = only_lesson(tree, package)
    translate_tree(tree, "bn")
    copy = translate(lesson, "bn", title="ই-লার্নিং পাঠ", body=[scorm_block(package) | {"id": lesson.body[0].id}])
    learner = UserFactory()
    enrolment = Enrolment.objects.create(user=learner, course=tree.course)
    errors: list[str] = []
    context = learner_context(chromium, live_server, learner, viewport={"width": 360, "height": 800}, locale="bn")
    page = open_lesson(context, live_server, copy, errors)
    assert page.evaluate("document.documentElement.lang") == "bn"
    start = page.locator("[data-scorm-start]")
    assert start.inner_text() == "মডিউল শুরু করুন"
    assert serious_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Keyboard only: Tab until the start button has focus, Enter; focus moves to the module's frame.
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.hasAttribute('data-scorm-start')"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the start button cannot be reached with Tab")
    page.keyboard.press("Enter")
    sco = page.frame_locator("[data-scorm-frame]")
    sco.locator("#butNext").wait_for(timeout=20_000)
    assert page.evaluate("document.activeElement.hasAttribute('data-scorm-frame')")
    frame = page.frame_locator("[data-scorm-frame]")
    for _ in range(40):  # into the SCO's own page, to its Next button
        if frame.locator("#butNext").evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the SCO's Next button cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    wait_for(page, ScormAttempt.objects.filter(enrolment=enrolment, location="2").exists, errors=errors)
    assert serious_violations_outside_the_package(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    attempt = ScormAttempt.objects.get(enrolment=enrolment)
    assert (attempt.lesson_id, attempt.block_id) == (lesson.pk, lesson.body[0].id)
    assert errors == []
    leave(context, page)


def serious_violations_outside_the_package(page, axe_source: str) -> list[str]:
    """axe over the lesson page with the player open; the package's own pages are the vendor's, not ours."""
    page.evaluate(axe_source)
    result = page.evaluate(
        "async () => await axe.run({exclude: [['[data-scorm-frame]']]}, {iframes: false,"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
