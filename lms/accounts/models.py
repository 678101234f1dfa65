"""The one-time codes of accounts: a password reset by SMS, or confirming a new number or email.

Only a keyed hash of each code is stored (an HMAC under the site's secret, salted with the code's
own row), so a copy of the database does not hand out working codes. Each code is short-lived,
works once, and stops working after a few wrong guesses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodePurpose(models.TextChoices):
    RESET = "reset", _("Password reset")
    CONFIRM_PHONE = "confirm_phone", _("Confirm a new mobile number")
    CONFIRM_EMAIL = "confirm_email", _("Confirm a new email address")


class OneTimeCode(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    destination = models.CharField(max_length=254, help_text="The number or address the code was sent to.")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "lms"
        verbose_name = _("one-time code")
        indexes = [models.Index(fields=["destination", "purpose", "expires_at"], name="one_time_code_lookup")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.destination}"
