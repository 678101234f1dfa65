"""The profile page and its confirmations: name and language, email, mobile number, password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from . import profile as profiles
from .profile_forms import EmailChangeForm, PhoneChangeForm, PhoneCodeForm, ProfileForm
from .reset import request_limit_wait
from .views import sign_in_first

PENDING_PHONE = "lms_pending_phone"


def _page(request: HttpRequest, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    profile = profiles.profile_of(user)
    context = {
        "profile": profile,
        "profile_form": ProfileForm(
            initial={
                "full_name": user.get_full_name(),
                "preferred_language": profile.preferred_language or request.LANGUAGE_CODE,
            }
        ),
        "email_form": EmailChangeForm(),
        "phone_form": PhoneChangeForm(),
        "password_form": PasswordChangeForm(user),
        "pending_phone": request.session.get(PENDING_PHONE),
        **forms,
    }
    return render(request, "lms/profile.html", context, status=status)


def _limited(request: HttpRequest, form, field: str, destination: str) -> bool:
    wait = request_limit_wait(request, destination)
    if wait:
        form.add_error(field, _("Too many requests. Try again in %(minutes)d minutes.") % {"minutes": -(-wait // 60)})
    return bool(wait)


def profile_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return sign_in_first(request)
    if request.method != "POST":
        return _page(request)
    form = ProfileForm(request.POST)
    if not form.is_valid():
        return _page(request, 400, profile_form=form)
    language = form.cleaned_data["preferred_language"]
    profiles.update_profile(user=request.user, full_name=form.cleaned_data["full_name"], preferred_language=language)
    with override(language):
        messages.success(request, _("Your profile is saved."))
        response = redirect(reverse("learner:profile"))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@require_POST
def email_change_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return sign_in_first(request)
    form = EmailChangeForm(request.POST)
    if form.is_valid() and not _limited(request, form, "email", form.cleaned_data["email"]):
        try:
            profiles.send_email_confirmation(request=request, user=request.user, email=form.cleaned_data["email"])
        except profiles.AlreadyTaken:
            form.add_error("email", _("Another account uses this email address."))
        else:
            messages.info(
                request,
                _("We sent a link to %(email)s. Open it to make it your email address.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("learner:profile")
    return _page(request, 400, email_form=form)


def email_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link, opened while signed in: a button, so a mail scanner's GET changes nothing."""
    if not request.user.is_authenticated:
        return sign_in_first(request)
    if request.method == "POST":
        try:
            email = profiles.confirm_email(user=request.user, token=token)
        except profiles.AlreadyTaken:
            messages.error(request, _("Another account uses this email address."))
            return redirect("learner:profile")
        if email is None:
            messages.error(request, _("This link is not valid any more. Ask for a new one from your profile."))
        else:
            messages.success(request, _("Your email address is now %(email)s.") % {"email": email})
        return redirect("learner:profile")
    return render(request, "lms/confirm_email.html", {"token": token})


@require_POST
def phone_change_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return sign_in_first(request)
    form = PhoneChangeForm(request.POST)
    if form.is_valid() and not _limited(request, form, "phone", form.cleaned_data["phone"]):
        try:
            profiles.send_phone_confirmation(user=request.user, phone=form.cleaned_data["phone"])
        except profiles.AlreadyTaken:
            form.add_error("phone", _("Another account uses this mobile number."))
        else:
            request.session[PENDING_PHONE] = form.cleaned_data["phone"]
            return redirect("learner:confirm_phone")
    return _page(request, 400, phone_form=form)


def phone_confirm_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return sign_in_first(request)
    phone = request.session.get(PENDING_PHONE)
    if not phone:
        return redirect("learner:profile")
    form = PhoneCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = profiles.confirm_phone(user=request.user, phone=phone, code=form.cleaned_data["code"])
        except profiles.AlreadyTaken:
            request.session.pop(PENDING_PHONE, None)
            messages.error(request, _("Another account uses this mobile number."))
            return redirect("learner:profile")
        if confirmed:
            request.session.pop(PENDING_PHONE, None)
            messages.success(request, _("Your mobile number is now %(phone)s.") % {"phone": phone})
            return redirect("learner:profile")
        form.add_error("code", _("That code is wrong, has expired or was used already. Ask for a new code."))
    status = 400 if form.errors else 200
    return render(request, "lms/confirm_phone.html", {"form": form, "phone": phone}, status=status)


@require_POST
def password_change_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return sign_in_first(request)
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, 400, password_form=form)
    form.save()
    update_session_auth_hash(request, form.user)
    messages.success(request, _("Your password is changed."))
    return redirect("learner:profile")
