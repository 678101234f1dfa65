"""Schemathesis against the generated OpenAPI schema: no 5xx, no response that breaks the schema.

Each operation of the schema gets a bounded number of generated requests, sent to the WSGI
application in the test's database (schemathesis's pytest plugin does not run under pytest 9, so
the test drives its Hypothesis strategies directly).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.factories import LessonPageFactory, ModulePageFactory

EXAMPLES_PER_OPERATION = 40


@pytest.fixture
def connection_kept_open():
    """Like Django's test client: the WSGI calls must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_honours_the_schema(tree, connection_kept_open):
    module = ModulePageFactory(parent=tree.course, title="Second module")
    LessonPageFactory(parent=module)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/courses/", "/api/v1/courses/{id}/"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
