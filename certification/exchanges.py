"""Add to a wallet: a one-time VC-API exchange that hands the holder's wallet the signed credential.

The flow (W3C CCG VC API "exchanges", as the Learner Credential Wallet and other VC-API wallets run it):

1. The signed-in holder asks for an offer on their certificate page. ``create_offer`` stores a
   ``WalletExchange`` (only the SHA-256 of its id) that expires after ``CERTIFICATION_EXCHANGE_TTL``
   seconds, and closes any earlier open offer of the same certificate.
2. The page shows the offer as an LCW deep link (``dccrequest://request?request={"credentialRequestOrigin":
   ..., "protocols": {"vcapi": <exchange URL>}}``, also as a QR code) and, for other wallets, as a VC API
   interaction URL (``.../protocols?iuv=1``, which answers ``{"protocols": {"vcapi": ...}}`` to a wallet
   and a short HTML page to a browser).
3. The wallet POSTs ``{}`` to the exchange URL. ``claim`` marks the exchange completed in one conditional
   UPDATE (still open, not expired), rolled back if the certificate is revoked, and answers
   ``{"verifiablePresentation": ...}`` whose ``verifiableCredential`` holds the credential's stored
   bytes, unchanged.

No DID Authentication is requested: see docs/certification.md ("Add to a wallet") for why.
"""

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .conf import certification_settings
from .keys import site_url
from .models import Certificate, WalletExchange

TOKEN_BYTES = 32  # 256 bits: the exchange id is the only secret a wallet needs
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
LCW_SCHEME = "dccrequest://request"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
KEEP_FINISHED = timedelta(days=1)  # expired or used exchanges of the holder are deleted after this


def _now() -> datetime:
    return timezone.now()


class OfferRefused(Exception):
    """The holder cannot get an offer for this certificate (revoked, or not theirs)."""


class ExchangeError(Exception):
    """A wallet's request that the exchange cannot answer with a credential: status, code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "error": self.message}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def exchange_url(token: str) -> str:
    """Where the wallet POSTs: the VC-API exchange endpoint."""
    return site_url() + reverse("certification:exchange", args=[token])


def interaction_url(token: str) -> str:
    """The VC API interaction URL (``iuv=1``): protocols as JSON for wallets, a page for browsers."""
    return site_url() + reverse("certification:exchange_protocols", args=[token]) + "?iuv=1"


def protocols(token: str) -> dict[str, str]:
    return {"vcapi": exchange_url(token)}


def wallet_request(token: str) -> dict:
    """The wallet API message that the LCW deep link carries (an exchange invitation)."""
    return {"credentialRequestOrigin": site_url(), "protocols": protocols(token)}


def lcw_deep_link(token: str) -> str:
    """``dccrequest://request?request=<JSON>``: opens the Learner Credential Wallet on this phone.

    A custom scheme rather than the wallet's https universal link: if the wallet is not installed,
    the link goes nowhere instead of carrying the exchange id to a third-party web page.
    """
    message = json.dumps(wallet_request(token), separators=(",", ":"))
    return f"{LCW_SCHEME}?request={quote(message, safe='')}"


@dataclass(frozen=True)
class Offer:
    token: str
    exchange: WalletExchange

    @property
    def exchange_url(self) -> str:
        return exchange_url(self.token)

    @property
    def interaction_url(self) -> str:
        return interaction_url(self.token)

    @property
    def deep_link(self) -> str:
        return lcw_deep_link(self.token)


def create_offer(*, certificate: Certificate, holder: AbstractBaseUser) -> Offer:
    """A new exchange for the certificate's holder; earlier open offers of it stop working."""
    if certificate.user_id != holder.pk:
        raise OfferRefused(_("Only the holder of a certificate can add it to a wallet."))
    if certificate.is_revoked:
        raise OfferRefused(_("This certificate has been revoked; it cannot be added to a wallet."))
    now = _now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        mine = WalletExchange.objects.filter(holder=holder)
        mine.filter(expires_at__lt=now - KEEP_FINISHED).delete()
        mine.filter(certificate=certificate, completed_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        exchange = WalletExchange.objects.create(
            token_hash=token_hash(token),
            certificate=certificate,
            holder=holder,
            created_at=now,
            expires_at=now + timedelta(seconds=certification_settings.CERTIFICATION_EXCHANGE_TTL),
        )
    return Offer(token=token, exchange=exchange)


def find_exchange(token: str) -> WalletExchange | None:
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return WalletExchange.objects.select_related("certificate", "holder").filter(token_hash=token_hash(token)).first()


def offer_for_display(token: str, certificate: Certificate) -> Offer | None:
    """The offer behind a token the holder's session remembers, if it is still about this certificate."""
    exchange = find_exchange(token)
    if exchange is None or exchange.certificate_id != certificate.pk:
        return None
    return Offer(token=token, exchange=exchange)


def is_open(exchange: WalletExchange, now: datetime | None = None) -> bool:
    return exchange.completed_at is None and exchange.expires_at > (now or _now())


def check_usable(exchange: WalletExchange | None) -> WalletExchange:
    """The exchange if a wallet may still use it; otherwise the ExchangeError to answer."""
    if exchange is None:
        raise ExchangeError(404, "unknown_exchange", _("No such exchange: check the link or ask for a new one."))
    if exchange.completed_at is not None:
        raise ExchangeError(
            410, "exchange_used", _("This exchange has already been used. Ask for a new link on your certificate page.")
        )
    if exchange.expires_at <= _now():
        raise ExchangeError(
            410, "exchange_expired", _("This exchange has expired. Ask for a new link on your certificate page.")
        )
    certificate = exchange.certificate
    if certificate.is_revoked:
        raise ExchangeError(
            409, "certificate_revoked", _("This certificate has been revoked; it cannot be added to a wallet.")
        )
    if certificate.user_id != exchange.holder_id or not exchange.holder.is_active:
        raise ExchangeError(410, "exchange_withdrawn", _("This exchange is no longer valid."))
    return exchange


def presentation_bytes(credential: str) -> bytes:
    """``{"verifiablePresentation": ...}`` around the credential's stored bytes, which are not re-serialised."""
    head = json.dumps(
        {"@context": [VC_V2_CONTEXT], "type": ["VerifiablePresentation"]}, separators=(",", ":")
    ).removesuffix("}")
    return (
        b'{"verifiablePresentation":'
        + head.encode("utf-8")
        + b',"verifiableCredential":['
        + credential.encode("utf-8")
        + b"]}}"
    )


def claim(token: str) -> bytes:
    """Complete the exchange: once, before it expires, while the certificate stands. Returns the response body.

    The UPDATE's conditions are on the exchange row's own columns, so that PostgreSQL re-checks them
    after waiting for a concurrent completion (a condition through a join would be read from the old
    snapshot and let two wallets through). A revocation is checked in the same transaction, after.
    """
    exchange = check_usable(find_exchange(token))
    now = _now()
    with transaction.atomic():
        claimed = WalletExchange.objects.filter(pk=exchange.pk, completed_at__isnull=True, expires_at__gt=now).update(
            completed_at=now
        )
        if claimed != 1:  # another wallet won the race
            check_usable(find_exchange(token))
            raise ExchangeError(410, "exchange_used", _("This exchange has already been used."))
        if Certificate.objects.filter(pk=exchange.certificate_id, revoked_at__isnull=False).exists():
            raise ExchangeError(  # rolls the completion back
                409, "certificate_revoked", _("This certificate has been revoked; it cannot be added to a wallet.")
            )
    return presentation_bytes(exchange.certificate.credential)
