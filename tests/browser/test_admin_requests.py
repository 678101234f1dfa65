"""No admin page loads anything from outside the site: every request the browser makes while a staff
member works through several admin pages (dashboard, pages, users, their account, an editor) stays
on the machine; gravatar.com in particular is never asked for an avatar."""

from urllib.parse import urlsplit

import pytest

from tests.factories import UserFactory

SLOW_MACHINE_MS = 120_000
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCAL = {"127.0.0.1", "localhost", "::1"}
ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/users/",
    "/admin/account/",
    "/admin/snippets/",
    "/admin/reports/site-history/",
]


def test_admin_pages_request_nothing_beyond_the_machine(live_server, chromium, tree):
    staff = UserFactory(username="editor", email="editor@example.gov.bd", is_staff=True, is_superuser=True)
    staff.set_password("a long pass phrase")
    staff.save()
    requested: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_default_timeout(SLOW_MACHINE_MS)  # a loaded CI machine: wait, do not flake
    page.goto(live_server.url + "/admin/login/", wait_until="networkidle")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long pass phrase")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")
    for path in [*ADMIN_PAGES, f"/admin/pages/{tree.course.pk}/edit/"]:
        response = page.goto(live_server.url + path, wait_until="networkidle")
        assert response.status < 400, path
    context.close()

    assert len(requested) > len(ADMIN_PAGES)  # the pages, their styles, scripts, fonts and avatars
    outside = [url for url in requested if urlsplit(url).scheme in {"http", "https", "ws", "wss"}]
    outside = [url for url in outside if urlsplit(url).hostname not in LOCAL]
    assert outside == [], outside
    assert not any("gravatar" in url for url in requested)
