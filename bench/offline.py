"""Offline lessons' speed (docs/offline.md), each figure beside a baseline measured in the same run.

1. A first visit's weight: a Bengali lesson opened in a fresh browser profile with the service worker
   allowed, against the same with service workers blocked. The difference must be the worker's own
   script (and nothing it fetches: it precaches nothing).
2. Saving the demo module "Staying safe online" (Bengali) for offline: files fetched, and whether any
   address was fetched twice (the server's own log counts every request).
3. A saved lesson opened from the device (network cut) against the same lesson from the network:
   median time to DOMContentLoaded, and the ratio.

Run from the repository root: ``.venv/bin/python bench/offline.py`` (a throw-away SQLite database,
media folder and browser profiles; needs Chromium at /usr/bin/chromium and ``make frontend``).
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-offline-"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "learning_site.settings.test",
    "LMS_VAR_DIR": str(WORK),
    "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
}
ENV.pop("DATABASE_URL", None)
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
ROUNDS = 15
LOG_LINE = re.compile(r'"GET (\S+) HTTP/1\.1" (\d{3}) (\d+)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``runserver`` on the bench database; its log names every request and the bytes answered."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = WORK / "server.log"
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env={**ENV, "LEARNING_SITE_URL": self.url},
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the server did not start")

    def mark(self) -> int:
        return self.log.stat().st_size

    def requests_since(self, mark: int) -> list[tuple[str, int]]:
        time.sleep(0.5)  # the log is written after the response
        with self.log.open() as log:
            log.seek(mark)
            return [(m[1], int(m[3])) for m in LOG_LINE.finditer(log.read())]

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def signed_in(browser_type, profile: Path, server: Server, session: str, **options):
    context = browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=FLAGS, viewport={"width": 360, "height": 800}, **options
    )
    context.add_cookies([{"name": "sessionid", "value": session, "url": server.url}])
    return context


def dom_ready_ms(page, url: str) -> float:
    page.goto(url)
    return page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.domContentLoadedEventEnd - n.startTime; })()"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    from courses.models import CoursePage, LessonPage, ModulePage
    from lms.services import enrol
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = WORK / "media"
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--allow-production", stdout=open(os.devnull, "w"))  # noqa: SIM115
    lesson = LessonPage.objects.live().get(locale__language_code="bn", slug="locks-pins-and-passwords")
    module = ModulePage.objects.ancestor_of(lesson).get()
    learner = UserFactory(username="+8801711000009")
    enrol(user=learner, course=CoursePage.objects.ancestor_of(lesson).get())
    client = Client()
    client.force_login(learner)
    session = client.cookies["sessionid"].value
    server = Server()
    try:
        with sync_playwright() as playwright:
            browser_type = playwright.chromium
            # 1. A first visit, with and without the service worker.
            weights = {}
            for mode in ("block", "allow"):
                context = signed_in(browser_type, WORK / f"first-{mode}", server, session, service_workers=mode)
                page = context.new_page()
                mark = server.mark()
                page.goto(server.url + lesson.url, wait_until="networkidle")
                if mode == "allow":
                    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
                page.wait_for_timeout(2000)  # anything an installing worker would fetch
                weights[mode] = server.requests_since(mark)
                context.close()
            sw_bytes = sum(size for path, size in weights["allow"] if path == "/sw.js")
            blocked = sum(size for _path, size in weights["block"])
            allowed = sum(size for _path, size in weights["allow"])
            extra = sorted({path for path, _size in weights["allow"]} - {path for path, _size in weights["block"]})
            print(f"first visit, service workers blocked: {blocked:,} bytes in {len(weights['block'])} requests")
            print(f"first visit, service worker allowed:  {allowed:,} bytes in {len(weights['allow'])} requests")
            print(f"difference: {allowed - blocked:,} bytes; the worker's script: {sw_bytes:,} bytes; extra: {extra}")

            # 2. Saving the module: each file once.
            profile = WORK / "phone"
            context = signed_in(browser_type, profile, server, session)
            page = context.new_page()
            page.goto(server.url + module.url)
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_selector("[data-offline-save][data-offline-bytes]")
            announced = int(page.get_attribute("[data-offline-save]", "data-offline-bytes"))
            mark = server.mark()
            started = time.perf_counter()
            page.click("[data-offline-save-button]")
            page.wait_for_selector("[data-offline-save][data-offline-saved=true]", timeout=120_000)
            took = time.perf_counter() - started
            saved = [
                (path, size) for path, size in server.requests_since(mark) if not path.startswith("/offline/files/")
            ]
            twice = {path: n for path, n in Counter(path for path, _size in saved).items() if n > 1}
            print(
                f"save module: {len(saved)} files, {sum(s for _p, s in saved):,} bytes in {took:.1f} s "
                f"(announced before: {announced:,} bytes); fetched more than once: {twice or 'none'}"
            )

            # 3. The saved lesson from the device against the same lesson from the network.
            network = [dom_ready_ms(page, server.url + lesson.url) for _ in range(ROUNDS)]
            context.set_offline(True)
            device = [dom_ready_ms(page, server.url + lesson.url) for _ in range(ROUNDS)]
            context.close()
            net, dev = statistics.median(network), statistics.median(device)
            print(
                f"open the lesson: from the network {net:.1f} ms, from the device {dev:.1f} ms "
                f"(median of {ROUNDS}); ratio device/network {dev / net:.2f}; under 100 ms: {dev < 100}"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
