"""The content of learning: catalogue, courses, modules and lessons, and the snippets they use."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import RICH_TEXT_FEATURES, LessonBodyBlock
from .publication import CachedViewRestrictionsMixin


class Audience(models.TextChoices):
    CIVIL_SERVANTS = "civil_servants", _("Civil servants")
    CITIZENS = "citizens", _("Citizens")
    BOTH = "both", _("Civil servants and citizens")


class Level(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    BENGALI = "bn", "বাংলা"


@register_snippet
class AccreditingBody(TranslatableMixin, models.Model):
    """An institution that accredits courses and whose name stands on their certificates."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("website")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("accrediting body")
        verbose_name_plural = _("accrediting bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@register_snippet
class Topic(TranslatableMixin, models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


class ScorePolicy(models.TextChoices):
    BEST = "best", _("Best attempt")
    LATEST = "latest", _("Latest attempt")


def completed_lesson_ids(request, lessons) -> set[int]:
    """The ids of these lessons the visitor has completed, from whichever app records learning (the
    ``completed_lessons`` hook; courses imports none of them): the ticks of an outline."""
    from wagtail import hooks

    done: set[int] = set()
    for hook in hooks.get_hooks("completed_lessons"):
        done |= set(hook(request=request, lessons=lessons) or ())
    return done


class CataloguePage(CachedViewRestrictionsMixin, Page):
    """The list of courses, filterable by audience, language of instruction and topic."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("catalogue page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_courses, catalogue_filters

        context = super().get_context(request, *args, **kwargs)
        filters = catalogue_filters(request.GET)
        context["filters"] = filters
        context["courses"] = catalogue_courses(catalogue=self, user=request.user, **filters)
        context["audience_choices"] = Audience.choices
        context["language_choices"] = Language.choices
        context["topics"] = Topic.objects.filter(locale=self.locale)
        return context


class CoursePage(CachedViewRestrictionsMixin, Page):
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.BOTH)
    summary = models.TextField(max_length=500, help_text=_("One or two sentences for the catalogue."))
    description = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.FOUNDATION)
    language = models.CharField(
        _("language of instruction"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    estimated_hours = models.DecimalField(
        max_digits=5, decimal_places=1, default=Decimal("1.0"), validators=[MinValueValidator(Decimal("0.5"))]
    )
    topics = ParentalManyToManyField(Topic, blank=True, related_name="courses")
    prerequisites = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, related_name="required_by", verbose_name=_("prerequisite courses")
    )
    accrediting_body = models.ForeignKey(
        AccreditingBody, null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    credit_hours = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(Decimal("0.5"))]
    )
    curriculum_code = models.CharField(max_length=40, blank=True)
    passing_score = models.PositiveSmallIntegerField(
        _("passing score (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Leave empty to complete the course by completing its required lessons alone."),
    )
    score_policy = models.CharField(
        _("which attempt counts"), max_length=10, choices=ScorePolicy.choices, default=ScorePolicy.BEST
    )
    competencies = ParentalManyToManyField(
        "courses.Competency", blank=True, related_name="courses", verbose_name=_("competencies built")
    )
    co_trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_trained_courses",
        verbose_name=_("co-trainers"),
        help_text=_("Trainers who share this course with its owner: they read its results too."),
    )
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_("For courses that require recertification; leave empty for certificates that never expire."),
    )
    recertification_window_days = models.PositiveSmallIntegerField(
        _("recertification opens (days before expiry)"),
        default=30,
        validators=[MaxValueValidator(730)],
        help_text=_("How many days before a certificate expires the course reopens for its holder."),
    )
    refresher_course = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("refresher course"),
        help_text=_("Recertify by completing this course instead of the whole course again (any of its languages)."),
    )

    certificates_need_release = models.BooleanField(
        _("hold certificates until released"),
        default=False,
        help_text=_(
            "Completing the course queues the learner's certificate; a reviewer or the course's trainers "
            "release it after checking the results."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("audience"), FieldPanel("level"), FieldPanel("language")]),
        FieldPanel("estimated_hours"),
        FieldPanel("topics"),
        FieldPanel("prerequisites"),
        FieldPanel("competencies"),
        MultiFieldPanel(
            [FieldPanel("accrediting_body"), FieldPanel("credit_hours"), FieldPanel("curriculum_code")],
            heading=_("Accreditation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("passing_score"),
                FieldPanel("score_policy"),
                FieldPanel("certificate_valid_months"),
                FieldPanel("recertification_window_days"),
                FieldPanel("refresher_course"),
                FieldPanel("certificates_need_release"),
            ],
            heading=_("Completion and certificate"),
        ),
        # the course's owner (its creator) shares it; only administrators choose the co-trainers
        FieldPanel("co_trainers", permission="superuser"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("audience"),
        index.FilterField("language"),
    ]
    parent_page_types = ["courses.CataloguePage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    @property
    def is_accredited(self) -> bool:
        return self.accrediting_body_id is not None

    def clean(self):
        super().clean()
        if self.accrediting_body_id:
            errors = {}
            if not self.credit_hours:
                errors["credit_hours"] = _("An accredited course needs its credit hours.")
            if not self.curriculum_code:
                errors["curriculum_code"] = _("An accredited course needs its curriculum code.")
            if errors:
                raise ValidationError(errors)
        elif self.credit_hours:
            raise ValidationError({"credit_hours": _("Credit hours need an accrediting body.")})
        refresher = self.refresher_course
        if refresher is not None:
            if refresher.translation_key == self.translation_key:
                raise ValidationError({"refresher_course": _("A course cannot be its own refresher course.")})
            if not self.certificate_valid_months:
                raise ValidationError(
                    {"refresher_course": _("A refresher course needs certificates that expire: set their validity.")}
                )

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline, untranslated_lessons

        context = super().get_context(request, *args, **kwargs)
        context["modules"] = course_outline(course=self, user=request.user)
        context["untranslated_lessons"] = untranslated_lessons(course=self, user=request.user)
        context["completed_lessons"] = completed_lesson_ids(
            request, [lesson for module in context["modules"] for lesson in module.lessons]
        )
        return context


class ModulePage(CachedViewRestrictionsMixin, Page):
    summary = models.TextField(max_length=500, blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary")]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from .selectors import module_lessons

        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_parent().specific
        context["lessons"] = list(module_lessons(module=self, user=request.user))
        context["completed_lessons"] = completed_lesson_ids(request, context["lessons"])
        return context


class LessonPage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    summary = models.TextField(max_length=500, blank=True)
    required = models.BooleanField(
        default=True, help_text=_("Learners must complete required lessons to complete the course.")
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated duration (minutes)"), default=15, validators=[MinValueValidator(1)]
    )
    body = StreamField(LessonBodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("estimated_minutes")]),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_navigation

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_navigation(lesson=self, user=request.user))
        # The H5P player's loader is the only script a lesson may need; lessons without H5P skip it.
        context["has_h5p"] = any(block.get("type") == "h5p" for block in self.body.raw_data)
        context["activity_results"] = self.activity_results(request)
        context["h5p_state"] = self.h5p_state(request) if context["has_h5p"] else None
        return context

    def h5p_state(self, request) -> dict | None:
        """Where the visitor's H5P players keep their place and what to resume from, from whichever app
        keeps learning records (the ``lesson_h5p_state`` hook); None when nothing is kept."""
        from wagtail import hooks

        for hook in hooks.get_hooks("lesson_h5p_state"):
            state = hook(request=request, lesson=self)
            if state is not None:
                return state
        return None

    def activity_results(self, request) -> dict[str, dict]:
        """The visitor's results on this lesson's activities, by block id, from whichever app records
        learning: it answers the ``lesson_activity_results`` hook (courses imports none of those apps)."""
        from wagtail import hooks

        results: dict[str, dict] = {}
        for hook in hooks.get_hooks("lesson_activity_results"):
            results.update(hook(request=request, lesson=self) or {})
        return results

    @path("")
    def lesson(self, request):
        return self.render(request)

    @path("check/<str:block_id>/")
    def check_answer(self, request, block_id: str):
        """Mark a knowledge-check answer on the server and show the lesson again with the feedback."""
        from .services import KnowledgeCheckNotFound, mark_knowledge_check

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            feedback = mark_knowledge_check(lesson=self, block_id=block_id, choice=request.POST.get("choice"))
        except KnowledgeCheckNotFound as exc:
            if "application/json" in request.headers.get("Accept", ""):
                return JsonResponse({"code": "not_found", "message": str(exc)}, status=404)
            raise Http404(str(exc)) from exc
        if "application/json" in request.headers.get("Accept", ""):  # the offline outbox sends it again
            if feedback.error:
                return JsonResponse(
                    {"code": "invalid_answer", "message": feedback.error, "field": "choice"}, status=400
                )
            return JsonResponse({"correct": feedback.correct})
        context = self.get_context(request)
        context.update(feedback=feedback, feedback_block_id=block_id)
        status = 400 if feedback.error else 200
        return TemplateResponse(request, self.get_template(request), context, status=status)


# The H5P models live in their own module; importing them here registers them with the courses app.
# competency frameworks and programmes (courses/competencies/)
from .competencies.models import (  # noqa: E402, F401
    Competency,
    CompetencyFramework,
    Programme,
    ProgrammeCourse,
)
from .h5p.models import H5PActivity, H5PLibrary, H5PUpload  # noqa: E402, F401
from .scorm.models import ScormPackage  # noqa: E402, F401
