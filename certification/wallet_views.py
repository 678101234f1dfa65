""" "Add to a wallet": the learner's offer page and the public VC-API exchange a wallet POSTs to.

The exchange id in the URL is the only authority on the exchange endpoints; no cookie is read there.
Nothing here writes to the database except a learner's new offer and the completion of an exchange.
"""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from foundation import json_input

from .conf import certification_settings
from .exchanges import (
    ExchangeError,
    OfferRefused,
    check_usable,
    claim,
    create_offer,
    find_exchange,
    interaction_url,
    is_open,
    lcw_deep_link,
    offer_for_display,
    protocols,
)
from .rendering import qr_svg_data_uri
from .responses import public_json
from .selectors import certificate_by_id
from .throttling import over_limit

MAX_EXCHANGE_BODY_BYTES = 64 * 1024
OFFERS_SESSION_KEY = "certification_wallet_offers"  # certificate id -> the exchange id shown to its holder


def _holders_certificate(request: HttpRequest, certificate_id: uuid.UUID):
    certificate = certificate_by_id(certificate_id)
    if certificate is None:
        raise Http404(_("No certificate with this id."))
    if certificate.user_id != request.user.pk:
        raise PermissionDenied(_("Only the holder of a certificate can add it to a wallet."))
    return certificate


@login_required
@require_http_methods(["GET", "POST"])
def wallet_offer(request: HttpRequest, certificate_id: uuid.UUID) -> HttpResponse:
    """GET: the current offer (QR code, deep link) or a button to make one. POST: make a new offer.

    The exchange id stays in the holder's session so that the page can show the offer again after
    the redirect (and say when the wallet has taken it); the database keeps only its hash.
    """
    certificate = _holders_certificate(request, certificate_id)
    offers = dict(request.session.get(OFFERS_SESSION_KEY, {}))
    context = {"certificate": certificate, "ttl_minutes": certification_settings.CERTIFICATION_EXCHANGE_TTL // 60}
    if request.method == "POST":
        try:
            offer = create_offer(certificate=certificate, holder=request.user)
        except OfferRefused as exc:
            return render(request, "certification/wallet.html", {**context, "refused": str(exc)}, status=409)
        offers[str(certificate.pk)] = offer.token
        request.session[OFFERS_SESSION_KEY] = offers
        return redirect("certification_pages:wallet", certificate_id=certificate.pk)
    token = offers.get(str(certificate.pk))
    offer = offer_for_display(token, certificate) if token else None
    if offer is not None and is_open(offer.exchange):
        context.update(
            offer=offer,
            deep_link_qr=qr_svg_data_uri(offer.deep_link),
            interaction_qr=qr_svg_data_uri(offer.interaction_url),
        )
    elif offer is not None:
        context["finished"] = offer.exchange
    response = render(request, "certification/wallet.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _exchange_json(body: bytes | dict[str, Any], *, status: int = 200) -> HttpResponse:
    response = public_json(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _exchange_error(exc: ExchangeError) -> HttpResponse:
    response = _exchange_json(exc.as_dict(), status=exc.status)
    if exc.status == 429:
        response["Retry-After"] = "60"
    return response


def _preflight(methods: str) -> HttpResponse:
    """CORS preflight: web wallets POST JSON from their own origin. No cookie is used or honoured."""
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = methods
    response["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response["Access-Control-Max-Age"] = "600"
    return response


def _rate_limited() -> ExchangeError:
    return ExchangeError(429, "rate_limited", _("Too many requests from your address; try again in a minute."))


def _read_wallet_message(request: HttpRequest) -> dict[str, Any]:
    """The wallet's POST body: a JSON object, normally {} (VC API: "an empty body starts the exchange")."""
    if request.content_type != "application/json":
        raise ExchangeError(
            415, "unsupported_media_type", _("Post JSON with Content-Type: application/json, for example {}.")
        )
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ExchangeError(400, "malformed_body", _("The Content-Length header is not a number.")) from None
    if declared > MAX_EXCHANGE_BODY_BYTES or len(request.body) > MAX_EXCHANGE_BODY_BYTES:
        raise ExchangeError(
            413, "body_too_large", _("The body is larger than 64 KB; post {} to receive the credential.")
        )
    try:
        message = json_input.loads(request.body)
    except json_input.JsonInputError:
        raise ExchangeError(
            400, "malformed_body", _("The body is not valid JSON; post {} to receive the credential.")
        ) from None
    if not isinstance(message, dict):
        raise ExchangeError(400, "malformed_body", _("Post a JSON object, for example {}."))
    if "verifiablePresentationRequest" in message:
        raise ExchangeError(
            400,
            "unsupported_message",
            _("This exchange delivers a credential; it does not answer presentation requests."),
        )
    if not isinstance(message.get("verifiablePresentation", {}), dict):
        raise ExchangeError(400, "malformed_body", _("verifiablePresentation must be a JSON object."))
    return message


@csrf_exempt  # the exchange id in the URL is the only authority; no cookie is read
def exchange(request: HttpRequest, token: str) -> HttpResponse:
    """VC-API exchange: a wallet POSTs {} and receives the credential in a verifiablePresentation, once."""
    if request.method == "OPTIONS":
        return _preflight("POST, OPTIONS")
    if request.method != "POST":
        response = _exchange_error(ExchangeError(405, "method_not_allowed", _("Wallets POST {} to this exchange.")))
        response["Allow"] = "POST, OPTIONS"
        return response
    if over_limit(request, scope="exchange", rate=certification_settings.CERTIFICATION_EXCHANGE_RATE):
        return _exchange_error(_rate_limited())
    try:
        _read_wallet_message(request)  # an offered presentation was not asked for: it is neither kept nor trusted
        body = claim(token)
    except ExchangeError as exc:
        return _exchange_error(exc)
    return _exchange_json(body)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def exchange_protocols(request: HttpRequest, token: str) -> HttpResponse:
    """The VC API interaction URL (``?iuv=1``): ``{"protocols": {"vcapi": ...}}`` for a wallet asking for
    JSON, a page with the wallet link for a browser (a phone's camera app). Reading it uses nothing up."""
    if request.method == "OPTIONS":
        return _preflight("GET, HEAD, OPTIONS")
    wants_json = request.get_preferred_type(["application/json", "text/html"]) != "text/html"
    try:
        if over_limit(request, scope="exchange", rate=certification_settings.CERTIFICATION_EXCHANGE_RATE):
            raise _rate_limited()
        exchange = check_usable(find_exchange(token))
    except ExchangeError as exc:
        if wants_json:
            response = _exchange_error(exc)
        else:
            response = render(request, "certification/wallet_interaction.html", {"error": exc}, status=exc.status)
            response["Cache-Control"] = "no-store"
        response["Vary"] = "Accept"
        return response
    if wants_json:
        response = _exchange_json({"protocols": protocols(token)})
    else:
        context = {"exchange": exchange, "deep_link": lcw_deep_link(token), "interaction_url": interaction_url(token)}
        response = render(request, "certification/wallet_interaction.html", context)
        response["Cache-Control"] = "no-store"
    response["Vary"] = "Accept"
    return response
