import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.issuers import did_document, did_document_url
from certification.models import IssuerProfile
from certification.selectors import issued_certificates, status_lists
from certification.services import signed_status_list


class Command(BaseCommand):
    help = (
        "Write every issued credential (the JSON exactly as signed, the PDF, the baked PNG), the issuers' DID "
        "documents and the status lists to DIR, for archiving and for offline verifiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            for sub in ("credentials", "issuers", "status"):
                (directory / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot write to {directory}: {exc.strerror}") from exc
        index = []
        count = 0
        for certificate in issued_certificates().iterator():
            stem = directory / "credentials" / str(certificate.pk)
            stem.with_suffix(".json").write_bytes(certificate.credential.encode("utf-8"))
            for field, suffix in ((certificate.pdf, ".pdf"), (certificate.badge, ".png")):
                if field:
                    with field.open("rb") as source:
                        stem.with_suffix(suffix).write_bytes(source.read())
            index.append(
                {
                    "id": str(certificate.pk),
                    "course": certificate.course_title,
                    "issued_at": certificate.issued_at.isoformat(),
                    "revoked": certificate.is_revoked,
                }
            )
            count += 1
        for profile in IssuerProfile.objects.all():
            document = did_document(profile)
            path = directory / "issuers" / f"{profile.slug}.did.json"
            path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            index.append(
                {"did": document["id"], "url": did_document_url(profile), "file": str(path.relative_to(directory))}
            )
        for status_list in status_lists():
            (directory / "status" / f"{status_list.pk}.json").write_bytes(
                signed_status_list(status_list=status_list).encode("utf-8")
            )
        (directory / "index.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Exported {count} certificates to {directory}."))
