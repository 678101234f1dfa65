"""Forms of the organisation admin views: assign a course, enrol one member, enrol from a CSV."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from courses.selectors import course_choices

from ..accounts.forms import normalise_sign_in_name


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


class CourseChoiceField(forms.ChoiceField):
    """Lists each live course once (by its source copy), in the admin's language with its other
    languages shown, and accepts the id of any course (any language's copy), so that a course
    unpublished while the form was open is refused by the enrolment rule with its reason, not as
    "invalid"."""

    def __init__(self, **kwargs):
        super().__init__(choices=self._choices, **kwargs)

    @staticmethod
    def _choices():
        return [("", "---------")] + [
            (choice.course_id, choice.label) for choice in course_choices(language=get_language() or "en")
        ]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return CoursePage.objects.get(pk=int(value))
        except (TypeError, ValueError, OverflowError, CoursePage.DoesNotExist):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class AssignmentForm(forms.Form):
    course = CourseChoiceField(
        label=_("Course"), error_messages={"invalid_choice": _("No course has this id; choose one from the list.")}
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class MemberEnrolmentForm(forms.Form):
    member = forms.CharField(
        label=_("Member"),
        max_length=254,
        help_text=_("Their email, username or mobile number, as they sign in."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )
    course = CourseChoiceField(
        label=_("Course"), error_messages={"invalid_choice": _("No course has this id; choose one from the list.")}
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
