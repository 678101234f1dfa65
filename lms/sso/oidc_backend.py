"""mozilla-django-oidc's code flow with this site's rules: discovery by issuer, full ID token checks,
users keyed on (issuer, sub), and profile claims mapped onto the learner's profile.

mozilla-django-oidc checks the signature and nonce but not the audience or issuer, and matches users
by email; both are replaced here (``verify_token``, ``filter_users_by_claims``)."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ..models import LearnerKind, LearnerProfile, Organisation
from .models import ExternalIdentity, IdentitySource
from .provider import Provider, configured, current_provider, provider_keys
from .tokens import verify_token


class OIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The parent reads endpoints from settings at construction; here they come from discovery,
        # and only when a code comes back (password sign-in constructs this backend too).
        self.UserModel = get_user_model()

    @property
    def provider(self) -> Provider:
        return current_provider()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 (the parent's names)
        return self.provider.token_endpoint

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return self.provider.userinfo_endpoint

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    def authenticate(self, request, **kwargs):
        if not configured() or request is None or "code" not in request.GET:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        provider = self.provider
        claims = verify_token(
            token,
            keys=lambda refresh: provider_keys(provider, refresh=refresh),
            issuer=provider.issuer,
            audience=provider.client_id,
            algorithms=provider.algorithms,
            nonce=kwargs.get("nonce"),
        )
        self.id_token_claims = claims
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint's for the same ``sub`` only."""
        claims = dict(payload)
        if self.provider.userinfo_endpoint and access_token:
            extra = super().get_userinfo(access_token, id_token, payload)
            if isinstance(extra, dict) and extra.get("sub") == payload["sub"]:
                claims.update({k: v for k, v in extra.items() if k not in ("iss", "aud", "nonce", "exp", "iat")})
        claims["iss"], claims["sub"] = payload["iss"], payload["sub"]
        return claims

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        """The one user already keyed on this (issuer, sub); never a match by email."""
        return self.UserModel.objects.filter(
            external_identities__source=IdentitySource.OIDC,
            external_identities__issuer=claims["iss"],
            external_identities__subject=claims["sub"],
        )

    def create_user(self, claims):
        with transaction.atomic():
            user = self.UserModel.objects.create_user(username=external_username("oidc", claims["iss"], claims["sub"]))
            user.set_unusable_password()
            ExternalIdentity.objects.create(
                user=user, source=IdentitySource.OIDC, issuer=claims["iss"], subject=claims["sub"]
            )
            return apply_profile_claims(user, claims, source=IdentitySource.OIDC)

    def update_user(self, user, claims):
        return apply_profile_claims(user, claims, source=IdentitySource.OIDC)


def external_username(source: str, issuer: str, subject: str) -> str:
    return f"{source}-" + hashlib.sha256(f"{issuer} {subject}".encode()).hexdigest()[:40]


PROFILE_CLAIMS = ("name", "given_name", "family_name", "email", "email_verified", "phone_number")


def apply_profile_claims(user, claims: dict, *, source: str):
    """Name, email, phone and (for civil servants) organisation and designation from the claims.

    An email or phone number another account already uses is not copied: it would make that
    account's password sign-in ambiguous, and it proves nothing about who owns that account."""
    given, family = claims.get("given_name"), claims.get("family_name")
    if not (given or family) and claims.get("name"):
        given, _sep, family = str(claims["name"]).partition(" ")
    user.first_name = str(given or user.first_name)[:150]
    user.last_name = str(family or user.last_name)[:150]
    email = str(claims.get("email") or "").strip()
    verified = claims.get("email_verified", True) is not False
    if email and verified and not user.__class__.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        user.email = email
    user.save()
    profile, _created = LearnerProfile.objects.get_or_create(user=user)
    phone = str(claims.get("phone_number") or "").replace(" ", "")[:20]
    if phone and not LearnerProfile.objects.filter(phone=phone).exclude(pk=profile.pk).exists():
        profile.phone = phone
    organisation_claim = claims.get(settings.OIDC_CLAIM_ORGANISATION)
    if organisation_claim:
        organisation = (
            Organisation.objects.filter(code=str(organisation_claim)).first()
            or Organisation.objects.filter(name__iexact=str(organisation_claim)).first()
        )
        if organisation is not None:
            profile.organisation, profile.kind = organisation, LearnerKind.CIVIL_SERVANT
    designation = claims.get(settings.OIDC_CLAIM_DESIGNATION)
    if designation:
        profile.designation = str(designation)[:200]
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:  # a phone number taken meanwhile
        profile.phone = LearnerProfile.objects.filter(pk=profile.pk).values_list("phone", flat=True).first()
        profile.save()
    kept = {
        k: claims[k]
        for k in (*PROFILE_CLAIMS, settings.OIDC_CLAIM_ORGANISATION, settings.OIDC_CLAIM_DESIGNATION)
        if k in claims
    }
    ExternalIdentity.objects.filter(user=user, source=source, issuer=claims["iss"], subject=claims["sub"]).update(
        claims=kept
    )
    return user
