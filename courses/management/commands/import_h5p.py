"""Import H5P packages from the command line, through the same validation as the admin's upload form."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.h5p.services import check_package, import_package
from courses.h5p.validation import PackageRefused


class Command(BaseCommand):
    help = (
        "Validate and import .h5p packages. Prints one line per refused file with the reason and exits "
        "non-zero if any file was refused; --dry-run validates without storing anything."
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
                    self.stdout.write(f"valid    {path.name}: {package.title} ({len(package.libraries)} libraries)")
                else:
                    activity = import_package(path, name=path.name)
                    self.stdout.write(f"imported {path.name}: {activity.title} (id {activity.pk})")
            except PackageRefused as exc:
                refused += 1
                reason = str(exc) or "no such file"
                self.stderr.write(f"refused  {path.name}: {reason}")
        if refused:
            raise CommandError(f"{refused} of {len(files)} file(s) refused")
