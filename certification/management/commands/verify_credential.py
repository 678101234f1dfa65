import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.verification import VerificationInputError, verify_credential


class Command(BaseCommand):
    help = (
        "Verify a credential (JSON, certificate PDF or baked PNG) and print every check as JSON. "
        "Exit status 0 only when it is genuine and not revoked."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--name", default="", help="Compare this name with the hashed subject.")
        parser.add_argument("--email", default="", help="Compare this email with the hashed subject.")

    def handle(self, *args, file: Path, name: str, email: str, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            result = verify_credential(data=data, name=name, email=email)
        except VerificationInputError as exc:
            self.stdout.write(json.dumps({"error": str(exc), "genuine": False}, ensure_ascii=False))
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        if not (result.genuine and not result.revoked):
            raise CommandError("Not genuine, or revoked.", returncode=1)
