"""The xAPI 1.0.3 Statements resource for the signed-in learner."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework.request import Request
from rest_framework.response import Response

from .. import xapi
from ..lrs.statements import MAX_STATEMENTS_PER_REQUEST, StatementsResource
from ..serializers import (
    StatementPutQuerySerializer,
    StatementQuerySerializer,
    StatementResultSerializer,
    StatementSerializer,
    StoredStatementSerializer,
)

# --- xAPI statements ---------------------------------------------------------------------------

STATEMENT_EXAMPLE = {
    "id": "0a8f7c1e-5b2d-4c3a-9e8f-1d2c3b4a5e6f",
    "actor": {"objectType": "Agent", "account": {"homePage": "https://learning.example.gov.bd", "name": "nusrat"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en": "answered"}},
    "object": {"objectType": "Activity", "id": "https://learning.example.gov.bd/activities/42/3f2c9d1e"},
    "result": {"score": {"raw": 4, "min": 0, "max": 5, "scaled": 0.8}, "success": True, "completion": True},
    "timestamp": "2026-11-23T09:15:00Z",
}
XAPI_HEADERS = [
    OpenApiParameter(
        xapi.VERSION_HEADER,
        {"type": "string", "pattern": r"^1\.0(\.[0-9]+)?$", "example": xapi.XAPI_VERSION},
        location=OpenApiParameter.HEADER,
        required=True,
        description="The xAPI version the client speaks: 1.0.3 (any 1.0.x). Without it the request is a 400.",
    ),
    OpenApiParameter(
        xapi.VERSION_HEADER,
        {"type": "string", "enum": [xapi.XAPI_VERSION]},
        location=OpenApiParameter.HEADER,
        response=True,
        required=True,
        description="The version of xAPI this resource follows.",
    ),
    OpenApiParameter(
        "X-Experience-API-Consistent-Through",
        OpenApiTypes.DATETIME,
        location=OpenApiParameter.HEADER,
        response=True,
        required=True,
        description="Every statement stored before this time can be read (statements are stored synchronously).",
    ),
]


class StatementsView(StatementsResource):
    """The xAPI 1.0.3 Statements resource at ``/api/v1/statements/``: the same resource as the LRS's
    ``/xapi/statements`` (one implementation, ``api.lrs.statements``), kept at this path for the
    learners' apps that use it, described in the API's schema. Every request carries
    ``X-Experience-API-Version: 1.0.x``; every response carries 1.0.3."""

    @extend_schema(
        parameters=[StatementQuerySerializer, *XAPI_HEADERS],
        responses={
            (200, "application/json"): PolymorphicProxySerializer(
                component_name="StatementResultOrStatement",
                serializers=[StatementResultSerializer, StoredStatementSerializer],
                resource_type_field_name=None,
            ),
            (200, "multipart/mixed"): OpenApiTypes.BINARY,
        },
        description="Your own statements, newest stored first (`ascending=true`: oldest first), at most `limit` "
        "(100) per page; `more` is the next page. With `statementId`, that one statement itself. With "
        "`attachments=true`, multipart/mixed: the same JSON first, then each attachment's bytes.",
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        parameters=XAPI_HEADERS,
        request={
            "application/json": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Statement"},
                    {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Statement"},
                        "minItems": 1,
                        "maxItems": MAX_STATEMENTS_PER_REQUEST,
                    },
                ]
            }
        },
        responses={
            200: OpenApiResponse(
                response={"type": "array", "items": {"type": "string", "format": "uuid"}},
                description="The statements' ids, in the order sent.",
            ),
            409: None,
        },
        examples=[
            OpenApiExample("One statement", value=STATEMENT_EXAMPLE, request_only=True),
            OpenApiExample("Stored", value=[STATEMENT_EXAMPLE["id"]], response_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    @extend_schema(
        parameters=[StatementPutQuerySerializer, *XAPI_HEADERS],
        request=StatementSerializer,
        responses={204: None, 409: None},
        examples=[OpenApiExample("One statement", value=STATEMENT_EXAMPLE, request_only=True)],
        description="Store one statement under the id in `statementId`; sending it again changes nothing.",
    )
    def put(self, request: Request) -> Response:
        return super().put(request)
