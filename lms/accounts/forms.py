"""Forms of the learner's account pages: sign up, sign in, erasure (the sign-in name's rule is in ``phone``)."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .phone import normalise_sign_in_name

__all__ = ["ErasureForm", "SignInForm", "SignUpForm", "normalise_sign_in_name"]


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
    shared_computer = forms.BooleanField(
        label=_("This is a shared computer"),
        required=False,
        help_text=_("You are signed out when the browser closes or after 15 minutes without activity."),
    )


class ErasureForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
