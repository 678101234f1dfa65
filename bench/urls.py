"""The site's URLs plus ``/bench/constant/``: never mounted by the product's urlconf."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.urls import urlpatterns as site_urlpatterns


class ConstantView(APIView):
    """The same DRF stack as the API (authentication, throttling, JSON renderer), no work."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("bench/constant/", ConstantView.as_view()), *site_urlpatterns]

handler404 = "lms.error_pages.page_not_found"
handler500 = "lms.error_pages.server_error"
