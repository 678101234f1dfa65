"""Wagtail hooks: learning records from the course pages (courses itself knows nothing of lms), and the
learning reports in the admin's Reports menu."""

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.models import CoursePage, LessonPage
from courses.services import KnowledgeCheckNotFound, mark_knowledge_check

from .selectors import administered_organisations, trainer_courses
from .services import record_knowledge_check_answer, record_lesson_visit
from .templatetags.learner_progress import course_progress, lesson_progress


def _routed_view(serve_args: tuple) -> tuple[str, dict]:
    """The name and keyword arguments of the lesson's sub-route Wagtail is about to serve."""
    if len(serve_args) == 3 and callable(serve_args[0]):
        view, _args, kwargs = serve_args
        return getattr(view, "__name__", ""), kwargs or {}
    return "", {}


@hooks.register("before_serve_page")
def record_lesson_learning(page, request: HttpRequest, serve_args, serve_kwargs):
    """Record a visit when an enrolled learner opens a lesson, and an activity result when they check
    a knowledge-check answer. The lesson still renders as it would for anyone else."""
    if not isinstance(page, LessonPage) or not request.user.is_authenticated:
        return None
    view_name, kwargs = _routed_view(serve_args)
    if request.method == "GET" and view_name in {"", "lesson"}:
        record_lesson_visit(user=request.user, lesson=page)
    elif request.method == "POST" and view_name == "check_answer":
        try:
            feedback = mark_knowledge_check(
                lesson=page, block_id=kwargs.get("block_id", ""), choice=request.POST.get("choice")
            )
        except KnowledgeCheckNotFound:
            return None
        if not feedback.error:
            record_knowledge_check_answer(
                user=request.user, lesson=page, block_id=kwargs["block_id"], correct=feedback.correct
            )
    return None


@hooks.register("learning_panel")
def learner_progress_panel(*, context, page) -> str:
    """The learner's progress box on a course page (or the enrol button, or the missing prerequisites)
    and "Mark as complete" on a lesson page, for courses' ``{% learning_panel page %}``."""
    request = context.get("request")
    if isinstance(page, CoursePage):
        return render_to_string("lms/includes/course_progress.html", course_progress(context, page), request=request)
    if isinstance(page, LessonPage):
        return render_to_string("lms/includes/lesson_progress.html", lesson_progress(context, page), request=request)
    return ""


class OrganisationReportsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return administered_organisations(user=request.user).exists()


class CourseResultsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return trainer_courses(user=request.user).exists()


@hooks.register("register_admin_urls")
def register_learning_report_urls():
    return [path("learning/", include("lms.admin_urls", namespace="lms_admin"))]


@hooks.register("register_reports_menu_item")
def register_organisation_reports_menu_item():
    return OrganisationReportsMenuItem(
        _("Organisation progress"), reverse("lms_admin:organisation_index"), icon_name="group", order=900
    )


@hooks.register("register_reports_menu_item")
def register_course_results_menu_item():
    return CourseResultsMenuItem(_("Course results"), reverse("lms_admin:course_index"), icon_name="tasks", order=910)


@hooks.register("lesson_activity_results")
def learner_activity_results(*, request: HttpRequest, lesson) -> dict[str, dict]:
    """The counting score of each activity of the lesson the signed-in learner has answered (one query),
    so an H5P block shows a returning learner their result."""
    from .models import ActivityScore

    if not request.user.is_authenticated:
        return {}
    scores = ActivityScore.objects.filter(enrolment__user=request.user, lesson=lesson).values_list(
        "block_id", "score_scaled", "success", "attempts"
    )
    return {
        block_id: {
            "score_percent": round(scaled * 100) if scaled is not None else None,
            "success": success,
            "attempts": attempts,
        }
        for block_id, scaled, success, attempts in scores
    }


@hooks.register("insert_global_admin_css")
def admin_fonts_for_bengali_and_dzongkha():
    """Trainers write Bengali (and Dzongkha) in the admin: draw it with the site's fonts, not boxes."""
    return format_html('<link rel="stylesheet" href="{}">', static("lms/admin-fonts.css"))


@hooks.register("lesson_h5p_state")
def learner_h5p_state(*, request: HttpRequest, lesson) -> dict | None:
    """Where an enrolled learner's H5P players keep their place, and the states to preload (one query
    for the whole lesson). None for visitors and learners not enrolled: their players keep nothing."""
    from .selectors import lesson_h5p_states

    states = lesson_h5p_states(user=request.user, lesson=lesson)
    if states is None:
        return None

    def url_for(*, block_id: str, content_id: str) -> str:
        # the H5P core fills in :dataType and :subContentId itself
        kwargs = {"data_type": ":dataType", "sub_content_id": ":subContentId"}
        return reverse(
            "lms:h5p_state", kwargs={"lesson_id": lesson.pk, "block_id": block_id, "content_id": content_id, **kwargs}
        )

    # the core saves a changed state this often; the loader also saves when the page is hidden or left
    return {"states": states, "url_for": url_for, "save_every": settings.H5P_STATE_SAVE_SECONDS}
