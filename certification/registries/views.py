"""The registry the site publishes, for third-party verifiers and wallets (public, cross-origin)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ..responses import public_json
from .publishing import dcc_registry, opencerts_registry


def _public_json(body: dict) -> HttpResponse:
    response = public_json(body)
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def dcc_registry_json(request: HttpRequest) -> HttpResponse:
    return _public_json(dcc_registry())


@require_GET
def opencerts_registry_json(request: HttpRequest) -> HttpResponse:
    return _public_json(opencerts_registry())
