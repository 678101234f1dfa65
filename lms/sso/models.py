"""Who a learner is at another system: an identity provider's or an LTI platform's (issuer, sub)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentitySource(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect provider")
    LTI = "lti", _("LTI platform")


class ExternalIdentity(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    source = models.CharField(max_length=10, choices=IdentitySource.choices)
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255, help_text="The issuer's `sub` for this person; never reassigned.")
    claims = models.JSONField(default=dict, blank=True, help_text="The profile claims last received.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "lms"
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["source", "issuer", "subject"], name="one_user_per_external_subject")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.subject} → {self.user_id}"
