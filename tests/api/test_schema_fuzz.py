"""Schemathesis against the generated OpenAPI schema: no 5xx, no response that breaks the schema.

Each operation of the schema gets a bounded number of generated requests, sent to the WSGI
application in the test's database (schemathesis's pytest plugin does not run under pytest 9, so
the test drives its Hypothesis strategies directly).
"""

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings

from tests.factories import LessonPageFactory, ModulePageFactory

EXAMPLES_PER_OPERATION = 40


def test_every_operation_honours_the_schema(tree):
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
