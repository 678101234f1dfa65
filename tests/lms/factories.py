"""Factories for organisations and learners' records."""

import factory

from lms.models import Enrolment, LearnerKind, LearnerProfile, Organisation, OrganisationKind
from tests.factories import UserFactory


def organisation(name: str, *, parent: Organisation | None = None, kind: str = OrganisationKind.MINISTRY, code=None):
    """Add a unit to the organisation tree (treebeard adds nodes through their parent)."""
    fields = {"name": name, "kind": kind, "code": code or name.lower().replace(" ", "-")}
    if parent is None:
        return Organisation.add_root(**fields)
    return parent.add_child(**fields)


class LearnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory)
    kind = LearnerKind.CIVIL_SERVANT
    designation = "Assistant Secretary"


def member(unit: Organisation, **user_fields):
    return LearnerProfileFactory(organisation=unit, user=UserFactory(**user_fields)).user


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
