"""One attempt of one learner at one SCO of a SCORM package placed in a lesson block."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScormAttempt(models.Model):
    """The runtime data of an attempt, as the SCO last committed it.

    ``lesson_id`` and ``block_id`` name the source lesson's block (the activity, whichever language's
    copy was played). ``cmi`` keeps every committed element (flattened: ``cmi.interactions.0.id`` ...);
    the columns beside it are the elements the site reads (status, score, location, times).
    """

    enrolment = models.ForeignKey("lms.Enrolment", on_delete=models.CASCADE, related_name="scorm_attempts")
    lesson_id = models.PositiveBigIntegerField()
    block_id = models.CharField(max_length=64)
    package = models.ForeignKey("courses.ScormPackage", on_delete=models.CASCADE, related_name="+")
    sco = models.CharField(max_length=255, help_text=_("The SCO's item identifier in the manifest."))
    number = models.PositiveIntegerField(default=1)
    cmi = models.JSONField(default=dict)
    completion_status = models.CharField(max_length=20, blank=True)
    success_status = models.CharField(max_length=10, blank=True)
    score_scaled = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    exit = models.CharField(max_length=20, blank=True)
    session_seconds = models.FloatField(default=0)
    base_seconds = models.FloatField(default=0, help_text=_("Total time before the current session."))
    total_seconds = models.FloatField(default=0)
    recorded = models.CharField(max_length=100, blank=True, help_text=_("The result last recorded to progress."))
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson_id", "block_id", "sco", "number"], name="one_scorm_attempt_per_number"
            )
        ]
        indexes = [models.Index(fields=["enrolment", "lesson_id", "block_id"], name="scorm_attempts_of_block")]

    def __str__(self) -> str:
        return f"{self.sco} #{self.number}"

    @property
    def finished(self) -> bool:
        return self.completion_status in {"completed", "passed", "failed"} or self.success_status in {
            "passed",
            "failed",
        }
