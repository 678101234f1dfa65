"""The learner's account pages: sign up, sign in, sign out, privacy (data export and erasure)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..services import (
    erase_learner,
    learner_data,
    sign_up,
)
from ..sso.oidc_views import provider_sign_out_url
from . import lockout
from .forms import ErasureForm, SignInForm, SignUpForm, normalise_sign_in_name
from .shared import is_shared_device, operated_centre, remember_device, start_shared_session

# Passwords are checked by the lockout backend; the session says so (there are several backends).
SIGN_IN_BACKEND = "lms.accounts.lockout.LockoutBackend"


def sign_in_first(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), login_url=reverse("learner:sign_in"))


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def landing(request: HttpRequest, user) -> str:
    """Where a learner lands after signing in: ``next``, else My learning in their preferred language."""
    profile = getattr(user, "learner_profile", None)
    language = getattr(profile, "preferred_language", "") or get_language()
    with override(language):
        return safe_next(request, reverse("learner:dashboard"))


def sign_up_view(request: HttpRequest) -> HttpResponse:
    """Name, email or mobile number, password: then straight in, signed in as the new learner. When a
    Digital Centre's operator is signed in, the new account is registered at their centre and starts
    in a shared-computer session (the operator hands the computer over to the citizen)."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        centre = operated_centre(request.user)
        user = sign_up(
            full_name=form.cleaned_data["full_name"],
            sign_in_name=form.cleaned_data["email_or_phone"],
            password=form.cleaned_data["password"],
            registered_at=centre,
        )
        shared = centre is not None or is_shared_device(request) or request.session.get("lms_shared_computer", False)
        login(request, user, backend=SIGN_IN_BACKEND)
        if shared:
            start_shared_session(request)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(safe_next(request, reverse("learner:dashboard")))
    status = 400 if request.method == "POST" else 200  # a refused form is a client error, not a success
    return render(request, "lms/sign_up.html", {"form": form, "next": safe_next(request, "")}, status=status)


def shared_sign_in(request: HttpRequest, form: SignInForm, user) -> bool:
    """Shared when the box is ticked; for an operator always; and for an account an operator registered
    at a Digital Centre unless its person unticked a box shown ticked (``shared_computer_shown``)."""
    if form.cleaned_data["shared_computer"] or operated_centre(user) is not None:
        return True
    profile = getattr(user, "learner_profile", None)
    registered_at_centre = profile is not None and profile.registered_at_id is not None
    return registered_at_centre and request.POST.get("shared_computer_shown") != "1"


def sign_in_view(request: HttpRequest) -> HttpResponse:
    """Sign in with an email or mobile number. Signing in replaces whoever used this browser before,
    which is how a Digital Centre operator hands the shared computer from one citizen to the next.
    Failed attempts are counted per account and per address (``lockout``); a locked sign-in says how
    long to wait and offers the password reset."""
    form = SignInForm(request.POST or None, initial={"shared_computer": is_shared_device(request)})
    error = ""
    locked = False
    if request.method == "POST" and form.is_valid():
        try:
            name = normalise_sign_in_name(form.cleaned_data["email_or_phone"])
        except ValidationError:
            name = form.cleaned_data["email_or_phone"]
        user = authenticate(request, username=name, password=form.cleaned_data["password"])
        if user is not None:
            login(request, user, backend=SIGN_IN_BACKEND)
            profile = getattr(user, "learner_profile", None)
            if shared_sign_in(request, form, user):
                start_shared_session(request)
            response = remember_device(request, redirect(landing(request, user)))
            if profile is not None and profile.preferred_language:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, profile.preferred_language, samesite="Lax")
            return response
        wait = lockout.locked_for(request, name)
        locked = bool(wait)
        error = (
            lockout.lockout_message(wait) if wait else _("That email or number and password do not match an account.")
        )
    status = 429 if locked else 200
    context = {"form": form, "error": error, "locked": locked, "next": safe_next(request, "")}
    return render(request, "lms/sign_in.html", context, status=status)


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    provider_sign_out = provider_sign_out_url(request)  # integrations: read before the session goes
    logout(request)
    messages.info(request, _("You are signed out. The next person can sign in now."))
    return redirect(provider_sign_out or reverse("learner:sign_in"))


def privacy_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return sign_in_first(request)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            erase_learner(user=request.user)
            logout(request)
            messages.info(request, _("Your account and personal data have been erased."))
            return redirect("/")
        form.add_error("password", _("That is not your password."))
    return render(request, "lms/privacy.html", {"form": form}, status=400 if request.method == "POST" else 200)


def data_export_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return sign_in_first(request)
    response = JsonResponse(learner_data(user=request.user), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="my-learning-data.json"'
    return response
