"""Import a course pack without any network: drafts in the review workflow unless --publish."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courses.archives import PackageRefused
from courses.packs.importing import import_pack


class Command(BaseCommand):
    help = (
        "Import a course pack written by export_course. Pages land as drafts in the site's workflow unless "
        "--publish; importing the same pack again updates the same pages. A pack whose signer this site does "
        "not trust (COURSES_PACK_TRUSTED_SIGNERS) is refused unless --trust-signer."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--publish", action="store_true", help="Publish the pages that were live where exported.")
        parser.add_argument("--trust-signer", action="store_true", help="Accept this pack's signer, this once.")
        parser.add_argument("--user", metavar="USERNAME", help="Whom the revisions and workflow name.")

    def handle(self, *args, file: Path, publish: bool, trust_signer: bool, user: str | None, **options):
        if not file.is_file():
            raise CommandError(f"refused  {file.name}: no such file")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"no user named {user!r}")
        try:
            result = import_pack(file, name=file.name, user=account, publish=publish, trust=trust_signer)
        except PackageRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"refused  {problem}")
            raise CommandError(f"{file.name} refused; nothing changed") from exc
        plan = result.plan
        self.stdout.write(
            f"imported {file.name}: {plan.creates} page(s) created, {plan.updates} updated, "
            f"{len(result.created_files)} file(s) stored, {len(plan.reused_files)} reused"
        )
        self.stdout.write(f"signed by {plan.signer_name} ({'trusted' if plan.trusted else 'confirmed'})")
        for page in plan.pages:
            self.stdout.write(f"  {page.action} {page.kind} {page.locale}: {page.title}")
