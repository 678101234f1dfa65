"""CASE 1.0 read endpoints, mounted at ``/ims/case/v1p0/`` (docs/programmes.md)."""

from django.urls import path

from . import views

app_name = "case"

urlpatterns = [
    path("CFPackages/<uuid:identifier>", views.package_view, name="package"),
    path("CFDocuments/<uuid:identifier>", views.document_view, name="document"),
    path("CFItems/<uuid:identifier>", views.item_view, name="item"),
]
