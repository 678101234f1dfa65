"""The About, Activities and Agents resources (xAPI 1.0.3, Communication 2.4, 2.7, 2.8)."""

from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from lms.selectors import activity_definition

from .. import xapi
from .protocol import XapiResource, agent_parameter

ANY_SCOPE = ("statements/read", "statements/read/mine", "state", "profile", "define", "statements/write")


class AboutResource(XapiResource):
    """Which xAPI versions this LRS speaks; open to anyone, without the version header."""

    authentication_classes = []
    permission_classes = [AllowAny]
    needs_version = False

    def get(self, request):
        xapi.check_parameters(request.query_params, set())
        return Response({"version": [xapi.XAPI_VERSION], "extensions": {}})


class ActivitiesResource(XapiResource):
    read_scopes = ANY_SCOPE

    def get(self, request):
        xapi.check_parameters(request.query_params, {"activityId"})
        activity_id = request.query_params.get("activityId")
        if not activity_id:
            raise xapi.refuse("activityId", "The activityId parameter is required.", "missing_parameter")
        return Response(activity_definition(activity_id[:500]))


class AgentsResource(XapiResource):
    read_scopes = ANY_SCOPE

    def get(self, request):
        xapi.check_parameters(request.query_params, {"agent"})
        agent, _key = agent_parameter(request.query_params)
        person = {"objectType": "Person"}
        for name in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
            if name in agent:
                person[name] = [agent[name]]
        return Response(person)
