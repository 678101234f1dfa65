"""The configured OpenID Connect provider: settings, discovery and keys (fetched and cached).

Configured by environment variables (see docs/integrations.md): ``OIDC_ISSUER``, ``OIDC_CLIENT_ID``,
``OIDC_CLIENT_SECRET``, ``OIDC_SCOPES``, ``OIDC_PROVIDER_NAME``. The endpoints come from the
provider's ``/.well-known/openid-configuration``, whose ``issuer`` must be the configured one.
"""

from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache

DISCOVERY_SECONDS = 3600


class ProviderError(Exception):
    """The provider's discovery document or keys cannot be read."""


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str
    algorithms: tuple[str, ...]


def configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME or settings.OIDC_ISSUER


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT or 10, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderError(f"{url}: {type(exc).__name__}") from exc
    if not isinstance(document, dict):
        raise ProviderError(f"{url}: not a JSON object")
    return document


def current_provider() -> Provider:
    """The provider's configuration, from the cache for an hour after discovery."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        document = _get_json(f"{issuer}/.well-known/openid-configuration")
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise ProviderError(f"The discovery document names the issuer {document.get('issuer')!r}, not {issuer}")
        cache.set(key, document, DISCOVERY_SECONDS)
    # Only asymmetric signatures: a token signed with the client secret, or with "none", is refused.
    offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(alg for alg in offered if alg[:2] in ("RS", "PS", "ES") or alg == "EdDSA")
    return Provider(
        name=provider_name(),
        issuer=document["issuer"],
        client_id=settings.OIDC_RP_CLIENT_ID,
        client_secret=settings.OIDC_RP_CLIENT_SECRET,
        scopes=settings.OIDC_RP_SCOPES,
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        userinfo_endpoint=document.get("userinfo_endpoint", ""),
        jwks_uri=document["jwks_uri"],
        end_session_endpoint=document.get("end_session_endpoint", ""),
        algorithms=algorithms or ("RS256",),
    )


def provider_keys(provider: Provider, *, refresh: bool = False) -> dict:
    """The provider's JWKS, cached for an hour; ``refresh`` re-reads it (a key id not seen yet)."""
    key = f"oidc-jwks:{provider.jwks_uri}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        keys = _get_json(provider.jwks_uri)
        cache.set(key, keys, DISCOVERY_SECONDS)
    return keys
