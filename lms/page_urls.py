"""The learner's pages, under the language prefix (``learner:`` names)."""

from django.urls import path

from .accounts import profile_views, reset_views
from .accounts import views as accounts_views
from .enrolment import views as enrolment_views
from .notices import views as notices_views
from .progress import views as progress_views

app_name = "learner"

urlpatterns = [
    path("", enrolment_views.dashboard, name="dashboard"),
    path("join/", accounts_views.sign_up_view, name="sign_up"),
    path("sign-in/", accounts_views.sign_in_view, name="sign_in"),
    path("sign-out/", accounts_views.sign_out_view, name="sign_out"),
    path("courses/<int:course_id>/enrol/", enrolment_views.enrol_view, name="enrol"),
    path("lessons/<int:lesson_id>/complete/", progress_views.complete_lesson_view, name="complete_lesson"),
    path("notices/", notices_views.notices_view, name="notices"),
    path("privacy/", accounts_views.privacy_view, name="privacy"),
    # accounts: password reset (email link or SMS code) and the profile
    path("password-reset/", reset_views.reset_request_view, name="reset"),
    path("password-reset/sent/", reset_views.reset_sent_view, name="reset_sent"),
    path("password-reset/code/", reset_views.reset_code_view, name="reset_code"),
    path("password-reset/<uidb64>/<token>/", reset_views.ResetLinkView.as_view(), name="reset_link"),
    path("profile/", profile_views.profile_view, name="profile"),
    path("profile/email/", profile_views.email_change_view, name="change_email"),
    path("profile/email/<str:token>/", profile_views.email_confirm_view, name="confirm_email"),
    path("profile/phone/", profile_views.phone_change_view, name="change_phone"),
    path("profile/phone/confirm/", profile_views.phone_confirm_view, name="confirm_phone"),
    path("profile/password/", profile_views.password_change_view, name="change_password"),
    path("privacy/my-data.json", accounts_views.data_export_view, name="data_export"),
]
