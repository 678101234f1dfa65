"""People and progress: organisations, learner profiles, enrolments, assignments and learning records.

A course, lesson or activity is one thing whatever its languages (``courses.identity``): enrolments,
assignments and every learning record point at the *source copy* of a course or lesson, never at
another language's copy, so a learner who switches language keeps everything.

Progress lives on the enrolment as stored numbers (percent, course score, status) that the services
update in the same transaction as the learning record that changes them, so pages read them with one
query instead of rescanning every record a learner ever produced.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    DIVISION = "division", _("Division")
    DEPARTMENT = "department", _("Department")
    CENTRE = "centre", _("Digital Centre")


class Organisation(MP_Node):
    """A ministry, division or department. A materialised path makes "this unit and all its sub-units"
        one indexed prefix query, which every organisation admin's permission check relies on. New units
    are appended (no ``node_order_by``) so that existing paths never move."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="administered_organisations", verbose_name=_("admins")
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class LearnerKind(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    CITIZEN = "citizen", _("Citizen")


class LearnerProfile(models.Model):
    """Who a learner is for reporting: a civil servant of an organisation, or a citizen."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile")
    kind = models.CharField(_("kind"), max_length=20, choices=LearnerKind.choices, default=LearnerKind.CITIZEN)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    designation = models.CharField(_("designation"), max_length=200, blank=True)
    role = models.ForeignKey(
        "lms.Role",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="holders",
        verbose_name=_("role"),
        help_text=_("The designation's role, whose competencies the learner's dashboard measures them against."),
    )
    phone = models.CharField(_("phone number"), max_length=20, null=True, blank=True, unique=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # Accounts (lms.accounts): the language pages open in after sign-in, and the Digital Centre whose
    # operator registered the learner (their sign-in then defaults to a shared-computer session).
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    registered_at = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_learners",
        verbose_name=_("registered at"),
    )

    class Meta:
        verbose_name = _("learner profile")

    def __str__(self) -> str:
        return str(self.user)


class Assignment(models.Model):
    """A course an organisation requires of its members (and its sub-units' members) by a date."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="assignments")
    due_on = models.DateField(_("due date"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        constraints = [models.UniqueConstraint(fields=["organisation", "course"], name="one_assignment_per_unit")]

    def __str__(self) -> str:
        return f"{self.course} → {self.organisation} ({self.due_on})"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ADMIN = "admin", _("Enrolled by an organisation admin")
    ASSIGNMENT = "assignment", _("Assigned")
    RECERTIFICATION = "recertification", _("Reopened for recertification")


class Enrolment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED)
    source = models.CharField(max_length=20, choices=EnrolmentSource.choices, default=EnrolmentSource.SELF)
    progress_percent = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    score_scaled = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("The course score by the course's score policy, from 0 to 1."),
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language the learner last opened a lesson of this course in; their certificate's language."),
    )
    cycle = models.PositiveSmallIntegerField(
        default=1, help_text=_("1 for the first time through the course, +1 each time it reopens for recertification.")
    )

    class Meta:
        verbose_name = _("enrolment")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrolment_per_course")]
        indexes = [models.Index(fields=["course", "status"]), models.Index(fields=["due_on", "status"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"

    @property
    def is_completed(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_on and not self.is_completed and self.due_on < timezone.localdate())

    @property
    def completed_late(self) -> bool:
        """Completed after its due date (in the site's time zone)."""
        return bool(self.due_on and self.completed_at and timezone.localdate(self.completed_at) > self.due_on)


class LessonProgress(models.Model):
    """One learner's visit to, and completion of, one lesson within an enrolment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    first_visited_at = models.DateTimeField(auto_now_add=True)
    last_visited_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_per_lesson")]

    def __str__(self) -> str:
        return f"{self.enrolment} · lesson {self.lesson_id}"


class ActivityResult(models.Model):
    """One attempt at one activity (a knowledge check, an H5P activity). ``event_id`` makes recording it
    idempotent: the same event posted twice is one row."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="activity_results")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    activity_iri = models.URLField(max_length=500)
    event_id = models.CharField(max_length=100)
    score_raw = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    success = models.BooleanField(null=True, blank=True)
    completion = models.BooleanField(null=True, blank=True)
    duration = models.DurationField(null=True, blank=True)
    response = models.CharField(
        max_length=500, blank=True, help_text=_("What the learner answered (xAPI result.response).")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity result")
        constraints = [models.UniqueConstraint(fields=["enrolment", "event_id"], name="one_result_per_event")]
        indexes = [models.Index(fields=["enrolment", "block_id", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.activity_iri} ({self.event_id})"


class ActivityScore(models.Model):
    """The counting score of one activity for one enrolment (best or latest, by the course's policy),
    kept so the course score is one aggregate over a handful of rows rather than over every attempt."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="activity_scores")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    score_scaled = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    success = models.BooleanField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "block_id"], name="one_score_per_activity")]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.block_id}"


class Statement(models.Model):
    """An xAPI statement as received, stored once by its id. ``user`` is the site's learner the actor
    names (none for an actor who is not one); ``actor_key`` and ``authority_key`` identify the actor and
    who sent it (``lms.statements.validation.identifier_key``), for the LRS's queries."""

    statement_id = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="xapi_statements"
    )
    verb = models.URLField(max_length=500)
    object_id = models.URLField(max_length=500)
    actor_key = models.CharField(max_length=500, blank=True, db_index=True)
    authority_key = models.CharField(max_length=500, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(default=False)
    payload = models.JSONField()
    stored_at = models.DateTimeField(default=timezone.now)
    activity_result = models.ForeignKey(
        ActivityResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )

    class Meta:
        verbose_name = _("xAPI statement")
        # The learner's statements in stored order: the xAPI query's keyset pages walk this index.
        indexes = [
            models.Index(fields=["user", "stored_at", "id"], name="statement_user_stored"),
            models.Index(fields=["stored_at", "id"], name="statement_stored"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class NoticeKind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    REMINDER = "reminder", _("Reminder before the due date")
    OVERDUE = "overdue", _("Overdue notice")
    CERTIFICATE = "certificate", _("Certificate issued")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("Certificate expiring")
    RECERTIFICATION = "recertification", _("Recertification open")


class Notice(models.Model):
    """Something a learner is told about one enrolment, in the site's list of notices and, for
    reminders and overdue notices, by email; unique so each kind goes out once per enrolment and
    ``key`` (empty for most kinds; what tells a certificate's expiry reminders or a later cycle's
    notices apart). ``on_date`` is the date the notice is about, where its enrolment does not say it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    key = models.CharField(max_length=60, blank=True, default="")
    on_date = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "kind", "key"], name="one_notice_per_kind_and_key")]
        indexes = [models.Index(fields=["enrolment", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.enrolment}"


class H5PState(models.Model):
    """What an H5P activity asked to keep for one learner ("content user data": where they stopped),
    per lesson block, data type and sub-content. ``content_id`` is the uuid of the H5P package the
    block played when it was saved: a block given another package never gets this state back."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="h5p_states")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    content_id = models.UUIDField(help_text=_("The H5P package (activity uuid) the state belongs to."))
    data_type = models.CharField(max_length=64)
    sub_content_id = models.CharField(max_length=64)
    data = models.TextField(help_text=_("A JSON text, as the H5P content sent it."))
    preload = models.BooleanField(default=True)
    invalidate = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P saved state")
        verbose_name_plural = _("H5P saved states")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "block_id", "data_type", "sub_content_id"], name="one_h5p_state_per_key"
            )
        ]  # its leading columns also serve the lesson page's one query (enrolment, lesson)

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.block_id} · {self.data_type}/{self.sub_content_id}"


from .accounts.models import CodePurpose, OneTimeCode  # noqa: E402,F401  (accounts' models live with accounts)

# integrations: who a learner is at an identity provider or LTI platform (its model lives with its code)
from .lti.models import LtiCourseLink, LtiGradeTarget  # noqa: E402, F401

# programmes: roles and programme completions (lms/programmes/)
from .programmes.models import ProgrammeCompletion, Role  # noqa: E402, F401

# SCORM runtime data (lms/scorm_runtime/); importing it here registers it with the lms app.
from .scorm_runtime.models import ScormAttempt  # noqa: E402, F401
from .sso.models import ExternalIdentity  # noqa: E402, F401

# The Learning Record Store's own records (clients, documents, attachments) live beside the statements.
from .statements.models import LrsClient, XapiAttachment, XapiDocument  # noqa: E402, F401
