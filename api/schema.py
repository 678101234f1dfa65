"""Schema generation limited to the API's own routes (the admin's internal API is not ours to publish)."""

from drf_spectacular.generators import SchemaGenerator


class ApiSchemaGenerator(SchemaGenerator):
    def __init__(self, *args, urlconf=None, **kwargs):
        super().__init__(*args, urlconf=urlconf or "api.schema_urls", **kwargs)
