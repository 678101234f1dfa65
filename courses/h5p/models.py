"""H5P libraries (stored once, shared by every activity) and H5P activities (one uploaded package each)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

STORAGE_ROOT = "h5p"


class H5PLibrary(models.Model):
    """One library at one major.minor version; a newer patch replaces the stored files for new uploads.

    The files live under ``folder`` (which includes the patch and a random suffix) so that a patch
    upgrade writes a fresh folder and switches to it in the same transaction as the row.
    """

    machine_name = models.CharField(max_length=255)
    major_version = models.PositiveIntegerField()
    minor_version = models.PositiveIntegerField()
    patch_version = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    runnable = models.BooleanField(default=False)
    metadata = models.JSONField(help_text=_("The library's library.json."))
    folder = models.CharField(max_length=400, help_text=_("Storage folder of the library's files."))
    installed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "major_version", "minor_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"], name="h5p_library_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder_name(self) -> str:
        """The name H5P players look for: ``machineName-major.minor``."""
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


class H5PActivity(index.Indexed, models.Model):
    """One uploaded H5P package: its content and the name of its main library."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=255)
    main_library = models.CharField(max_length=255, editable=False)
    metadata = models.JSONField(editable=False, help_text=_("The package's h5p.json."))
    libraries = models.ManyToManyField(H5PLibrary, related_name="activities", editable=False)
    original_filename = models.CharField(max_length=255, editable=False)
    expanded_bytes = models.PositiveBigIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("title")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def folder(self) -> str:
        return f"{STORAGE_ROOT}/content/{self.uuid}"


class H5PUpload(models.Model):
    """A package waiting for (or going through) validation and extraction, so the admin can show progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking and extracting")
        DONE = "done", _("Ready")
        REFUSED = "refused", _("Refused")

    file = models.FileField(upload_to="h5p/uploads/", max_length=400)
    original_filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent done."))
    message = models.TextField(blank=True)
    activity = models.ForeignKey(H5PActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("H5P upload")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_filename
