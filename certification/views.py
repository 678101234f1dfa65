"""Public endpoints: DID documents, status lists, credentials, the verification page and service.

Thin callers of the services, selectors and verification modules. Every bad input gets a 4xx with
a message saying what is wrong; nothing here writes to the database except the status list's
cached signature.
"""

import json
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from courses.models import CoursePage

from .credentials import achievement
from .issuers import default_profile, did_document
from .keys import site_url
from .models import IssuerProfile, StatusList
from .selectors import certificate_by_id, certificates_of
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
    course = CoursePage.objects.live().public().filter(pk=pk).first()
    if course is None:
        return _error(_("No such achievement."), status=404)
    return _public_json(achievement(course, site=site_url()), content_type=JSON_LD)


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
    return render(
        request,
        "certification/verification_page.html",
        {"certificate": certificate, "result": result, "name": name, "subject_check": result.check("subject")},
    )


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/my_certificates.html", {"certificates": list(certificates_of(request.user))})
