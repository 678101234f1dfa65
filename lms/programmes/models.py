"""Roles (designations) and the competencies they need; a learner's completion of a programme."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


@register_snippet
class Role(ClusterableModel):
    """A designation civil servants hold (a district ICT officer, a section officer), and the
    competencies it needs. A role of an organisation is that organisation's and its sub-units'; a
    role of none is the whole service's."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "lms.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("organisation"),
        help_text=_("Leave empty for a role of the whole service."),
    )
    competencies = ParentalManyToManyField(
        "courses.Competency", blank=True, related_name="+", verbose_name=_("competencies needed")
    )

    panels = [FieldPanel("name"), FieldPanel("organisation"), FieldPanel("competencies")]

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeCompletion(models.Model):
    """A learner completed a programme: once, for ever (the constraint), with the enrolments that
    counted. ``programme`` is the programme's source copy, whatever language the learner used."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_completions")
    programme = models.ForeignKey("courses.Programme", on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField()
    enrolments = models.ManyToManyField("lms.Enrolment", related_name="+", help_text=_("The courses that counted."))

    class Meta:
        verbose_name = _("programme completion")
        constraints = [models.UniqueConstraint(fields=["user", "programme"], name="one_completion_per_programme")]

    def __str__(self) -> str:
        return f"{self.user} completed {self.programme}"
