"""Certificates, the issuers that sign them, the status lists that revoke them and the audit log."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from courses.models import AccreditingBody, CoursePage
from lms.models import Enrolment, ProgrammeCompletion

STATUS_LIST_SIZE = 131_072  # bits; the Bitstring Status List minimum, for herd privacy


class IssuerProfile(models.Model):
    """Who stands behind a certificate: the site itself (default) or an accrediting body.

    Each profile is its own ``did:web`` issuer (the default one at ``/.well-known/did.json``, the
    others at ``/issuers/<slug>/did.json``), so a verifier learns which authority vouches for a
    certificate from the key's controller, not from a name anyone could type.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=60, unique=True, help_text=_("Part of the issuer's DID; never change it.")
    )
    url = models.URLField(_("website"))
    email = models.EmailField(_("contact email"), blank=True)
    description = models.TextField(_("description"), blank=True)
    accrediting_body = models.ForeignKey(
        AccreditingBody,
        verbose_name=_("accrediting body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Certificates of courses accredited by this body (in any language) are issued by this profile."),
    )
    is_default = models.BooleanField(
        _("default issuer"), default=False, help_text=_("Issues the certificates of courses no other profile covers.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("url"),
        FieldPanel("email"),
        FieldPanel("description"),
        FieldPanel("accrediting_body"),
        FieldPanel("is_default"),
    ]

    class Meta:
        verbose_name = _("issuer profile")
        verbose_name_plural = _("issuer profiles")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_issuer"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CertificateLayout(models.TextChoices):
    OFFICIAL = "official", _("Official (bordered, serif)")
    PLAIN = "plain", _("Plain (no border)")


class CertificateTemplate(models.Model):
    """The look of a course's certificate, chosen by trainers in the admin."""

    name = models.CharField(_("name"), max_length=100)
    layout = models.CharField(
        _("layout"), max_length=20, choices=CertificateLayout.choices, default=CertificateLayout.OFFICIAL
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#006a4e", help_text=_("A hex colour such as #006a4e.")
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    courses = models.ManyToManyField(
        CoursePage,
        verbose_name=_("courses"),
        blank=True,
        related_name="+",
        help_text=_("Courses that use this template."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("layout"),
        FieldPanel("accent_colour"),
        FieldPanel("signatory_name"),
        FieldPanel("signatory_title"),
        FieldPanel("courses"),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatusList(models.Model):
    """One Bitstring Status List of an issuer: 131,072 revocation bits, bit 0 the first byte's MSB.

    Indexes are handed out in a scrambled order (``offset + n * stride`` modulo the size, with an
    odd stride) so that a credential's index does not reveal its rank among the issuer's
    certificates, while each index is still handed out exactly once.
    """

    issuer = models.ForeignKey(IssuerProfile, on_delete=models.PROTECT, related_name="status_lists")
    purpose = models.CharField(max_length=20, default="revocation")
    size = models.PositiveIntegerField(default=STATUS_LIST_SIZE)
    bits = models.BinaryField()
    allocated = models.PositiveIntegerField(default=0)
    offset = models.PositiveIntegerField()
    stride = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=0, help_text="Goes up with every change of a bit.")
    signed_credential = models.TextField(blank=True, help_text="The signed list as served.")
    signed_version = models.IntegerField(default=-1, help_text="The version that signed_credential shows.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.issuer} status list {self.pk}"

    @property
    def is_full(self) -> bool:
        return self.allocated >= self.size


class CertificateKind(models.TextChoices):
    COURSE = "course", _("course certificate")
    REISSUE = "reissue", _("corrected re-issue")
    RECERTIFICATION = "recertification", _("recertification")
    PROGRAMME = "programme", _("programme certificate")


class Certificate(models.Model):
    """One issued credential: its exact signed bytes, the PDF, the baked badge and what they say.

    ``replaces`` links a certificate to the one before it: a corrected re-issue revokes that one; a
    recertification *supersedes* it (``superseded_at``: still genuine, never revoked, kept in the
    learner's history). ``cycle`` is the enrolment's cycle whose completion it attests.

    Of a course (``enrolment`` and ``course``) or of a programme (``programme_completion``), never
    both: the course's title fields then hold the programme's.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    programme_completion = models.ForeignKey(
        ProgrammeCompletion, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey(CoursePage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    generation = models.PositiveSmallIntegerField(default=1, help_text="1 for the first issue, +1 for each re-issue.")
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    kind = models.CharField(max_length=20, choices=CertificateKind.choices, default=CertificateKind.COURSE)
    cycle = models.PositiveSmallIntegerField(default=1, help_text="The enrolment's cycle whose completion it attests.")
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text="When a recertification replaced it; it stays genuine and is not revoked."
    )
    issuer = models.ForeignKey(IssuerProfile, on_delete=models.PROTECT, related_name="certificates")
    recipient_name = models.CharField(_("name as printed"), max_length=300, blank=True)
    name_withheld_at = models.DateTimeField(
        null=True, blank=True, help_text="When the learner was erased: the name is no longer shown or printed."
    )
    course_title = models.CharField(max_length=300)
    credit_hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    accrediting_body_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=5)
    score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    completed_at = models.DateTimeField()
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    verification_method = models.CharField(max_length=300)
    credential = models.TextField(
        help_text="The signed credential exactly as signed (UTF-8 JSON); never re-serialised."
    )
    pdf = models.FileField(upload_to="certificates/pdf/", blank=True)
    badge = models.FileField(upload_to="certificates/badge/", blank=True)
    renderer = models.CharField(max_length=20, blank=True)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="certificates")
    status_index = models.PositiveIntegerField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "generation"], name="one_certificate_per_generation"),
            models.UniqueConstraint(
                fields=["programme_completion", "generation"], name="one_programme_certificate_per_generation"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(enrolment__isnull=False, course__isnull=False, programme_completion__isnull=True)
                    | models.Q(enrolment__isnull=True, course__isnull=True, programme_completion__isnull=False)
                ),
                name="certificate_of_a_course_or_a_programme",
            ),
            models.UniqueConstraint(fields=["status_list", "status_index"], name="one_certificate_per_status_bit"),
        ]

    def __str__(self) -> str:
        return f"{self.course_title} — {self.recipient_name}"

    @property
    def credential_id(self) -> str:
        return f"urn:uuid:{self.id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_of_programme(self) -> bool:
        return self.programme_completion_id is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None


class Recertification(models.Model):
    """The recertification window of one certified completion: opened once, when it reopened a course.

    One row per (enrolment, cycle) whose certificate expires (``from_enrolment``/``from_cycle``, so a
    corrected re-issue of that certificate does not open a second window). ``enrolment`` and
    ``cycle`` are what the learner now takes: the same course's enrolment in its next cycle, or the
    refresher course's; the completion of that cycle issues the certificate that supersedes.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="recertifications")
    from_enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    from_cycle = models.PositiveSmallIntegerField()
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="recertifications")
    cycle = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["from_enrolment", "from_cycle"], name="one_recertification_per_completion")
        ]
        indexes = [models.Index(fields=["enrolment", "cycle"], name="recertification_taken")]

    def __str__(self) -> str:
        return f"recertification of {self.certificate_id}"


class ExpiryReminder(models.Model):
    """A reminder that a certified completion expires, sent once per offset (days before expiry).

    Unique per (enrolment, cycle, offset): two beat runs at once send it once, and a corrected re-issue
    of the certificate is not reminded again of what its learner was already told."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="expiry_reminders")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    cycle = models.PositiveSmallIntegerField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "cycle", "days_before"], name="one_expiry_reminder_per_offset")
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder for {self.certificate_id}"


class CertificateRelease(models.Model):
    """A completed enrolment of a course that holds its certificates until someone releases them.

    Completion creates the row (``released_at`` empty: the learner sees "pending release"); a release
    stamps it and queues the usual issuing task, which issues exactly once as for any completion.
    """

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="certificate_release")
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["held_at"]
        permissions = [("release_certificate", "Can release certificates held for review")]
        indexes = [models.Index(fields=["course", "released_at"], name="release_by_course")]

    def __str__(self) -> str:
        return f"certificate release for enrolment {self.enrolment_id}"

    @property
    def is_pending(self) -> bool:
        return self.released_at is None


class AuditAction(models.TextChoices):
    ISSUED = "issued", _("issued")
    REVOKED = "revoked", _("revoked")
    REISSUED = "reissued", _("re-issued")
    NAME_WITHHELD = "name_withheld", _("name withheld (learner erased)")
    RECERTIFIED = "recertified", _("recertified")
    SUPERSEDED = "superseded", _("superseded by a recertification")
    RECERTIFICATION_OPENED = "recert_opened", _("recertification opened")


class AuditEntry(models.Model):
    """Append-only record of every issue, revocation and re-issue; staff read it, nobody edits it."""

    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("certificate audit entry")
        verbose_name_plural = _("certificate audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.certificate_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


class WalletExchange(models.Model):
    """A one-time offer of one certificate to the holder's wallet: a VC-API exchange.

    Only the hash of the exchange id is stored: the id itself (256 random bits) is the bearer secret
    in the exchange URL that the holder's page shows. The first wallet POST within ``expires_at``
    marks the exchange completed (one conditional UPDATE, so two wallets racing get one credential
    between them); after that, and after expiry, the exchange answers 410.
    """

    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 (hex) of the exchange id.")
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="wallet_exchanges")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["certificate", "holder", "-created_at"], name="wallet_exchange_latest")]

    def __str__(self) -> str:
        return f"wallet exchange {self.pk} for {self.certificate_id}"


# integrations: the registry of accredited issuers the site publishes (its model lives with its code)
from .registries.models import AccreditedIssuer  # noqa: E402, F401
