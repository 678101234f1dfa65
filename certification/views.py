"""Public endpoints: DID documents, status lists, credentials, the verification page and service;
the learner's certificate pages. "Add to a wallet" (the offer page and the VC-API exchange) is in
``wallet_views``.

Thin callers of the services, selectors, verification and exchange modules. Every bad input gets a
4xx with a message saying what is wrong; nothing here writes to the database except the status
list's cached signature, a learner's new wallet offer and the completion of an exchange.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from courses.competencies.models import Programme
from courses.competencies.selectors import competencies_by_key, programme_competency_keys, programme_rows, source_copies
from courses.models import CoursePage
from courses.publication import published_for_learners

from .credentials import achievement, programme_achievement
from .issuers import default_profile, did_document
from .keys import site_url
from .models import IssuerProfile, StatusList
from .offline import offline_messages, offline_trust
from .responses import error_json, public_json
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


@require_GET
def site_did_document(request: HttpRequest) -> HttpResponse:
    return public_json(did_document(default_profile()), content_type="application/did+json")


@require_GET
def issuer_did_document(request: HttpRequest, slug: str) -> HttpResponse:
    profile = IssuerProfile.objects.filter(slug=slug, is_default=False).first()
    if profile is None:
        return error_json(_("No issuer %(slug)s on this site.") % {"slug": slug}, status=404)
    return public_json(did_document(profile), content_type="application/did+json")


@require_GET
def status_list(request: HttpRequest, pk: int) -> HttpResponse:
    found = StatusList.objects.select_related("issuer").filter(pk=pk).first()
    if found is None:
        return error_json(_("No status list %(pk)s.") % {"pk": pk}, status=404)
    return public_json(signed_status_list(status_list=found), content_type="application/vc+ld+json")


@require_GET
def status_entry(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    found = StatusList.objects.filter(pk=pk).only("bits", "size").first()
    if found is None:
        return error_json(_("No status list %(pk)s.") % {"pk": pk}, status=404)
    try:
        revoked = bit_is_set(bytes(found.bits), index)
    except StatusIndexError as exc:
        return error_json(str(exc), status=400)
    return public_json({"statusList": pk, "statusListIndex": index, "revoked": revoked})


@require_GET
def course_achievement(request: HttpRequest, pk: int) -> HttpResponse:
    course = published_for_learners(CoursePage.objects.filter(pk=pk), user=request.user).first()
    if course is None:
        return error_json(_("No such achievement."), status=404)
    return public_json(achievement(course, site=site_url()), content_type=JSON_LD)


@require_GET
def programme_achievement_view(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The programme's achievement, as its credentials name it (by the programme's translation key)."""
    programme = source_copies(Programme).filter(translation_key=key).first()
    if programme is None:
        return error_json(_("No such achievement."), status=404)
    language = programme.locale.language_code
    data = programme_achievement(
        programme,
        course_titles=[row.course.title for row in programme_rows(programme)],
        competencies=competencies_by_key(programme_competency_keys(programme), language),
        language=language,
        site=site_url(),
    )
    return public_json(data, content_type=JSON_LD)


@require_GET
def credential_json(request: HttpRequest, certificate_id: uuid.UUID) -> HttpResponse:
    """The credential exactly as signed: these bytes were stored at issue and are never re-serialised."""
    certificate = certificate_by_id(certificate_id)
    if certificate is None:
        return error_json(_("No certificate with this id."), status=404)
    response = public_json(certificate.credential.encode("utf-8"), content_type="application/vc+ld+json")
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
        return error_json(_("Too many verifications from your address; try again in a minute."), status=429)
    upload = request.FILES.get("credential")
    if upload is not None:
        if upload.size > MAX_UPLOAD_BYTES:
            return error_json(_("The file is larger than 5 MB."), status=413)
        data = upload.read()
    else:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
            return error_json(_("The file is larger than 5 MB."), status=413)
        data = request.body
    if not data:
        return error_json(_("Post a credential (JSON, certificate PDF or baked PNG)."), status=400)
    params = request.POST if upload is not None else request.GET
    try:
        result = verify_credential(data=data, name=params.get("name", ""), email=params.get("email", ""))
    except VerificationInputError as exc:
        return error_json(str(exc), status=exc.status)
    return public_json(result.as_dict())


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
    response = public_json({"trust": offline_trust(), "messages": offline_messages()})
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
