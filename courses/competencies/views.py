"""The CASE 1.0 read endpoints of the site's competency frameworks (public: frameworks are published
for other systems to read). An identifier nobody published is a 404 in CASE's error shape."""

import json
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from foundation.site_address import site_url

from .case import cf_document, cf_item, cf_package
from .models import Competency
from .selectors import framework_by_identifier, framework_competencies

CASE_JSON = "application/json"


def _json(data: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=CASE_JSON, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _unknown(identifier: str) -> HttpResponse:
    return _json(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": f"No framework or item has the identifier {identifier}.",
            "imsx_CodeMinor": {
                "imsx_codeMinorField": [
                    {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": "unknownobject"}
                ]
            },
        },
        status=404,
    )


def _framework(identifier: uuid.UUID, request: HttpRequest):
    return framework_by_identifier(identifier, request.GET.get("lang") or get_language() or "")


@require_GET
def package_view(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    framework = _framework(identifier, request)
    if framework is None:
        return _unknown(str(identifier))
    return _json(cf_package(framework, framework_competencies(framework), site=site_url()))


@require_GET
def document_view(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    framework = _framework(identifier, request)
    if framework is None:
        return _unknown(str(identifier))
    return _json(cf_document(framework, site=site_url()))


@require_GET
def item_view(request: HttpRequest, identifier: uuid.UUID) -> HttpResponse:
    competency = (
        Competency.objects.filter(translation_key=identifier).select_related("framework").order_by("pk").first()
    )
    if competency is None:
        return _unknown(str(identifier))
    framework = _framework(competency.framework.translation_key, request)
    chosen = next(
        (c for c in framework_competencies(framework) if c.translation_key == competency.translation_key), competency
    )
    return _json(cf_item(chosen, framework, site=site_url()))
