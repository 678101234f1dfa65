"""python manage.py create_lrs_client NAME [--scopes statements/write all/read ...] [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError

from lms.errors import LearningError
from lms.statements.clients import DEFAULT_SCOPES, create_lrs_client
from lms.statements.models import LRS_SCOPES


class Command(BaseCommand):
    help = "Register a system that uses the LRS (/xapi/) with HTTP Basic; prints its key and secret once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--scopes",
            nargs="+",
            default=list(DEFAULT_SCOPES),
            help=f"xAPI scopes (space- or comma-separated): {', '.join(LRS_SCOPES)}",
        )
        parser.add_argument("--json", action="store_true", help='Print {"key": ..., "secret": ...} only.')

    def handle(self, *args, name, scopes, json: bool = False, **options):
        chosen = [scope for item in scopes for scope in item.replace(",", " ").split()]
        try:
            client, secret = create_lrs_client(name=name, scopes=chosen)
        except LearningError as exc:
            raise CommandError(exc.message) from None
        if json:
            self.stdout.write(_dumps({"key": client.key, "secret": secret}))
            return
        self.stdout.write(f"LRS client {client.name!r} with scopes {client.scopes}")
        self.stdout.write(f"key:    {client.key}")
        self.stdout.write(f"secret: {secret}  (shown once; only its hash is stored)")


_dumps = json.dumps
