"""Organisations: their admins and members."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction

from ..enrolment.services import enrol_in_assigned_courses
from ..models import LearnerKind, LearnerProfile, Organisation

ORGANISATION_ADMINS = "Organisation admins"


@transaction.atomic
def make_organisation_admin(*, user: AbstractBaseUser, organisation: Organisation) -> None:
    """Let a user administer a unit and its sub-units, with access to the Wagtail admin's reports."""
    organisation.admins.add(user)  # grant_admin_access follows through the m2m_changed receiver


def grant_admin_access(*, users) -> None:
    """Organisation admins reach their reports through the Wagtail admin, so they need to sign in there."""
    group, _created = Group.objects.get_or_create(name=ORGANISATION_ADMINS)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    group.user_set.add(*users)


@transaction.atomic
def set_membership(
    *, user: AbstractBaseUser, organisation: Organisation | None, designation: str | None = None
) -> LearnerProfile:
    """Make a learner a member of a unit; the unit's (and its parents') assignments apply to them too."""
    defaults: dict[str, Any] = {"organisation": organisation, "kind": LearnerKind.CIVIL_SERVANT}
    if designation is not None:
        defaults["designation"] = designation
    profile, _created = LearnerProfile.objects.update_or_create(user=user, defaults=defaults)
    if organisation is not None:
        user.learner_profile = profile
        enrol_in_assigned_courses(user=user)
    return profile
