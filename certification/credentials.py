"""The Open Badges 3.0 credential of a certificate, and the status list credential that revokes it."""

import hashlib
import json
import secrets
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import Any

from courses.competencies.case import item_uri
from courses.competencies.models import Competency, Programme
from courses.competencies.selectors import competencies_of_course
from courses.identity import language_code_of, source_id
from courses.models import CoursePage

from .contexts import CREDENTIALS_V2, OPEN_BADGES_V3
from .integrity import rfc3339


def canonical_name(name: str) -> str:
    """Names compare equal whatever their spacing, case or Unicode normal form."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def canonical_email(email: str) -> str:
    return email.strip().lower()


def identity_hash(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def _number(value: Decimal) -> int | float:
    """JSON number that every JSON-LD processor reads alike (JavaScript cannot tell 4.0 from 4)."""
    return int(value) if value == value.to_integral_value() else float(value)


def achievement_id(course: CoursePage, *, site: str) -> str:
    """The course's achievement, one for all its languages: named by the course's source copy."""
    return f"{site}/certificates/achievements/{source_id(course)}"


def alignment(competencies: list[Competency], *, site: str) -> list[dict[str, Any]]:
    """OB 3.0 Alignments to the competencies' CASE items (the site's CASE endpoints serve them)."""
    return [
        {
            "type": ["Alignment"],
            "targetType": "CFItem",
            "targetName": competency.name,
            "targetUrl": item_uri(competency.identifier, site=site),
            "targetCode": competency.code,
            "targetFramework": competency.framework.title,
            **({"targetDescription": competency.description} if competency.description else {}),
        }
        for competency in competencies
    ]


def course_competencies(course: CoursePage) -> list[Competency]:
    """The competencies a course builds (named on any copy of it), in the course's language."""
    return competencies_of_course(course.translation_key, language_code_of(course.locale_id) or course.language)


def achievement(course: CoursePage, *, site: str) -> dict[str, Any]:
    """One Achievement per course, the same for every recipient."""
    data: dict[str, Any] = {
        "id": achievement_id(course, site=site),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": course.title,
        "description": course.summary or course.title,
        "criteria": {"narrative": f"Completed every required lesson of “{course.title}”."},
        "inLanguage": course.language,
    }
    if course.passing_score is not None:
        data["criteria"]["narrative"] += f" Score at least {course.passing_score}%."
        data["resultDescription"] = [
            {
                "id": f"{data['id']}#score",
                "type": ["ResultDescription"],
                "name": "Score",
                "resultType": "Percent",
                "requiredValue": str(course.passing_score),
            }
        ]
    if course.credit_hours:
        data["creditsAvailable"] = _number(course.credit_hours)
    if course.curriculum_code:
        data["humanCode"] = course.curriculum_code
    competencies = course_competencies(course)
    if competencies:
        data["alignment"] = alignment(competencies, site=site)
    return data


def programme_achievement_id(programme: Programme, *, site: str) -> str:
    """The programme's achievement, one for all its languages: named by its translation key."""
    return f"{site}/certificates/programmes/{programme.translation_key}"


def programme_achievement(
    programme: Programme, *, course_titles: list[str], competencies: list[Competency], language: str, site: str
) -> dict[str, Any]:
    """One Achievement per programme (OB 3.0 ``achievementType`` LearningProgram), aligned to the
    competencies it builds; its criteria name the courses."""
    listed = "; ".join(f"“{title}”" for title in course_titles)
    data: dict[str, Any] = {
        "id": programme_achievement_id(programme, site=site),
        "type": ["Achievement"],
        "achievementType": "LearningProgram",
        "name": programme.title,
        "description": programme.summary or programme.title,
        "criteria": {"narrative": f"Completed the programme “{programme.title}”: {listed}."},
        "inLanguage": language,
        "humanCode": programme.slug,
    }
    if competencies:
        data["alignment"] = alignment(competencies, site=site)
    return data


def course_evidence(*, title: str, credential_id: str | None) -> dict[str, Any]:
    """One course of a programme as OB 3.0 Evidence: its own credential's id where it has one."""
    evidence: dict[str, Any] = {
        "type": ["Evidence"],
        "name": title,
        "narrative": f"Completed the course “{title}”.",
        "genre": "Course certificate",
    }
    if credential_id:
        evidence["id"] = credential_id
    return evidence


def compose_credential(
    *,
    certificate_id: str,
    issuer: dict[str, Any],
    course: CoursePage,
    site: str,
    recipient_name: str,
    recipient_email: str,
    completed_at: datetime,
    issued_at: datetime,
    valid_until: datetime | None,
    score: Decimal | None,
    status_list_url: str,
    status_index: int,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of a course; personal data only as salted hashes."""
    course_achievement = achievement(course, site=site)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": recipient_identifiers(recipient_name, recipient_email),
        "achievement": course_achievement,
        "activityEndDate": rfc3339(completed_at),
    }
    if course.credit_hours:
        subject["creditsEarned"] = _number(course.credit_hours)
    if score is not None and "resultDescription" in course_achievement:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": course_achievement["resultDescription"][0]["id"],
                "value": str(int((score * 100).to_integral_value())),
            }
        ]
    return envelope(
        certificate_id=certificate_id,
        issuer=issuer,
        name=course.title,
        subject=subject,
        issued_at=issued_at,
        valid_until=valid_until,
        status_list_url=status_list_url,
        status_index=status_index,
    )


def compose_programme_credential(
    *,
    certificate_id: str,
    issuer: dict[str, Any],
    programme_achievement: dict[str, Any],
    evidence: list[dict[str, Any]],
    recipient_name: str,
    recipient_email: str,
    completed_at: datetime,
    issued_at: datetime,
    status_list_url: str,
    status_index: int,
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of a programme: its achievement, and its courses as evidence."""
    subject = {
        "type": ["AchievementSubject"],
        "identifier": recipient_identifiers(recipient_name, recipient_email),
        "achievement": programme_achievement,
        "activityEndDate": rfc3339(completed_at),
    }
    credential = envelope(
        certificate_id=certificate_id,
        issuer=issuer,
        name=programme_achievement["name"],
        subject=subject,
        issued_at=issued_at,
        valid_until=None,
        status_list_url=status_list_url,
        status_index=status_index,
    )
    credential["evidence"] = evidence
    return credential


def recipient_identifiers(recipient_name: str, recipient_email: str) -> list[dict[str, Any]]:
    """The recipient as salted hashes of their name and email (one salt per credential)."""
    salt = secrets.token_hex(8)
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": True,
            "identityHash": identity_hash(canonical_name(recipient_name), salt),
            "salt": salt,
        }
    ]
    if recipient_email:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(canonical_email(recipient_email), salt),
                "salt": salt,
            }
        )
    return identifiers


def envelope(
    *,
    certificate_id: str,
    issuer: dict[str, Any],
    name: str,
    subject: dict[str, Any],
    issued_at: datetime,
    valid_until: datetime | None,
    status_list_url: str,
    status_index: int,
) -> dict[str, Any]:
    """What every credential of the site has around its subject: contexts, issuer, status entry."""
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": certificate_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "name": name,
        "validFrom": rfc3339(issued_at),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_list_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_url,
        },
    }
    if valid_until is not None:
        credential["validUntil"] = rfc3339(valid_until)
    return credential


def status_list_credential(*, url: str, issuer_did: str, encoded_list: str, valid_from: datetime) -> dict[str, Any]:
    return {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": rfc3339(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def serialise(signed: dict[str, Any]) -> str:
    """The one and only serialisation of a signed credential; its bytes are stored and served as is."""
    return json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
