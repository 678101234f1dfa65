"""Which of the trusted registries list an issuer, under what name; each registry's trouble by name.

An issuer no registry lists is *unknown* to them, which says nothing against the signature: the
verifier reports it beside the other checks and never lets it change whether a credential is genuine.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from certification.conf import certification_settings

from .publishing import own_registry
from .sources import Registry, RegistryError, configured_sources, load_registry

# What one registry says about the issuer, in words read in the reader's language.
OUTCOME_DETAILS = {
    "listed": _("Listed by %(registry)s as %(name)s."),
    "not_listed": _("%(registry)s does not list %(issuer)s."),
    "other_key": _("%(registry)s lists %(name)s under another key (%(key)s), not %(issuer)s."),
    "unreachable": _("%(registry)s could not be reached (%(reason)s)."),
    "malformed": _("%(registry)s is not a readable registry (%(reason)s)."),
}


@dataclass(frozen=True)
class RegistryOutcome:
    registry: str
    code: str
    issuer: str
    listed_name: str = ""
    other_key: str = ""
    reason: str = ""
    source: str = ""

    @property
    def listed(self) -> bool:
        return self.code == "listed"

    @property
    def detail(self) -> str:
        return str(OUTCOME_DETAILS[self.code]) % {
            "registry": self.registry,
            "issuer": self.issuer,
            "name": self.listed_name,
            "key": self.other_key,
            "reason": self.reason,
        }

    def as_dict(self) -> dict[str, str | None]:
        return {
            "registry": self.registry,
            "source": self.source,
            "outcome": self.code,
            "listed_name": self.listed_name or None,
            "detail": self.detail,
        }


@dataclass
class RegistryReport:
    issuer: str
    outcomes: list[RegistryOutcome] = field(default_factory=list)

    @property
    def listings(self) -> list[RegistryOutcome]:
        return [outcome for outcome in self.outcomes if outcome.listed]

    @property
    def unreadable(self) -> list[RegistryOutcome]:
        return [outcome for outcome in self.outcomes if outcome.code in ("unreachable", "malformed")]


def _outcome(registry: Registry, issuer_id: str, issuer_name: str) -> RegistryOutcome:
    common = {"registry": registry.name, "issuer": issuer_id, "source": registry.source.where}
    entry = registry.entries.get(issuer_id)
    if entry is not None:
        return RegistryOutcome(code="listed", listed_name=entry.name, **common)
    wanted = issuer_name.strip().casefold()
    if wanted:
        for key, other in registry.entries.items():
            if other.name.casefold() == wanted:
                return RegistryOutcome(code="other_key", listed_name=other.name, other_key=key, **common)
    return RegistryOutcome(code="not_listed", **common)


def registry_report(issuer_id: str, issuer_name: str = "") -> RegistryReport:
    """Ask every configured registry, in order; a registry that fails never stops the others."""
    report = RegistryReport(issuer=issuer_id)
    if certification_settings.CERTIFICATION_TRUST_OWN_REGISTRY:
        report.outcomes.append(_outcome(own_registry(), issuer_id, issuer_name))
    for source in configured_sources():
        try:
            registry = load_registry(source)
        except RegistryError as exc:
            report.outcomes.append(
                RegistryOutcome(
                    registry=source.name, code=exc.code, issuer=issuer_id, reason=exc.reason, source=source.where
                )
            )
            continue
        report.outcomes.append(_outcome(registry, issuer_id, issuer_name))
    return report
