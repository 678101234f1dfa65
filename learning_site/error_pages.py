"""Site-wide error pages: JSON under /api/ (the API's error shape), HTML everywhere else."""

from django.http import JsonResponse
from django.views import defaults


def page_not_found(request, exception=None):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "Not found.", "field": None}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path_info.startswith("/api/"):
        body = {"code": "server_error", "message": "The server could not complete the request.", "field": None}
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
