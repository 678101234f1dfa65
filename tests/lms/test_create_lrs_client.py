"""``create_lrs_client``: a key and a secret shown once (only a hash stored), xAPI scopes only."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from lms.statements.models import LrsClient


@pytest.mark.django_db
def test_json_prints_the_key_and_secret_and_only_a_hash_is_kept():
    out = io.StringIO()
    call_command("create_lrs_client", "Reports", "--scopes", "statements/write,all/read", "state", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    client = LrsClient.objects.get(key=printed["key"])
    assert client.scope_set == {"statements/write", "all/read", "state"}
    assert printed["secret"] not in client.secret_hash and client.secret_matches(printed["secret"])
    assert not client.user.has_usable_password()


@pytest.mark.django_db
def test_an_unknown_scope_is_refused_by_name():
    with pytest.raises(CommandError, match="'read'"):
        call_command("create_lrs_client", "Reports", "--scopes", "read", stdout=io.StringIO())
    assert not LrsClient.objects.exists()
