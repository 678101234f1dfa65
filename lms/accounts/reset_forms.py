"""Forms of the password reset: asking for a link or code, and setting a new password with a code."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .codes import CODE_DIGITS, normalise_code
from .phone import normalise_phone, normalise_sign_in_name


class ResetRequestForm(forms.Form):
    email_or_phone = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        help_text=_("The one you sign in with. We send a link to an email address, or a code to a mobile number."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    def clean_email_or_phone(self) -> str:
        return normalise_sign_in_name(self.cleaned_data["email_or_phone"])


class CodeField(forms.CharField):
    """Six digits, in ASCII, Bengali or Tibetan digits, spaces allowed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = normalise_code(super().clean(value))
        if len(value) != CODE_DIGITS:
            raise ValidationError(_("Enter the six-digit code from the message."), code="invalid")
        return value


class NewPasswordMixin:
    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first)
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return cleaned


def new_password_fields():
    return (
        forms.CharField(
            label=_("New password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_("At least 8 characters, not only numbers, not a common password."),
        ),
        forms.CharField(
            label=_("New password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class ResetByCodeForm(NewPasswordMixin, forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    code = CodeField()
    new_password1, new_password2 = new_password_fields()

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if not phone:
            raise ValidationError(_("Enter a Bangladeshi mobile number such as 01712345678."), code="invalid")
        return phone
