"""Build the peer's H5P lesson once and print a signed-in learner's session and the lesson's path.

Run with the peer venv's python from the repository root (bench/lesson_page.py does):
``PEER_VAR_DIR=... <peer venv>/bin/python -m bench.peer_site.setup PACKAGE.h5p``. Idempotent.
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402


def main(package: str) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    from wagtail_lms.models import CourseEnrollment, CoursePage, H5PActivity, H5PLessonPage

    course = CoursePage.objects.filter(slug="bench-course").first()
    if course is None:
        home = Page.get_first_root_node().get_children().first()
        course = CoursePage(title="Bench course", slug="bench-course", description="<p>A course.</p>")
        home.add_child(instance=course)
        course.save_revision().publish()
    activity = H5PActivity.objects.filter(title="Bench activity").first()
    if activity is None:
        activity = H5PActivity(title="Bench activity")
        with open(package, "rb") as handle:
            activity.package_file.save(os.path.basename(package), File(handle), save=False)
        activity.save()
    if not H5PLessonPage.objects.filter(slug="bench-lesson").exists():
        lesson = H5PLessonPage(
            title="Bench lesson",
            slug="bench-lesson",
            intro="<p>Read this, then try the activity.</p>",
            body=[
                ("paragraph", "<p>Public services should be simple. Ask the people who use them.</p>"),
                ("h5p_activity", {"activity": activity}),
            ],
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    lesson = H5PLessonPage.objects.get(slug="bench-lesson")
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "127.0.0.1", 80
    site.save()
    User = get_user_model()
    learner, _created = User.objects.get_or_create(username="bench-learner", defaults={"email": "b@example.org"})
    CourseEnrollment.objects.get_or_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    print(json.dumps({"path": lesson.url, "sessionid": client.cookies["sessionid"].value}))


if __name__ == "__main__":
    main(sys.argv[1])
