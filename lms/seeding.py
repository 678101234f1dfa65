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
