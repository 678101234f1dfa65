"""Competency coverage of an organisation: per unit (the unit and its sub-units' members), per
competency its members' roles need, how many need it and how many of those have earned it. A
fixed number of queries whatever the size of the organisation; only the organisation's own members
are counted, so nothing of another organisation shows."""

import uuid
from dataclasses import dataclass

from courses.competencies.models import Competency
from courses.competencies.selectors import competencies_by_key

from ..models import LearnerProfile, Organisation
from ..programmes.selectors import earned_competency_keys, role_competency_keys


@dataclass(frozen=True)
class CoverageCell:
    competency: Competency
    needed: int
    earned: int

    @property
    def percent(self) -> int | None:
        return None if not self.needed else (100 * self.earned) // self.needed


@dataclass(frozen=True)
class UnitCoverage:
    unit: Organisation
    members: int
    cells: list[CoverageCell]


def competency_coverage(*, organisation: Organisation, language: str) -> tuple[list[Competency], list[UnitCoverage]]:
    """The competencies needed anywhere in the organisation, and each unit's coverage of them."""
    units = list(Organisation.objects.filter(path__startswith=organisation.path).order_by("path"))
    members = list(
        LearnerProfile.objects.filter(
            organisation__path__startswith=organisation.path, user__is_active=True, erased_at__isnull=True
        ).values_list("user_id", "organisation__path", "role_id")
    )
    needs = role_competency_keys({role_id for _u, _p, role_id in members if role_id})
    earned = earned_competency_keys(user_ids=[user_id for user_id, _p, _r in members])
    keys: set[uuid.UUID] = set().union(*needs.values()) if needs else set()
    competencies = competencies_by_key(keys, language)
    coverage = []
    for unit in units:
        within = [(user_id, role_id) for user_id, path, role_id in members if path.startswith(unit.path)]
        cells = []
        for competency in competencies:
            key = competency.translation_key
            needing = [user_id for user_id, role_id in within if key in needs.get(role_id, set())]
            cells.append(
                CoverageCell(
                    competency=competency,
                    needed=len(needing),
                    earned=sum(1 for user_id in needing if key in earned[user_id]),
                )
            )
        coverage.append(UnitCoverage(unit=unit, members=len(within), cells=cells))
    return competencies, coverage
