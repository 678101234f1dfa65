"""Opening an H5P activity adds no font file that cannot draw the page's script.

The demo's knowledge check is opened in English and in Bengali, first with the player's own core
style sheet (what the site served before) and then with the one the site serves now; every request
made between pressing Start and the player being ready is recorded with its size. Printed figures:
bytes added per language, before and after (run with ``-s`` to see them)."""

from urllib.parse import urlsplit

import pytest
from django.templatetags.static import static

from courses.models import LessonPage

SLOW_MACHINE_MS = 120_000
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf", ".eot")
ICON_FONTS = ("h5p-core-30", "h5p-theme", "h5p-hub-publish", "fontawesome", "h5p-font")
BENGALI_FONT = "noto-sans-bengali"


def open_activity(chromium, live_server, lesson, *, locale: str) -> list[tuple[str, int]]:
    """(path, bytes) of every request made while the activity opens, in a fresh browser profile."""
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(SLOW_MACHINE_MS)  # a loaded CI machine: wait, do not flake
    page.goto(live_server.url + lesson.url, wait_until="networkidle")
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.locator("[data-h5p-start]").first.click()
    page.wait_for_selector("[data-h5p-ready=true]", timeout=30_000)
    frame = page.locator("[data-h5p-player] iframe").element_handle().content_frame()
    frame.locator(".shikkha-check input[type=radio]").first.wait_for()
    frame.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    # A file the page already had (the site's Bengali font, for the language switcher's "বাংলা")
    # comes from the cache: Chromium reports no body (-1), nothing was added.
    rows = [(urlsplit(r.url).path, max(r.sizes()["responseBodySize"], 0)) for r in requests]
    context.close()
    return rows


def fonts(rows) -> list[str]:
    """The font files fetched over the network (not from the cache)."""
    return [path for path, size in rows if size and path.lower().endswith(FONT_SUFFIXES)]


def test_opening_an_activity_fetches_only_fonts_that_draw_the_page(
    live_server, chromium, monkeypatch, capsys, demo_site
):
    lessons = {
        code: LessonPage.objects.live().get(locale__language_code=code, slug="locks-pins-and-passwords")
        for code in ("en", "bn")
    }
    measured = {}
    with monkeypatch.context() as before:  # the player's own style sheet, as served until now
        before.setattr(
            "courses.templatetags.h5p_player.player_css_url", lambda: static("h5p-standalone/styles/h5p.css")
        )
        for code, lesson in lessons.items():
            measured[("before", code)] = open_activity(chromium, live_server, lesson, locale=code)
    for code, lesson in lessons.items():
        measured[("after", code)] = open_activity(chromium, live_server, lesson, locale=code)

    with capsys.disabled():
        for (when, code), rows in measured.items():
            font_bytes = sum(size for path, size in rows if path.lower().endswith(FONT_SUFFIXES))
            print(f"\n{when:>6} {code}: {sum(size for _p, size in rows):>8} bytes added, {font_bytes:>8} in fonts")
            for path in fonts(rows):
                print(f"         {path}")

    assert any("/inter/" in path or "/open-sans/" in path for path in fonts(measured[("before", "bn")]))
    for code in ("en", "bn"):
        added = fonts(measured[("after", code)])
        text_fonts = [path for path in added if not any(icon in path.lower() for icon in ICON_FONTS)]
        allowed = [BENGALI_FONT]  # the site's font: every page shows Bengali (its language switcher)
        assert all(any(name in path for name in allowed) for path in text_fonts), (code, text_fonts)
        total_after = sum(size for _path, size in measured[("after", code)])
        total_before = sum(size for _path, size in measured[("before", code)])
        assert total_after < total_before, (code, total_after, total_before)
