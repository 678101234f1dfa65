"""Forms of the learner pages and the organisation admin views."""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage

BANGLADESH_MOBILE = re.compile(r"^(?:\+?880|0)?(1[3-9]\d{8})$")


def normalise_sign_in_name(value: str) -> str:
    """An email (lower-cased) or a Bangladeshi mobile number as +8801XXXXXXXXX; used as the username
    so that either can be typed at sign-in with Django's own authentication."""
    value = (value or "").strip()
    digits = re.sub(r"[\s\-()]", "", value)
    match = BANGLADESH_MOBILE.match(digits)
    if match:
        return f"+880{match[1]}"
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("Enter an email address or a Bangladeshi mobile number such as 01712345678."), code="invalid"
        ) from None
    if len(value) > 150:
        raise ValidationError(_("This email address is too long."), code="max_length")
    return value.lower()


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email_or_phone = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        help_text=_("You will use it to sign in."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only numbers, not a common password."),
    )

    def clean_email_or_phone(self) -> str:
        name = normalise_sign_in_name(self.cleaned_data["email_or_phone"])
        taken = Q(username__iexact=name) | (Q(email__iexact=name) if "@" in name else Q(learner_profile__phone=name))
        if get_user_model().objects.filter(taken).exists():
            raise ValidationError(_("An account with this email or number exists already. Sign in instead."))
        return name

    def clean(self):
        cleaned = super().clean()
        if "email_or_phone" in cleaned and "password" in cleaned:
            user = get_user_model()(username=cleaned["email_or_phone"], first_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(cleaned["password"], user)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class SignInForm(forms.Form):
    email_or_phone = forms.CharField(
        label=_("Email or mobile number"), max_length=254, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class EnrolmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with the columns email, course and, optionally, due_date (YYYY-MM-DD)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB; split it into smaller files."))
        return upload


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.live().order_by("title"))
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class CourseChoiceField(forms.ModelChoiceField):
    """Offers the published courses but accepts the id of any course, so that a course unpublished
    while the form was open is refused by the enrolment service, with its reason, not as "invalid"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return CoursePage.objects.get(pk=int(value))
        except (TypeError, ValueError, CoursePage.DoesNotExist):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class MemberEnrolmentForm(forms.Form):
    member = forms.CharField(
        label=_("Member"),
        max_length=254,
        help_text=_("Their email, username or mobile number, as they sign in."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )
    course = CourseChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.live().order_by("title"),
        error_messages={"invalid_choice": _("No course has this id; choose one from the list.")},
    )
    due_on = forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the due date as a date written YYYY-MM-DD.")},
    )

    def clean_member(self) -> str:
        """A mobile number is looked up as stored (+8801…), an email in lower case, anything else as
        typed (a username)."""
        typed = self.cleaned_data["member"].strip()
        try:
            return normalise_sign_in_name(typed)
        except ValidationError:
            return typed


class ErasureForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
