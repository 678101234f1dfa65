"""What a platform's resource link points at, and what the tool last sent to its gradebook."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LtiCourseLink(models.Model):
    """A platform's resource link (in a context of one deployment) that opens one of our courses."""

    deployment = models.ForeignKey("lti_tool.LtiDeployment", on_delete=models.CASCADE, related_name="course_links")
    context_id = models.CharField(max_length=255, blank=True)
    resource_link_id = models.CharField(max_length=255)
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="lti_links")
    lineitem_url = models.URLField(max_length=1000, blank=True, help_text="AGS line item the scores go to.")
    lineitems_url = models.URLField(max_length=1000, blank=True)
    ags_scopes = models.JSONField(default=list, blank=True)
    memberships_url = models.URLField(max_length=1000, blank=True, help_text="NRPS roster of the context.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "lms"
        verbose_name = _("LTI course link")
        constraints = [
            models.UniqueConstraint(fields=["deployment", "resource_link_id"], name="one_course_per_resource_link")
        ]

    def __str__(self) -> str:
        return f"{self.deployment} · {self.resource_link_id} → {self.course_id}"


class LtiGradeTarget(models.Model):
    """A learner's enrolment reported to a link's line item under the platform's user id."""

    link = models.ForeignKey(LtiCourseLink, on_delete=models.CASCADE, related_name="grade_targets")
    enrolment = models.ForeignKey("lms.Enrolment", on_delete=models.CASCADE, related_name="lti_grade_targets")
    platform_user_id = models.CharField(max_length=255)
    sent_progress = models.PositiveSmallIntegerField(null=True, blank=True)
    sent_score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        app_label = "lms"
        constraints = [models.UniqueConstraint(fields=["link", "enrolment"], name="one_grade_target_per_link")]

    def __str__(self) -> str:
        return f"{self.link} · {self.platform_user_id}"
