"""Load the suite's example course into a site, and optionally a certificate for it.

For a first look at the suite in a new Wagtail site (the catalogue becomes the default site's home
page) and for the install test; a site's real courses are written in the Wagtail admin. Running it
again changes nothing. It lives in certification because ``--certificate`` spans every app below it.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import courses
from courses.seeding import SeedError, ensure_locales, read_yaml, seed_courses, seed_site

EXAMPLE = Path(courses.__file__).resolve().parent / "example"


class Command(BaseCommand):
    help = "Load one example course (English, with a Bengali copy when the site has Bengali). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--certificate",
            metavar="USERNAME",
            help="Also complete the course as this learner (created without a password if new) and issue the "
            "certificate; prints its verification path.",
        )

    def handle(self, *args, certificate: str | None, **options):
        codes = [code for code, _name in settings.LANGUAGES]
        if "en" not in codes:
            raise CommandError('The example course is written in English: add ("en", ...) to LANGUAGES.')
        try:
            with transaction.atomic():
                catalogues = seed_site(read_yaml(EXAMPLE / "site.yaml"), locales=ensure_locales(codes))
                (course,) = seed_courses(EXAMPLE / "courses", catalogues=catalogues)
        except (SeedError, KeyError, ValueError) as exc:
            raise CommandError(f"Example course not loaded, nothing changed: {exc}") from exc
        self.stdout.write(f"course: {course.url}")
        first_lesson = course.get_descendants().live().filter(depth=course.depth + 2).first()
        if first_lesson is not None:
            self.stdout.write(f"lesson: {first_lesson.url}")
        if certificate:
            self._certificate(certificate, course)

    def _certificate(self, username: str, course) -> None:
        from certification.keys import signing_configured
        from certification.seeding import seed_demo_certificates

        if not signing_configured():
            raise CommandError("No signing key: run generate_signing_key and set what it prints (docs/settings.md).")
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            user = User(username=username, first_name=username.title())
            user.set_unusable_password()
            user.save()
        issued = seed_demo_certificates([(username, course.slug, "en")])
        if not issued:
            raise CommandError("The course was not completed: no certificate issued.")
        self.stdout.write(f"certificate: /v/{issued[0].pk}")
