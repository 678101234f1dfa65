"""Wagtail's admin sign-in and password reset, held to the site's rules.

``/admin/login/`` counts failures and locks out like the learner's sign-in (``lockout``), with the
same message. ``/admin/password_reset/`` mails only people who may use the admin (learners reset
through the learner-side flow, ``reset``), and is limited per address and per email typed like the
learner's reset; over the limit it answers as usual and sends nothing."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.admin.forms.auth import LoginForm, PasswordResetForm

from . import lockout
from .reset import request_limit_wait


class AdminLoginForm(LoginForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            wait = lockout.locked_for(self.request, self.cleaned_data.get("username"))
            if wait:
                raise ValidationError(lockout.lockout_message(wait), code="locked") from None
            raise


class StaffPasswordResetForm(PasswordResetForm):
    request = None

    def get_users(self, email):
        admin_access = (
            Q(is_superuser=True)
            | Q(is_staff=True)
            | Q(user_permissions__codename="access_admin")
            | Q(groups__permissions__codename="access_admin")
        )
        return [
            user
            for user in super().get_users(email)
            if type(user)._default_manager.filter(admin_access, pk=user.pk).exists()
        ]

    def save(self, *args, request=None, **kwargs):
        if request is not None and request_limit_wait(request, self.cleaned_data["email"].lower()):
            return None
        return super().save(*args, request=request, **kwargs)
