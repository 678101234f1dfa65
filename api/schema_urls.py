"""The URL tree the OpenAPI schema is generated from: the API alone, mounted where the site mounts it."""

from django.urls import include, path

urlpatterns = [path("api/", include("api.urls"))]
