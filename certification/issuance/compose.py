"""Compose: allocate a status bit and write the unsigned credential of one completion."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from courses.models import CoursePage

from ..addresses import status_list_url
from ..credentials import compose_credential, compose_programme_credential, course_evidence, programme_achievement
from ..issuers import default_profile, issuer_did, profile_for_course
from ..keys import KeyRing, site_url
from ..models import IssuerProfile, StatusList
from ..status_lists import allocate_status_index
from .facts import IssuanceFacts, ProgrammeFacts


@dataclass(frozen=True)
class Draft:
    """Everything decided before signing; the certificate row is written from it at the end."""

    facts: IssuanceFacts | ProgrammeFacts
    certificate_id: uuid.UUID
    issued_at: datetime
    valid_until: datetime | None
    profile: IssuerProfile
    status_list: StatusList
    status_index: int
    verification_method: str
    credential: dict[str, Any]


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days_in_month = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month[month - 1]))


def _issuer_profile_json(profile: IssuerProfile) -> dict[str, Any]:
    data = {"id": issuer_did(profile), "type": ["Profile"], "name": profile.name, "url": profile.url}
    if profile.email:
        data["email"] = profile.email
    return data


def _valid_until(course: CoursePage, completed_at: datetime) -> datetime | None:
    return add_months(completed_at, course.certificate_valid_months) if course.certificate_valid_months else None


def compose(*, facts: IssuanceFacts | ProgrammeFacts, ring: KeyRing) -> Draft:
    """Allocate the credential's revocation bit (a short transaction of its own) and compose it."""
    if isinstance(facts, ProgrammeFacts):
        return _compose_programme(facts=facts, ring=ring)
    course = facts.course
    profile = profile_for_course(course)
    status_list, status_index = allocate_status_index(issuer=profile)
    certificate_id = uuid.uuid4()
    issued_at = timezone.now()
    valid_until = _valid_until(course, facts.completed_at)
    credential = compose_credential(
        certificate_id=f"urn:uuid:{certificate_id}",
        issuer=_issuer_profile_json(profile),
        course=course,
        site=site_url(),
        recipient_name=facts.recipient_name,
        recipient_email=facts.recipient_email,
        completed_at=facts.completed_at,
        issued_at=issued_at,
        valid_until=valid_until,
        score=facts.score,
        status_list_url=status_list_url(status_list),
        status_index=status_index,
    )
    return Draft(
        facts=facts,
        certificate_id=certificate_id,
        issued_at=issued_at,
        valid_until=valid_until,
        profile=profile,
        status_list=status_list,
        status_index=status_index,
        verification_method=f"{issuer_did(profile)}#{ring.active_id}",
        credential=credential,
    )


def _compose_programme(*, facts: ProgrammeFacts, ring: KeyRing) -> Draft:
    """A programme's certificate is the site's (the default issuer's): the programme is the site's own
    arrangement of courses, whoever accredits each of them."""
    profile = default_profile()
    status_list, status_index = allocate_status_index(issuer=profile)
    certificate_id = uuid.uuid4()
    issued_at = timezone.now()
    site = site_url()
    achievement = programme_achievement(
        facts.programme,
        course_titles=[course.title for course in facts.courses],
        competencies=list(facts.competencies),
        language=facts.language,
        site=site,
    )
    credential = compose_programme_credential(
        certificate_id=f"urn:uuid:{certificate_id}",
        issuer=_issuer_profile_json(profile),
        programme_achievement=achievement,
        evidence=[course_evidence(title=c.title, credential_id=c.credential_id) for c in facts.courses],
        recipient_name=facts.recipient_name,
        recipient_email=facts.recipient_email,
        completed_at=facts.completed_at,
        issued_at=issued_at,
        status_list_url=status_list_url(status_list),
        status_index=status_index,
    )
    return Draft(
        facts=facts,
        certificate_id=certificate_id,
        issued_at=issued_at,
        valid_until=None,
        profile=profile,
        status_list=status_list,
        status_index=status_index,
        verification_method=f"{issuer_did(profile)}#{ring.active_id}",
        credential=credential,
    )
