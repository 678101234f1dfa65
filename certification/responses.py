"""JSON answers that anyone may read: verifiers and wallets run in other sites' pages, so they carry CORS."""

import json
from typing import Any

from django.http import HttpResponse


def public_json(body: bytes | str | dict[str, Any], *, status: int = 200, content_type: str = "application/json"):
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=f"{content_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in other sites' pages and in wallets
    return response


def error_json(message: str, *, status: int) -> HttpResponse:
    return public_json({"error": message}, status=status)
