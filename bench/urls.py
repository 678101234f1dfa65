"""The site's URLs plus ``/bench/constant/``: never mounted by the product's urlconf."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.lrs.protocol import XapiResource
from learning_site.urls import urlpatterns as site_urlpatterns


class ConstantView(APIView):
    """The same DRF stack as the API (authentication, throttling, JSON renderer), no work."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


class ConstantLrsView(ConstantView):
    """The constant behind the LRS's own authentication (Basic, session, token) and the same permission."""

    authentication_classes = XapiResource.authentication_classes
    permission_classes = XapiResource.permission_classes
    write_scopes = read_scopes = ("statements/write",)


urlpatterns = [
    path("bench/constant/", ConstantView.as_view()),
    path("bench/constant-lrs/", ConstantLrsView.as_view()),
    *site_urlpatterns,
]

handler404 = "learning_site.error_pages.page_not_found"
handler500 = "learning_site.error_pages.server_error"
