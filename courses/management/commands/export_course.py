"""Write a course pack: the course in every language, everything its pages use, signed by the site."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from courses.packs.export import CourseNotFound, build_pack, find_course
from courses.packs.references import UnknownReference
from courses.packs.signing import site_signer


class Command(BaseCommand):
    help = "Export a course (its slug in any language, or its id) with its translations and files to a signed pack."

    def add_arguments(self, parser):
        parser.add_argument("course", metavar="COURSE", help="The course's slug in any language, or its id.")
        parser.add_argument("file", type=Path, metavar="FILE", help="Where to write the pack (.zip).")

    def handle(self, *args, course: str, file: Path, **options):
        try:
            found = find_course(course)
            signer = site_signer()
            data = build_pack(found, signer=signer)
        except (CourseNotFound, UnknownReference, ImproperlyConfigured) as exc:
            raise CommandError(f"No pack written: {exc}") from exc
        temporary = file.with_name(file.name + ".part")
        temporary.write_bytes(data)
        temporary.replace(file)
        self.stdout.write(f"exported {found.title} to {file} ({len(data)} bytes)")
        self.stdout.write(f"signed by {signer.name}, key {signer.public_key}")
