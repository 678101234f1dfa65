"""Import SCORM packages from the command line, through the same validation as the admin's upload form."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.archives import PackageRefused
from courses.scorm.services import check_package, import_package


class Command(BaseCommand):
    help = (
        "Validate and import SCORM 1.2 / 2004 packages (.zip). Prints one line per refused file with the reason "
        "and exits non-zero if any file was refused; --dry-run validates without storing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; store nothing.")

    def handle(self, *args, files: list[Path], dry_run: bool, **options):
        refused = 0
        for path in files:
            try:
                if not path.is_file():
                    raise PackageRefused([])
                if dry_run:
                    package = check_package(path, name=path.name)
                    self.stdout.write(
                        f"valid    {path.name}: {package.title} (SCORM {package.version}, {len(package.scos)} SCO)"
                    )
                else:
                    stored = import_package(path, name=path.name)
                    self.stdout.write(f"imported {path.name}: {stored.title} (id {stored.pk})")
            except PackageRefused as exc:
                refused += 1
                self.stderr.write(f"refused  {path.name}: {str(exc) or 'no such file'}")
        if refused:
            raise CommandError(f"{refused} of {len(files)} file(s) refused")
