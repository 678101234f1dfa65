"""``/xapi/``: the LRS endpoint base. Paths with and without a trailing slash both answer, as xAPI
clients write either."""

from django.urls import re_path

from .documents import ActivityProfileResource, AgentProfileResource, StateResource
from .resources import AboutResource, ActivitiesResource, AgentsResource
from .statements import StatementsResource

app_name = "lrs"
urlpatterns = [
    re_path(r"^statements/?$", StatementsResource.as_view(), name="statements"),
    re_path(r"^activities/state/?$", StateResource.as_view(), name="state"),
    re_path(r"^activities/profile/?$", ActivityProfileResource.as_view(), name="activity-profile"),
    re_path(r"^activities/?$", ActivitiesResource.as_view(), name="activities"),
    re_path(r"^agents/profile/?$", AgentProfileResource.as_view(), name="agent-profile"),
    re_path(r"^agents/?$", AgentsResource.as_view(), name="agents"),
    re_path(r"^about/?$", AboutResource.as_view(), name="about"),
]
