"""The Open Badges 3.0 credential of a certificate, and the status list credential that revokes it."""

import hashlib
import json
import secrets
import unicodedata
from datetime import datetime
from decimal import Decimal
from typing import Any

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
    return f"{site}/certificates/achievements/{course.pk}"


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
    return data


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
    """The unsigned OpenBadgeCredential; personal data only as salted hashes."""
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
    course_achievement = achievement(course, site=site)
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
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
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": certificate_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "name": course.title,
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
