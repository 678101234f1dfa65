"""Single sign-on endpoints, outside the language prefix: the provider knows one callback URL."""

from django.urls import path

from . import oidc_views

app_name = "sso"

urlpatterns = [
    path("oidc/start/", oidc_views.StartView.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc_views.CallbackView.as_view(), name="oidc_callback"),
]
