"""Queries about certificates, each a fixed number of database queries."""

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from .models import AuditEntry, Certificate, StatusList


def certificate_by_id(certificate_id: uuid.UUID) -> Certificate | None:
    return (
        Certificate.objects.select_related("issuer", "replaced_by", "replaces", "status_list")
        .filter(pk=certificate_id)
        .first()
    )


def certificates_of(user: AbstractBaseUser) -> QuerySet[Certificate]:
    """The learner's certificates, newest first, with what their list shows."""
    return Certificate.objects.filter(user=user).select_related("issuer", "replaced_by").order_by("-issued_at")


def issued_certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("issuer").order_by("issued_at")


def status_lists() -> QuerySet[StatusList]:
    return StatusList.objects.select_related("issuer").order_by("pk")


def audit_log() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor", "certificate").order_by("-at", "-id")
