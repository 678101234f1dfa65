from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.keys import new_key_file_entry, rotate_key_file


class Command(BaseCommand):
    help = (
        "Generate an Ed25519 signing key for certificates and print what to set. With --key-file, add it to "
        "that file as the active key; earlier keys keep only their public half and stay published (rotation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key-file", type=Path, help="Key file to create or rotate (keep it out of the repo).")
        parser.add_argument("--key-id", default="key-1", help="Id of the new key when printing environment lines.")

    def handle(self, *args, key_file: Path | None, key_id: str, **options):
        if key_file is not None:
            try:
                entry = rotate_key_file(key_file)
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(f"Cannot rotate {key_file}: {exc}") from exc
            self.stdout.write(f"Added {entry['id']} to {key_file} as the active key (file mode 600).")
            self.stdout.write(f"Set: CERTIFICATION_KEY_FILE={key_file.resolve()}")
            self.stdout.write(f"Public key: {entry['publicKeyMultibase']}")
            return
        entry = new_key_file_entry(key_id)
        self.stdout.write("# Keep the secret out of the repository and the database; set it in the environment:")
        self.stdout.write(f"CERTIFICATION_SIGNING_KEY={entry['id']}:{entry['secretKeyMultibase']}")
        self.stdout.write(f"# Public key (published in the DID documents): {entry['publicKeyMultibase']}")
        self.stdout.write(
            "# When rotating, add the previous key to CERTIFICATION_RETIRED_KEYS as id:publicKeyMultibase "
            "(comma-separated) so that credentials it signed still verify."
        )
