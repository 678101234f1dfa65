"""The registry the site publishes: its listed accredited issuers in DCC and OpenCerts-style JSON."""

from django.utils import timezone

from ..conf import certification_settings
from .models import AccreditedIssuer
from .sources import Registry, RegistryEntry, RegistrySource

OWN_REGISTRY_SOURCE = "site"


def registry_name() -> str:
    return certification_settings.CERTIFICATION_REGISTRY_NAME or certification_settings.WAGTAIL_SITE_NAME


def _listed() -> list[AccreditedIssuer]:
    return list(AccreditedIssuer.objects.filter(is_listed=True).order_by("did"))


def _updated(issuers: list[AccreditedIssuer]) -> str:
    latest = max((issuer.updated_at for issuer in issuers), default=None) or timezone.now()
    return latest.isoformat().replace("+00:00", "Z")


def dcc_registry() -> dict:
    """What ``@digitalcredentials/issuer-registry-client`` loads: ``registry`` maps DID to an entry."""
    issuers = _listed()
    registry = {}
    for issuer in issuers:
        entry = {"name": issuer.name}
        if issuer.url:
            entry["url"] = issuer.url
        if issuer.location:
            entry["location"] = issuer.location
        registry[issuer.did] = entry
    return {"meta": {"created": _updated(issuers), "name": registry_name()}, "registry": registry}


def opencerts_registry() -> dict:
    """OpenCerts-style: ``issuers`` keyed by the issuer's identifier (here its DID)."""
    issuers = _listed()
    return {
        "name": registry_name(),
        "updated": _updated(issuers),
        "issuers": {
            issuer.did: {
                "name": issuer.name,
                "website": issuer.url,
                "location": issuer.location,
                "accreditedSince": issuer.accredited_since.isoformat() if issuer.accredited_since else None,
                "displayCard": True,
            }
            for issuer in issuers
        },
    }


def own_registry() -> Registry:
    """The site's own listing as a registry its verifier can read without a request."""
    entries = {
        issuer.did: RegistryEntry(name=issuer.name, url=issuer.url, location=issuer.location) for issuer in _listed()
    }
    return Registry(
        source=RegistrySource(name=registry_name(), path=OWN_REGISTRY_SOURCE, ttl=0),
        entries=entries,
        read_at=timezone.now().isoformat(),
    )
