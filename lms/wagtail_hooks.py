"""Wagtail hooks: learning records from the course pages (courses itself knows nothing of lms), and the
learning reports in the admin's Reports menu."""

import uuid

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from courses.models import CoursePage, LessonPage
from courses.services import KnowledgeCheckNotFound, mark_knowledge_check

from .conf import lms_settings
from .organisations.selectors import administered_organisations
from .progress.lessons import record_knowledge_check_answer, record_lesson_visit
from .reports.selectors import trainer_courses
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
        if request.headers.get("X-Learning-Offline-Save"):  # "Save for offline" fetching it is no visit
            return None
        record_lesson_visit(user=request.user, lesson=page, request=request)
    elif request.method == "POST" and view_name == "check_answer":
        try:
            feedback = mark_knowledge_check(
                lesson=page, block_id=kwargs.get("block_id", ""), choice=request.POST.get("choice")
            )
        except KnowledgeCheckNotFound:
            return None
        if not feedback.error:
            record_knowledge_check_answer(
                user=request.user,
                lesson=page,
                block_id=kwargs["block_id"],
                correct=feedback.correct,
                choice=feedback.chosen,
                event_id=client_event_id(request.POST.get("event_id")),
            )
    return None


def client_event_id(value: str | None) -> str | None:
    """The answer's own id, generated on the learner's device (the offline outbox sends one), so the
    same answer sent twice is recorded once; anything but a UUID is ignored and a new id is made."""
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None


@hooks.register("insert_global_admin_css")
def learning_report_styles():
    """The reports' tables scroll inside their box on a phone instead of widening the admin."""
    return format_html('<link rel="stylesheet" href="{}">', static("lms/admin-reports.css"))


@hooks.register("site_account_links")
def learner_account_links(*, request: HttpRequest) -> list[tuple[int, str, str]]:
    """My learning and Sign out for a signed-in learner, Sign in for a visitor (the header of every page)."""
    if request.user.is_authenticated:
        return [
            (10, _("My learning"), reverse("learner:dashboard")),
            (30, _("Notices"), reverse("learner:notices")),
            (40, _("Profile"), reverse("learner:profile")),
            (90, _("Sign out"), reverse("learner:sign_out"), "post"),
        ]
    return [(10, _("Sign in"), reverse("learner:sign_in"))]


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
    """The counting score of each activity of the lesson the signed-in learner has answered (one query
    for the scores), by the page's own block ids: a result recorded in another language's copy of the
    lesson shows on this one too, so an H5P block shows a returning learner their result."""
    from courses.identity import lesson_identity

    from .models import ActivityResult, ActivityScore

    if not request.user.is_authenticated:
        return {}
    identity = lesson_identity(lesson)
    scores = ActivityScore.objects.filter(enrolment__user=request.user, lesson_id=identity.source_id).values_list(
        "block_id", "score_scaled", "success", "attempts"
    )
    by_source = {
        block_id: {
            "score_percent": round(scaled * 100) if scaled is not None else None,
            "success": success,
            "attempts": attempts,
        }
        for block_id, scaled, success, attempts in scores
    }
    if by_source:  # the last answer of each activity, so a revisited knowledge check shows it
        latest = (
            ActivityResult.objects.filter(enrolment__user=request.user, lesson_id=identity.source_id)
            .exclude(response="")
            .order_by("-recorded_at", "-pk")
            .values_list("block_id", "response", "success")[:200]
        )
        for block_id, response, success in latest:
            if block_id in by_source and "last_response" not in by_source[block_id]:
                by_source[block_id].update(last_response=response, last_success=success)
    return {
        block_id: by_source[source_block]
        for block_id, source_block in identity.activities.items()
        if source_block in by_source
    }


@hooks.register("completed_lessons")
def learner_completed_lessons(*, request: HttpRequest, lessons) -> set[int]:
    """Which of these lessons (one course's, in any language's copy) the signed-in learner has
    completed, in any language: two queries (the enrolment, its completed lessons) and the cached
    structure, for the ticks of a course outline or a module page."""
    from .models import Enrolment
    from .progress.selectors import completed_lessons
    from .progress.structure import structure_for_lesson

    lessons = list(lessons)
    if not request.user.is_authenticated or not lessons:
        return set()
    structure = structure_for_lesson(lessons[0])
    if structure is None:
        return set()
    enrolment = Enrolment.objects.filter(user=request.user, course_id=structure.course_id).first()
    if enrolment is None:
        return set()
    done = completed_lessons(enrolment=enrolment)
    return {lesson.pk for lesson in lessons if structure.lesson_sources.get(lesson.pk) in done}


@hooks.register("lesson_h5p_state")
def learner_h5p_state(*, request: HttpRequest, lesson) -> dict | None:
    """Where an enrolled learner's H5P players keep their place, and the states to preload (one query
    for the whole lesson). None for visitors and learners not enrolled: their players keep nothing."""
    from .h5p_state.selectors import lesson_h5p_states

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
    return {"states": states, "url_for": url_for, "save_every": lms_settings.H5P_STATE_SAVE_SECONDS}


class OrganisationsPanel(Component):
    """The Wagtail dashboard of an organisation admin: their units' reports and tools, first; and, for
    an admin who can use no page, no "search all pages" form that would only refuse them."""

    name = "organisations"
    order = 50
    template_name = "lms/admin/dashboard_panel.html"

    def __init__(self, *, units, hide_page_search: bool):
        self.units = units
        self.hide_page_search = hide_page_search

    def get_context_data(self, parent_context=None):
        return {"units": self.units, "hide_page_search": self.hide_page_search}


@hooks.register("construct_homepage_panels")
def organisation_dashboard(request, panels):
    units = list(administered_organisations(user=request.user).order_by("path")[:20])
    if not units:
        return
    from wagtail.admin.auth import user_has_any_page_permission

    panels.append(OrganisationsPanel(units=units, hide_page_search=not user_has_any_page_permission(request.user)))
