from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from certification.seeding import seed_demo_certificates
from courses.competencies.seeding import seed_demo_programmes
from courses.seeding import SeedError, ensure_locales, read_yaml, seed_courses, seed_site
from foundation.site_address import align_default_site, site_url
from lms.demo_cohort import PASSWORD, seed_demo_cohort
from lms.seeding import seed_demo_organisations, seed_demo_roles, seed_demo_users

DEFAULT_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"


class Command(BaseCommand):
    help = "Build the demo site (courses in English and Bengali, demo accounts). Safe to run again."
    # `make serve` runs the seed between `migrate` and `runserver`, which both check the project;
    # checking a third time cost seconds on every start.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="Folder of demo fixture files.")
        parser.add_argument(
            "--allow-production", action="store_true", help="Create the demo accounts even when DEBUG is off."
        )

    def handle(self, *args, fixtures: Path, allow_production: bool, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("DEBUG is off: demo accounts have public passwords. Pass --allow-production to insist.")
        try:
            with transaction.atomic():
                locales = ensure_locales(code for code, _name in settings.LANGUAGES)
                catalogues = seed_site(read_yaml(fixtures / "site.yaml"), locales=locales)
                courses = seed_courses(fixtures / "courses", catalogues=catalogues)
                users = seed_demo_users(read_yaml(fixtures / "users.yaml", expect=list))
                if (fixtures / "organisations.yaml").exists():
                    seed_demo_organisations(read_yaml(fixtures / "organisations.yaml", expect=list))
                    cohort = seed_demo_cohort()
                if (fixtures / "programmes.yaml").exists():
                    programmes = read_yaml(fixtures / "programmes.yaml")
                    seed_demo_programmes(programmes, locales=locales)
                    if (fixtures / "organisations.yaml").exists():
                        seed_demo_roles(programmes.get("roles", []))
                align_default_site()  # page links in workflow emails follow LEARNING_SITE_URL too
        except (SeedError, KeyError, ValueError) as exc:
            raise CommandError(f"Demo content not loaded, nothing changed: {exc}") from exc
        certificates = seed_demo_certificates()
        self.stdout.write(
            self.style.SUCCESS(f"Demo site ready at {site_url()}/: {len(courses)} courses, in English and Bengali.")
        )
        if (fixtures / "organisations.yaml").exists():
            self.stdout.write(f"  demo cohort: {cohort} learners created (learner01..learner40, {PASSWORD})")
        for certificate in certificates:
            self.stdout.write(f"  certificate for {certificate.recipient_name}: /v/{certificate.pk}")
        if not certificates:
            self.stdout.write("  no demo certificates: no signing key (python manage.py generate_signing_key)")
        self.stdout.write("Demo accounts (development only; see the README):")
        for username, password, role, _created in users:
            self.stdout.write(f"  {role:<14} {username:<10} {password}")
