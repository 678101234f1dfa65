"""Register an organisation's system as an OAuth 2.0 client (client credentials) and print its secret once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from api.models import ORGANISATION_SCOPES, OrganisationClient
from lms.models import Organisation
from lms.services import make_organisation_admin


class Command(BaseCommand):
    help = "Create an OAuth client for an organisation's HR or training system; prints the id and secret once."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="The organisation's code.")
        parser.add_argument("name", help="A name for the system, e.g. 'MoICT HRIS'.")
        parser.add_argument("--scopes", default="read", help="Space-separated scopes: read, enrol.")

    @transaction.atomic
    def handle(self, *args, organisation: str, name: str, scopes: str, **options):
        unit = Organisation.objects.filter(code=organisation).first()
        if unit is None:
            raise CommandError(f"No organisation has the code {organisation!r}.")
        wanted = scopes.split()
        unknown = set(wanted) - set(ORGANISATION_SCOPES)
        if not wanted or unknown:
            raise CommandError(f"Scopes must be among: {', '.join(ORGANISATION_SCOPES)}.")
        account, _created = get_user_model().objects.get_or_create(
            username=f"client-{unit.code}"[:150], defaults={"first_name": name[:150]}
        )
        account.set_unusable_password()
        account.save()
        make_organisation_admin(user=account, organisation=unit)
        secret = generate_client_secret()
        application = Application.objects.create(
            name=name,
            user=account,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
        )
        OrganisationClient.objects.create(application=application, organisation=unit, scopes=" ".join(wanted))
        self.stdout.write(f"client_id={application.client_id}\nclient_secret={secret}\n")
        self.stderr.write("Keep the secret now: it is stored hashed and cannot be shown again.")
