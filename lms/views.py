"""Thin HTTP views over the services: the statement endpoint and the learner's own pages."""

import json

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import CoursePage, LessonPage

from .forms import ErasureForm, SignInForm, SignUpForm, normalise_sign_in_name
from .selectors import credit_hours_by_year, h5p_state_data, learner_enrolments
from .services import (
    EnrolmentRefused,
    H5PStateKey,
    LearningError,
    complete_lesson,
    enrol,
    erase_learner,
    learner_data,
    record_statement,
    save_h5p_state,
    sign_up,
)

MAX_STATEMENTS_PER_POST = 100


def _error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "field": field}, status=status)


@require_POST
def statements(request: HttpRequest) -> JsonResponse:
    """Store one xAPI statement or a list of them, all or none; the actor must be the signed-in learner."""
    if not request.user.is_authenticated:
        return _error(403, "not_signed_in", _("Sign in to record your learning."))
    try:
        body = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, "invalid_json", _("The body must be JSON: one statement or a list of statements."))
    many = isinstance(body, list)
    items = body if many else [body]
    if not items or len(items) > MAX_STATEMENTS_PER_POST:
        return _error(
            400,
            "invalid_batch",
            _("Send between 1 and %(count)d statements at once.") % {"count": MAX_STATEMENTS_PER_POST},
        )
    try:
        with transaction.atomic():
            stored = [record_statement(user=request.user, statement=item) for item in items]
    except LearningError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    created = any(is_new for _statement, is_new in stored)
    ids = [str(statement.statement_id) for statement, _is_new in stored]
    payload = {"ids": ids, "created": created} if many else {"id": ids[0], "created": created}
    return JsonResponse(payload, status=201 if created else 200)


@require_http_methods(["GET", "POST"])
def h5p_state(
    request: HttpRequest, lesson_id: int, block_id: str, content_id: str, data_type: str, sub_content_id: str
) -> JsonResponse:
    """The H5P core's "content user data" endpoint for the signed-in learner's own saved state.

    GET answers ``{"success": true, "data": <JSON text or false>}``; POST takes the core's form fields
    ``data`` (a JSON text, or "0" to delete), ``preload`` and ``invalidate``. Refusals carry
    ``success: false`` for the core and the project's ``code``/``message``/``field``."""
    if not request.user.is_authenticated:
        return _state_error(403, "not_signed_in", _("Sign in to keep your place in activities."))
    key = H5PStateKey(
        lesson_id=lesson_id,
        block_id=block_id,
        content_id=content_id,
        data_type=data_type,
        sub_content_id=sub_content_id,
    )
    try:
        if request.method == "GET":
            data = h5p_state_data(user=request.user, key=key)
            return JsonResponse({"success": True, "data": data if data is not None else False})
        if "data" not in request.POST:
            return _state_error(400, "missing_data", _("Send the state as the form field “data”."), "data")
        save_h5p_state(
            user=request.user,
            key=key,
            data=request.POST["data"],
            preload=request.POST.get("preload", "1") == "1",
            invalidate=request.POST.get("invalidate", "1") == "1",
        )
    except LearningError as exc:
        return JsonResponse({"success": False, **exc.as_dict()}, status=exc.status)
    return JsonResponse({"success": True})


def _state_error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"success": False, "code": code, "message": message, "field": field}, status=status)


# --- learner pages -----------------------------------------------------------------------------


def _sign_in_first(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), login_url=reverse("learner:sign_in"))


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def sign_up_view(request: HttpRequest) -> HttpResponse:
    """Name, email or mobile number, password: then straight in, signed in as the new learner."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = sign_up(
            full_name=form.cleaned_data["full_name"],
            sign_in_name=form.cleaned_data["email_or_phone"],
            password=form.cleaned_data["password"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(_safe_next(request, reverse("learner:dashboard")))
    return render(request, "lms/sign_up.html", {"form": form, "next": _safe_next(request, "")})


def sign_in_view(request: HttpRequest) -> HttpResponse:
    """Sign in with an email or mobile number. Signing in replaces whoever used this browser before,
    which is how a Digital Centre operator hands the shared computer from one citizen to the next."""
    form = SignInForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            name = normalise_sign_in_name(form.cleaned_data["email_or_phone"])
        except ValidationError:
            name = form.cleaned_data["email_or_phone"]
        user = authenticate(request, username=name, password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            return redirect(_safe_next(request, reverse("learner:dashboard")))
        error = _("That email or number and password do not match an account.")
    return render(request, "lms/sign_in.html", {"form": form, "error": error, "next": _safe_next(request, "")})


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out. The next person can sign in now."))
    return redirect(reverse("learner:sign_in"))


def dashboard(request: HttpRequest) -> HttpResponse:
    """My learning: assigned and enrolled courses with progress, due dates and where to continue."""
    if not request.user.is_authenticated:
        return _sign_in_first(request)
    return render(
        request,
        "lms/dashboard.html",
        {
            "enrolments": list(learner_enrolments(user=request.user)),
            "credits": credit_hours_by_year(user=request.user),
            "today": timezone.localdate(),
        },
    )


@require_POST
def enrol_view(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request=request), login_url=reverse("learner:sign_up"))
    try:
        enrol(user=request.user, course=course)
    except EnrolmentRefused as exc:
        messages.error(request, exc.message)
        return redirect(course.get_url(request=request))
    messages.success(request, _("You are enrolled. Start with the first lesson."))
    first = LessonPage.objects.live().public().filter(path__startswith=course.path).order_by("path").first()
    return redirect((first or course).get_url(request=request))


@require_POST
def complete_lesson_view(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    if not request.user.is_authenticated:
        return _sign_in_first(request)
    try:
        enrolment = complete_lesson(user=request.user, lesson=lesson)
    except LearningError as exc:
        messages.error(request, exc.message)
        return redirect(lesson.get_url(request=request))
    if enrolment.is_completed:
        messages.success(request, _("Lesson complete. You have completed the course!"))
    else:
        messages.success(request, _("Lesson complete."))
    following = (
        LessonPage.objects.live()
        .public()
        .filter(path__startswith=enrolment.course.path, path__gt=lesson.path)
        .order_by("path")
        .first()
    )
    return redirect((following or lesson).get_url(request=request))


def privacy_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _sign_in_first(request)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            erase_learner(user=request.user)
            logout(request)
            messages.info(request, _("Your account and personal data have been erased."))
            return redirect("/")
        form.add_error("password", _("That is not your password."))
    return render(request, "lms/privacy.html", {"form": form})


def data_export_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _sign_in_first(request)
    response = JsonResponse(learner_data(user=request.user), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="my-learning-data.json"'
    return response
