"""Schema generation limited to the API's own routes (the admin's internal API is not ours to publish)."""

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator

from .authentication import ClientScopes, required_scope


class OrganisationClientScheme(DjangoOAuthToolkitScheme):
    """Organisations' systems: OAuth 2.0 client credentials, token at ``/api/v1/oauth/token/``. Each
    operation's security requirement names the scope its token needs (``api.authentication.required_scope``);
    an operation closed to OAuth clients lists no oauth2 requirement."""

    target_class = "api.authentication.OrganisationClientAuthentication"

    def get_security_requirement(self, auto_schema):
        if not any(isinstance(permission, ClientScopes) for permission in auto_schema.view.get_permissions()):
            return None
        scope = required_scope(auto_schema.view, auto_schema.method)
        return {self.name: [scope]} if scope else None


class ApiSchemaGenerator(SchemaGenerator):
    def __init__(self, *args, urlconf=None, **kwargs):
        super().__init__(*args, urlconf=urlconf or "api.schema_urls", **kwargs)


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every 4xx response has this shape; `errors` lists each problem when there are several.",
    "properties": {
        "code": {"type": "string", "example": "invalid_choice"},
        "message": {"type": "string", "example": '"martians" is not a valid choice.'},
        "field": {"type": "string", "nullable": True, "example": "audience"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["code", "message", "field"],
            },
        },
    },
    "required": ["code", "message", "field"],
}
ERROR_DESCRIPTIONS = {
    "400": "The request is invalid; `field` names the first offending parameter or field.",
    "401": "Authentication is required.",
    "403": "The authenticated client may not do this.",
    "404": "No such object, or not one this client may see.",
    "406": "None of the media types in the Accept header is offered.",
    "409": "The request conflicts with the current state (already enrolled, already revoked, id taken…).",
    "422": "The credential is well formed but cannot be verified here (another issuer's).",
    "429": "Too many requests; retry after the number of seconds in the Retry-After header.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: the error body and the 4xx codes every operation may return."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            codes = {"400", "404", "429"}
            anonymous_allowed = {} in operation.get("security", [{}])
            if method != "get" or not anonymous_allowed:
                codes |= {"401", "403"}
            for code in sorted(codes):
                operation["responses"].setdefault(code, {"description": ERROR_DESCRIPTIONS[code], "content": reference})
            for code, response in operation["responses"].items():
                # Errors a view declares itself (``409: None``) get the same body and description.
                if code.startswith("4") and not response.get("content"):
                    response["content"] = reference
                    if code in ERROR_DESCRIPTIONS and response.get("description") in ("", "No response body"):
                        response["description"] = ERROR_DESCRIPTIONS[code]
    return result


def nullable_references(result, generator, request, public):
    """drf-spectacular post-processing hook: OpenAPI 3.0 ignores ``nullable`` beside a ``$ref`` (in an
    ``allOf`` wrapper too), so validators refuse ``null`` where the API sends it (``accreditation:
    null``). A nullable reference becomes ``oneOf: [the reference, null]``."""

    def fix(node):
        if isinstance(node, dict):
            refs = node.get("allOf")
            if node.get("nullable") and isinstance(refs, list) and len(refs) == 1 and "$ref" in refs[0]:
                node.pop("allOf")
                node.pop("nullable")
                node["oneOf"] = [refs[0], {"type": "object", "nullable": True, "enum": [None]}]
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(result)
    return result


class LrsBasicScheme(OpenApiAuthenticationExtension):
    """LRS clients: HTTP Basic with the key and secret of ``create_lrs_client`` (docs/xapi.md)."""

    target_class = "api.lrs.authentication.LrsBasicAuthentication"
    name = "lrsBasic"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic", "description": "An LRS client's key and secret."}
