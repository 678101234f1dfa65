"""Every response a live-client test receives, validated against the API's own schema with
openapi-core (issue 12, part 4): a response the schema does not describe fails the test."""

import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse


class SchemaCheckedSession(requests.Session):
    """A requests session that validates each response of an operation under ``/api/v1/`` and records
    the operations it checked."""

    def __init__(self, origin: str):
        super().__init__()
        spec = requests.get(f"{origin}/api/v1/schema/?format=json", timeout=30).json()
        spec["servers"] = [{"url": origin}]
        self.openapi = OpenAPI.from_dict(spec)
        self.checked: list[tuple[str, str, int]] = []

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        response = super().request(method, url, *args, **kwargs)
        if "/api/v1/" in url and "/schema/" not in url:
            prepared = response.request
            self.openapi.validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(response))
            self.checked.append((method.upper(), prepared.path_url.split("?")[0], response.status_code))
        return response
