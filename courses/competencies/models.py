"""Competency frameworks and programmes: what courses build, and the courses that build it together.

A framework (say, a ministry's digital-governance competencies, FRAC style) holds competencies; a
course names the competencies it builds; a programme is an ordered set of courses, some optional,
completed by a minimum number of them, with a credential of its own. All are snippets: a
programme has no place in the page tree (its courses live in the catalogue), and a snippet is
picked and ordered in the admin like any other piece of content.

Each exists once whatever its languages: Wagtail's ``translation_key`` is its identity (it is the
CASE identifier of a framework and its competencies), and learning records point at the source
copy, the lowest id of a translation group, as they do for pages (``courses.identity``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail.snippets.models import register_snippet


class AdoptionStatus(models.TextChoices):
    """CASE's adoption statuses of a framework."""

    DRAFT = "Draft", _("Draft")
    ADOPTED = "Adopted", _("Adopted")
    DEPRECATED = "Deprecated", _("Deprecated")


class CompetencyKind(models.TextChoices):
    """The kinds of competency of India's FRAC, which civil-service frameworks commonly follow."""

    BEHAVIOURAL = "behavioural", _("Behavioural")
    FUNCTIONAL = "functional", _("Functional")
    DOMAIN = "domain", _("Domain")


@register_snippet
class CompetencyFramework(TranslatableMixin, models.Model):
    """A named set of competencies, published as a CASE package for other systems to read."""

    title = models.CharField(_("title"), max_length=200)
    creator = models.CharField(_("creator"), max_length=200, help_text=_("Who maintains the framework."))
    description = models.TextField(_("description"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    adoption_status = models.CharField(
        _("adoption status"), max_length=20, choices=AdoptionStatus.choices, default=AdoptionStatus.ADOPTED
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("creator"),
        FieldPanel("description"),
        FieldPanel("version"),
        FieldPanel("adoption_status"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def identifier(self) -> str:
        """Its CASE identifier: the same for every language's copy."""
        return str(self.translation_key)


@register_snippet
class Competency(TranslatableMixin, models.Model):
    """One competency of a framework (a CASE item)."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.PROTECT, related_name="competencies", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=40, help_text=_("A short code such as DG-3."))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CompetencyKind.choices, default=CompetencyKind.FUNCTIONAL)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("framework"),
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("description"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["code"]
        unique_together = [("translation_key", "locale"), ("framework", "code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def identifier(self) -> str:
        return str(self.translation_key)


@register_snippet
class Programme(TranslatableMixin, ClusterableModel):
    """An ordered set of courses that together build named competencies, with its own credential."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    summary = models.TextField(_("summary"), max_length=500, blank=True)
    minimum_courses = models.PositiveSmallIntegerField(
        _("courses to complete"),
        null=True,
        blank=True,
        help_text=_(
            "How many of the programme's courses a learner completes to complete it, the required ones "
            "included; leave empty for all of them."
        ),
    )
    competencies = ParentalManyToManyField(
        Competency, blank=True, related_name="programmes", verbose_name=_("competencies built")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("minimum_courses"),
        FieldPanel("competencies"),
        InlinePanel("programme_courses", label=_("Courses"), min_num=1),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        count = len([row for row in self.programme_courses.all() if row.course_id])
        if self.minimum_courses is not None and count and self.minimum_courses > count:
            raise ValidationError(
                {
                    "minimum_courses": _("The programme has only %(count)s courses; it cannot ask for %(minimum)s.")
                    % {"count": count, "minimum": self.minimum_courses}
                }
            )


class ProgrammeCourse(Orderable):
    """One course of a programme, in its order; an optional one counts towards the minimum only."""

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="programme_courses")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="+", verbose_name=_("course")
    )
    optional = models.BooleanField(_("optional"), default=False)

    panels = [FieldPanel("course"), FieldPanel("optional")]

    class Meta(Orderable.Meta):
        verbose_name = _("programme course")
        constraints = [models.UniqueConstraint(fields=["programme", "course"], name="one_course_per_programme")]

    def __str__(self) -> str:
        return f"{self.programme} · {self.course_id}"
