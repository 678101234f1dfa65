"""Forms of the profile page: name and language, a new email, a new mobile number, its code."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .phone import normalise_email, normalise_phone
from .reset_forms import CodeField


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)


class EmailChangeForm(forms.Form):
    email = forms.CharField(
        label=_("New email address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class PhoneChangeForm(forms.Form):
    phone = forms.CharField(
        label=_("New mobile number"),
        max_length=30,
        help_text=_("A Bangladeshi mobile number such as 01712345678. We send it a code to confirm it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if not phone:
            raise ValidationError(_("Enter a Bangladeshi mobile number such as 01712345678."), code="invalid")
        return phone


class PhoneCodeForm(forms.Form):
    code = CodeField()
