"""The Wagtail admin draws Bengali with the site's font, and fetches it only for Bengali text."""

import pytest

from tests.factories import CoursePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def loaded_faces(page, family: str) -> int:
    return page.evaluate(
        """family => [...document.fonts].filter(f => f.family.replaceAll('"', '') === family
                                                 && f.status === 'loaded').length""",
        family,
    )


def test_admin_uses_the_bengali_font_only_where_bengali_is_shown(live_server, chromium, tree):
    bengali = CoursePageFactory(parent=tree.catalogue, title="ডিজিটাল সেবা ব্যবহার", slug="digital-seba")
    admin = UserFactory(username="editor", is_staff=True, is_superuser=True)
    admin.set_password("a long pass phrase")
    admin.save()
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/", wait_until="networkidle")
    assert loaded_faces(page, "Noto Sans Bengali") == 0  # no Bengali on the screen: nothing fetched
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long pass phrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(f"{live_server.url}/admin/pages/{bengali.pk}/edit/", wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    assert page.locator("#id_title").input_value() == "ডিজিটাল সেবা ব্যবহার"
    assert loaded_faces(page, "Noto Sans Bengali") >= 1
    family = page.evaluate("getComputedStyle(document.querySelector('#id_title')).fontFamily")
    assert family.startswith('"Noto Sans Bengali"'), family
    context.close()
