"""A SCORM package: one uploaded archive, its SCOs in manifest order, its files under its own folder."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

STORAGE_ROOT = "scorm"


class ScormPackage(index.Indexed, models.Model):
    """One uploaded SCORM package. ``scos`` lists its launchable SCOs in manifest order:
    ``[{"identifier", "title", "href"}]``, ``href`` relative to the package's folder (with the item's
    parameters, if any)."""

    class Version(models.TextChoices):
        SCORM_12 = "1.2", "SCORM 1.2"
        SCORM_2004 = "2004", "SCORM 2004"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=255)
    version = models.CharField(max_length=4, choices=Version.choices, editable=False)
    edition = models.CharField(max_length=60, blank=True, editable=False, help_text=_("As the manifest says."))
    identifier = models.CharField(max_length=255, editable=False, help_text=_("The manifest's identifier."))
    scos = models.JSONField(editable=False)
    original_filename = models.CharField(max_length=255, editable=False)
    expanded_bytes = models.PositiveBigIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("title")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def folder(self) -> str:
        return f"{STORAGE_ROOT}/{self.uuid}"

    def sco(self, identifier: str) -> dict | None:
        return next((sco for sco in self.scos if sco["identifier"] == identifier), None)
