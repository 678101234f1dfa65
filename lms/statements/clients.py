"""Registering a trusted system with the LRS: a key, a secret shown once, xAPI scopes, and a service
account with no password that the system's requests act as."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from ..errors import LearningError
from .models import LRS_SCOPES, LrsClient, secret_hash

DEFAULT_SCOPES = ("statements/write", "statements/read/mine")


def create_lrs_client(*, name: str, scopes: list[str] | None = None) -> tuple[LrsClient, str]:
    """A new client and its secret (only its hash is stored, so this is the one time it is seen)."""
    chosen = list(dict.fromkeys(scopes or DEFAULT_SCOPES))
    unknown = [scope for scope in chosen if scope not in LRS_SCOPES]
    if unknown:
        raise LearningError(
            f"Unknown scope {unknown[0]!r}: choose from {', '.join(LRS_SCOPES)}.", code="unknown_scope", field="scopes"
        )
    if not name.strip():
        raise LearningError("The client needs a name.", code="missing_name", field="name")
    key = secrets.token_hex(16)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        user = get_user_model().objects.create(username=f"lrs-client-{key}", first_name=name[:150], is_active=True)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        client = LrsClient.objects.create(
            name=name[:200], key=key, secret_hash=secret_hash(secret), scopes=" ".join(chosen), user=user
        )
    return client, secret
