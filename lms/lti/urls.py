"""LTI 1.3 tool endpoints, outside the language prefix (platforms register these URLs once)."""

from django.urls import path

from . import views

app_name = "lti"

urlpatterns = [
    path("login/", views.OIDCLoginInitView.as_view(), name="login"),
    path("login/<uuid:registration_uuid>/", views.OIDCLoginInitView.as_view(), name="login_for_registration"),
    path("launch/", views.LaunchView.as_view(), name="launch"),
    path("deep-link/", views.DeepLinkReturnView.as_view(), name="deep_link"),
    path("jwks/", views.jwks, name="jwks"),
    path("continue/<str:token>/", views.handover, name="handover"),
]
