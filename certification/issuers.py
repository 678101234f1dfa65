"""Issuers as ``did:web`` identifiers and the DID documents that publish their keys."""

from typing import Any

from django.db.models import Q

from courses.models import CoursePage

from .conf import certification_settings
from .contexts import DID_V1, MULTIKEY_V1
from .keys import KeyRing, key_ring, site_did, site_url
from .models import IssuerProfile


class UnknownIssuerError(LookupError):
    """A DID that is not one of this site's issuers."""


def issuer_did(profile: IssuerProfile) -> str:
    """The default profile is the site's own DID; the others hang below it, one path each."""
    return site_did() if profile.is_default else f"{site_did()}:issuers:{profile.slug}"


def did_document_url(profile: IssuerProfile) -> str:
    return (
        f"{site_url()}/.well-known/did.json" if profile.is_default else f"{site_url()}/issuers/{profile.slug}/did.json"
    )


def did_document(profile: IssuerProfile, *, ring: KeyRing | None = None) -> dict[str, Any]:
    """Every key, retired ones included, so that credentials signed before a rotation still verify."""
    ring = ring or key_ring()
    did = issuer_did(profile)
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in ring.published
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def profile_for_did(did: str) -> IssuerProfile:
    base = site_did()
    if did == base:
        profile = IssuerProfile.objects.filter(is_default=True).first()
    elif did.startswith(f"{base}:issuers:"):
        profile = IssuerProfile.objects.filter(slug=did.removeprefix(f"{base}:issuers:"), is_default=False).first()
    else:
        profile = None
    if profile is None:
        raise UnknownIssuerError(f"{did} is not an issuer of this site.")
    return profile


def default_profile() -> IssuerProfile:
    """The site's own profile, created on first use with the site's name."""
    profile = IssuerProfile.objects.filter(is_default=True).first()
    if profile is None:
        profile, _created = IssuerProfile.objects.get_or_create(
            slug="site",
            defaults={"name": certification_settings.WAGTAIL_SITE_NAME, "url": site_url() + "/", "is_default": True},
        )
    return profile


def profile_for_course(course: CoursePage) -> IssuerProfile:
    """The profile of the course's accrediting body (matched across its translations), else the default.

    One query for both: the body's profile sorts before the default one (``is_default`` false first).
    The body itself is the course's (loaded once; the certificate prints its name too)."""
    if not course.accrediting_body_id:
        return default_profile()
    profile = (
        IssuerProfile.objects.filter(
            Q(accrediting_body__translation_key=course.accrediting_body.translation_key) | Q(is_default=True)
        )
        .order_by("is_default", "pk")
        .first()
    )
    return profile if profile is not None else default_profile()
