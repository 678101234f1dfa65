"""The issuers this site lists when it runs as a registry of accredited issuers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccreditedIssuer(models.Model):
    """One entry of the registry the site publishes: an issuer's DID and the name it is listed under."""

    did = models.CharField(
        _("issuer's DID"),
        max_length=500,
        unique=True,
        help_text=_("The issuer id its credentials carry, e.g. did:web:academy.example.gov.bd."),
    )
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("website"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    accredited_since = models.DateField(_("accredited since"), null=True, blank=True)
    is_listed = models.BooleanField(
        _("listed"), default=True, help_text=_("Unlisted entries are kept but no longer published.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "certification"
        verbose_name = _("accredited issuer")
        verbose_name_plural = _("accredited issuers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.did})"
