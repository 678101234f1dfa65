"""The Learning Record Store's records besides statements: the trusted systems that send them (HTTP
Basic key and secret), the documents of the State, Activity Profile and Agent Profile resources, and
statement attachments by their SHA-2."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: xAPI 1.0.3 (Communication 4.2.5) scopes; ``define`` is accepted and grants nothing more here.
LRS_SCOPES = (
    "statements/write",
    "statements/read",
    "statements/read/mine",
    "all/read",
    "all",
    "state",
    "profile",
    "define",
)


def secret_hash(secret: str) -> str:
    """The secret is 32 random bytes, so one SHA-256 is as strong as a slow password hash and keeps
    each request's authentication cheap."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class LrsClient(models.Model):
    """A trusted system (another LRS, an authoring tool, a reporting job) that uses the LRS with HTTP
    Basic authentication. It acts through a service account with no password and no site rights."""

    name = models.CharField(max_length=200)
    key = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.CharField(max_length=300, help_text=_("Space-separated xAPI scopes."))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lrs_client")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("LRS client")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def secret_matches(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_hash, secret_hash(secret))


class DocumentKind(models.TextChoices):
    STATE = "state", _("State")
    ACTIVITY_PROFILE = "activity_profile", _("Activity profile")
    AGENT_PROFILE = "agent_profile", _("Agent profile")


class XapiDocument(models.Model):
    """One document of the State, Activity Profile or Agent Profile resource, with its ETag (the
    SHA-1 of its bytes, as xAPI 1.0.3 suggests) for If-Match / If-None-Match."""

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    activity_id = models.CharField(max_length=500, blank=True)
    agent_key = models.CharField(max_length=500, blank=True)
    registration = models.CharField(max_length=36, blank=True)
    document_id = models.CharField(max_length=500)
    content = models.BinaryField()
    content_type = models.CharField(max_length=200)
    etag = models.CharField(max_length=40)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("xAPI document")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "activity_id", "agent_key", "registration", "document_id"], name="one_xapi_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.document_id}"


class XapiAttachment(models.Model):
    """An attachment's bytes, once per SHA-2, whichever statements carry it."""

    sha2 = models.CharField(max_length=128, unique=True)
    content_type = models.CharField(max_length=200)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("xAPI attachment")

    def __str__(self) -> str:
        return self.sha2
