"""Public endpoints: DID documents, status lists, credentials, the verification page and service,
and the wallet exchange; the learner's certificate pages.

Thin callers of the services, selectors, verification and exchange modules. Every bad input gets a
4xx with a message saying what is wrong; nothing here writes to the database except the status
list's cached signature, a learner's new wallet offer and the completion of an exchange.
"""

import json
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.competencies.models import Programme
from courses.competencies.selectors import competencies_by_key, programme_competency_keys, programme_rows, source_copies
from courses.models import CoursePage
from courses.publication import published_for_learners
from foundation import json_input

from .conf import certification_settings
from .credentials import achievement, programme_achievement
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
from .issuers import default_profile, did_document
from .keys import site_url
from .models import IssuerProfile, StatusList
from .offline import offline_messages, offline_trust
from .rendering import qr_svg_data_uri
from .selectors import (
    certificate_by_id,
    certificate_state,
    certificates_of,
    certification_histories,
    certification_history,
    course_title_for_reader,
)
from .services import signed_status_list
from .status_lists import StatusIndexError, bit_is_set
from .throttling import over_limit
from .verification import VerificationInputError, verify_credential

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
JSON_LD = "application/ld+json"


def _public_json(body: bytes | str | dict[str, Any], *, status: int = 200, content_type: str = "application/json"):
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=f"{content_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in other sites' pages and in wallets
    return response


def _error(message: str, *, status: int) -> HttpResponse:
    return _public_json({"error": message}, status=status)


@require_GET
def site_did_document(request: HttpRequest) -> HttpResponse:
    return _public_json(did_document(default_profile()), content_type="application/did+json")


@require_GET
def issuer_did_document(request: HttpRequest, slug: str) -> HttpResponse:
    profile = IssuerProfile.objects.filter(slug=slug, is_default=False).first()
    if profile is None:
        return _error(_("No issuer %(slug)s on this site.") % {"slug": slug}, status=404)
    return _public_json(did_document(profile), content_type="application/did+json")


@require_GET
def status_list(request: HttpRequest, pk: int) -> HttpResponse:
    found = StatusList.objects.select_related("issuer").filter(pk=pk).first()
    if found is None:
        return _error(_("No status list %(pk)s.") % {"pk": pk}, status=404)
    return _public_json(signed_status_list(status_list=found), content_type="application/vc+ld+json")


@require_GET
def status_entry(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    found = StatusList.objects.filter(pk=pk).only("bits", "size").first()
    if found is None:
        return _error(_("No status list %(pk)s.") % {"pk": pk}, status=404)
    try:
        revoked = bit_is_set(bytes(found.bits), index)
    except StatusIndexError as exc:
        return _error(str(exc), status=400)
    return _public_json({"statusList": pk, "statusListIndex": index, "revoked": revoked})


@require_GET
def course_achievement(request: HttpRequest, pk: int) -> HttpResponse:
    course = published_for_learners(CoursePage.objects.filter(pk=pk), user=request.user).first()
    if course is None:
        return _error(_("No such achievement."), status=404)
    return _public_json(achievement(course, site=site_url()), content_type=JSON_LD)


@require_GET
def programme_achievement_view(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The programme's achievement, as its credentials name it (by the programme's translation key)."""
    programme = source_copies(Programme).filter(translation_key=key).first()
    if programme is None:
        return _error(_("No such achievement."), status=404)
    language = programme.locale.language_code
    data = programme_achievement(
        programme,
        course_titles=[row.course.title for row in programme_rows(programme)],
        competencies=competencies_by_key(programme_competency_keys(programme), language),
        language=language,
        site=site_url(),
    )
    return _public_json(data, content_type=JSON_LD)


@require_GET
def credential_json(request: HttpRequest, certificate_id: uuid.UUID) -> HttpResponse:
    """The credential exactly as signed: these bytes were stored at issue and are never re-serialised."""
    certificate = certificate_by_id(certificate_id)
    if certificate is None:
        return _error(_("No certificate with this id."), status=404)
    response = _public_json(certificate.credential.encode("utf-8"), content_type="application/vc+ld+json")
    response["Content-Disposition"] = f'attachment; filename="credential-{certificate.pk}.json"'
    return response


def _own_certificate(request: HttpRequest, certificate_id: uuid.UUID):
    certificate = certificate_by_id(certificate_id)
    if certificate is None:
        raise Http404(_("No certificate with this id."))
    if certificate.user_id != request.user.pk and not request.user.is_staff:
        raise PermissionDenied(_("Only the learner and staff can download this certificate."))
    return certificate


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, certificate_id: uuid.UUID) -> FileResponse:
    certificate = _own_certificate(request, certificate_id)
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_GET
def certificate_badge(request: HttpRequest, certificate_id: uuid.UUID) -> FileResponse:
    certificate = _own_certificate(request, certificate_id)
    return FileResponse(
        certificate.badge.open("rb"),
        as_attachment=True,
        filename=f"badge-{certificate.pk}.png",
        content_type="image/png",
    )


@csrf_exempt  # a public, stateless API: no session or cookie gives the caller any power here
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Verify a credential posted as the body (JSON, PDF or PNG) or as the multipart file ``credential``."""
    if over_limit(request, scope="verify"):
        return _error(_("Too many verifications from your address; try again in a minute."), status=429)
    upload = request.FILES.get("credential")
    if upload is not None:
        if upload.size > MAX_UPLOAD_BYTES:
            return _error(_("The file is larger than 5 MB."), status=413)
        data = upload.read()
    else:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
            return _error(_("The file is larger than 5 MB."), status=413)
        data = request.body
    if not data:
        return _error(_("Post a credential (JSON, certificate PDF or baked PNG)."), status=400)
    params = request.POST if upload is not None else request.GET
    try:
        result = verify_credential(data=data, name=params.get("name", ""), email=params.get("email", ""))
    except VerificationInputError as exc:
        return _error(str(exc), status=exc.status)
    return _public_json(result.as_dict())


@require_GET
def verification_page(request: HttpRequest, certificate_id: uuid.UUID) -> HttpResponse:
    """What an employer sees after scanning the QR code: computed from the signed credential, every time."""
    if over_limit(request, scope="page"):
        return render(request, "certification/rate_limited.html", status=429)
    certificate = certificate_by_id(certificate_id)
    if certificate is None:
        return render(request, "certification/not_found.html", {"certificate_id": certificate_id}, status=404)
    name = request.GET.get("name", "").strip()[:300]
    result = verify_credential(data=certificate.credential.encode("utf-8"), name=name)
    course_title, course_language = course_title_for_reader(certificate, get_language())
    history = certification_history(certificate)
    for entry in history:
        entry.state = certificate_state(entry)
    return render(
        request,
        "certification/verification_page.html",
        {
            "certificate": certificate,
            "history": history,
            "result": result,
            "name": name,
            "subject_check": result.check("subject"),
            "registry_check": result.check("registry"),
            "course_title": course_title,
            "course_language": course_language,
        },
    )


@require_GET
def offline_check_data(request: HttpRequest) -> HttpResponse:
    """What the verification page's offline check loads when it is opened: the issuers' DID
    documents and status lists (to verify with no network) and its words in the page's language.
    Kept out of the page itself so that the page stays light for everyone who never opens it."""
    response = _public_json({"trust": offline_trust(), "messages": offline_messages()})
    response["Cache-Control"] = "no-store"  # the status lists' state is what the reader relies on
    return response


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    """The learner's certificates, each with its state; the standing one of a certification that was
    renewed or corrected carries the chain (oldest first)."""
    certificates = list(certificates_of(request.user))
    histories = certification_histories(user_id=request.user.pk)
    for certificate in certificates:
        certificate.state = certificate_state(certificate)
        chain = histories.get(certificate.course_id, [])
        certificate.chain = chain if len(chain) > 1 and chain[-1].pk == certificate.pk else None
    for chain in histories.values():
        for entry in chain:
            entry.state = certificate_state(entry)
    return render(request, "certification/my_certificates.html", {"certificates": certificates})


# --- "Add to a wallet": the learner's offer page and the public VC-API exchange -------------------

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
    response = _public_json(body, status=status)
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
