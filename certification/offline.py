"""What the verification page hands the browser so that it can verify a QR payload with no network:
every issuer's DID document and every status list, as the site serves them at that moment."""

import json
from typing import Any

from django.utils.translation import gettext

from .addresses import status_list_url
from .issuers import did_document, issuer_did
from .models import IssuerProfile, StatusList
from .services import signed_status_list


def offline_trust() -> dict[str, Any]:
    """``documents``: URL → document for the verifier's loader; ``statusLists``: each list's URL and
    date, which the page shows so the reader knows how fresh the revocation check is."""
    documents: dict[str, Any] = {}
    for profile in IssuerProfile.objects.all():
        documents[issuer_did(profile)] = did_document(profile)
    lists = []
    for status_list in StatusList.objects.select_related("issuer"):
        url = status_list_url(status_list)
        signed = json.loads(signed_status_list(status_list=status_list))
        documents[url] = signed
        lists.append({"url": url, "validFrom": signed["validFrom"]})
    return {"documents": documents, "statusLists": lists}


def offline_messages() -> dict[str, str]:
    """The offline check's words, in the page's language."""
    return {
        "valid": gettext("Genuine: the issuer's signature is valid and the certificate was not revoked."),
        "revoked": gettext("Genuine, but revoked by the issuer."),
        "expired": gettext("Genuine, but expired."),
        "altered": gettext("Not genuine: the signature does not match, the payload was altered or forged."),
        "otherIssuer": gettext("Signed by another issuer, not by this site: check it with that issuer's tools."),
        "unknownStatusList": gettext("Its revocation list is not one this page knows: reload the page online."),
        "truncated": gettext("The QR payload is truncated or damaged: scan the whole code again."),
        "notBase32": gettext("The QR payload has characters a certificate's QR code never has: it was altered."),
        "notPayload": gettext("This is not a certificate's QR payload."),
        "unreadable": gettext("The QR payload cannot be read."),
        "course": gettext("Course"),
        "issuer": gettext("Issuer"),
        "key": gettext("Signing key"),
        "statusListOf": gettext("Revocation list as of"),
        "credentialId": gettext("Credential"),
    }
