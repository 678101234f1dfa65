"""The password reset pages: ask for a link or code, enter the code, or follow the emailed link."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from . import lockout
from .phone import is_phone
from .reset import request_limit_wait, reset_by_code, send_reset
from .reset_forms import ResetByCodeForm, ResetRequestForm

RESET_PHONE = "lms_reset_phone"


def too_many(request: HttpRequest, template: str, context: dict, wait: int) -> HttpResponse:
    minutes = lockout.minutes(wait)
    context["error"] = _("Too many requests. Try again in %(minutes)d minutes.") % {"minutes": minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


def reset_request_view(request: HttpRequest) -> HttpResponse:
    """The same answer for every name typed: an account's or not, an email gets a link, a number a code."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["email_or_phone"]
        wait = request_limit_wait(request, name)
        if wait:
            return too_many(request, "lms/password_reset.html", {"form": form}, wait)
        send_reset(request=request, sign_in_name=name)
        if is_phone(name):
            request.session[RESET_PHONE] = name
            return redirect("learner:reset_code")
        return redirect("learner:reset_sent")
    return render(request, "lms/password_reset.html", {"form": form})


def reset_sent_view(request: HttpRequest) -> HttpResponse:
    return render(request, "lms/password_reset_sent.html")


def reset_code_view(request: HttpRequest) -> HttpResponse:
    """A code and a new password. Wrong, expired and used codes get the same answer; a few wrong codes
    end the code, and guesses from one address count towards its reset limit."""
    form = ResetByCodeForm(request.POST or None, initial={"phone": request.session.get(RESET_PHONE, "")})
    context = {"form": form, "phone_known": bool(request.session.get(RESET_PHONE))}
    if request.method == "POST" and form.is_valid():
        wait = lockout.locked_for(request, None)
        if wait:
            return too_many(request, "lms/password_reset_code.html", context, wait)
        user = reset_by_code(
            phone=form.cleaned_data["phone"],
            code=form.cleaned_data["code"],
            password=form.cleaned_data["new_password1"],
        )
        if user is None:
            lockout.record_failure(request, None)
            form.add_error("code", _("That code is wrong, has expired or was used already. Ask for a new code."))
        else:
            request.session.pop(RESET_PHONE, None)
            messages.success(request, _("Your password is changed. Sign in with the new one."))
            return redirect("learner:sign_in")
    return render(request, "lms/password_reset_code.html", context, status=400 if form.errors else 200)


class ResetLinkView(auth_views.PasswordResetConfirmView):
    """Django's own check of the emailed link (single use: the token dies with the old password)."""

    template_name = "lms/password_reset_link.html"
    success_url = reverse_lazy("learner:sign_in")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        lockout.clear_account(form.user.get_username())
        messages.success(self.request, _("Your password is changed. Sign in with the new one."))
        return response

    def get_success_url(self):
        return reverse("learner:sign_in")
