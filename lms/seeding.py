"""Demo accounts for the five roles of the demo site."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from courses.services import REVIEWERS, TRAINERS

ROLE_GROUPS = {"trainer": TRAINERS, "reviewer": REVIEWERS}
ROLES = {"admin", "trainer", "reviewer", "civil_servant", "citizen"}


@transaction.atomic
def seed_demo_users(users: list[dict[str, Any]]) -> list[tuple[str, str, str, bool]]:
    """Create each account once; return (username, password, role, created) for the command to print."""
    User = get_user_model()
    created_rows = []
    for entry in users:
        role = entry["role"]
        if role not in ROLES:
            raise ValueError(f"users.yaml: unknown role {role!r} for {entry['username']!r}")
        user, created = User.objects.get_or_create(
            username=entry["username"],
            defaults={
                "first_name": entry.get("first_name", ""),
                "last_name": entry.get("last_name", ""),
                "email": entry.get("email", ""),
                "is_staff": role == "admin",
                "is_superuser": role == "admin",
            },
        )
        if created:
            user.set_password(entry["password"])
            user.save(update_fields=["password"])
            if role in ROLE_GROUPS:
                user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        created_rows.append((user.username, entry["password"], role, created))
    return created_rows


@transaction.atomic
def seed_demo_organisations(units: list[dict[str, Any]], parent=None) -> int:
    """Build the demo organisation tree with its admins, members and assignments; once."""
    from datetime import timedelta

    from django.utils import timezone

    from courses.models import CoursePage

    from .enrolment.services import assign_course
    from .models import Assignment, Organisation
    from .organisations.services import make_organisation_admin, set_membership

    User = get_user_model()
    count = 0
    for entry in units:
        unit = Organisation.objects.filter(code=entry["code"]).first()
        if unit is None:
            fields = {"code": entry["code"], "name": entry["name"], "kind": entry["kind"]}
            unit = parent.add_child(**fields) if parent else Organisation.add_root(**fields)
        count += 1
        for username in entry.get("admins", []):
            make_organisation_admin(user=User.objects.get(username=username), organisation=unit)
        for member in entry.get("members", []):
            set_membership(
                user=User.objects.get(username=member["username"]),
                organisation=unit,
                designation=member.get("designation", ""),
            )
        for assignment in entry.get("assignments", []):
            course = CoursePage.objects.live().get(slug=assignment["course"], locale__language_code="en")
            if not Assignment.objects.filter(organisation=unit, course=course).exists():
                due_on = timezone.localdate() + timedelta(days=int(assignment["due_in_days"]))
                assign_course(organisation=unit, course=course, due_on=due_on)
        count += seed_demo_organisations(entry.get("units", []), parent=unit)
    return count


@transaction.atomic
def seed_demo_roles(roles: list[dict[str, Any]]) -> int:
    """The demo roles with the competencies they need, given to their holders; once."""
    from courses.competencies.models import Competency

    from .models import LearnerProfile, Organisation, Role

    User = get_user_model()
    for entry in roles:
        organisation = Organisation.objects.get(code=entry["organisation"]) if entry.get("organisation") else None
        role, created = Role.objects.get_or_create(name=entry["name"], organisation=organisation)
        if created:
            role.competencies.set(Competency.objects.filter(code__in=entry["competencies"], locale__language_code="en"))
            role.save()
        for username in entry.get("holders", []):
            LearnerProfile.objects.filter(user=User.objects.get(username=username)).update(role=role)
    return len(roles)
