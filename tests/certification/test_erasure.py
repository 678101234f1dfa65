"""After a learner is erased, the site stops showing their name on their certificates (the public
page, the API, the stored PDF), while the credential they hold still verifies, name check included."""

import io

from django.test import Client
from pypdf import PdfReader

from certification.models import AuditAction, AuditEntry, Certificate
from lms.services import erase_learner

NAME = "Nusrat Jahan"


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_erasure_withholds_the_name_and_the_held_credential_still_verifies(tree, officer, issue):
    certificate = issue(officer, tree.course)
    with certificate.pdf.open("rb") as stored:
        held_pdf = stored.read()  # the copy the learner downloaded before asking to be erased
    assert NAME in pdf_text(held_pdf)
    client = Client()
    assert NAME in client.get(f"/en/v/{certificate.pk}").content.decode()

    erase_learner(user=officer)

    certificate = Certificate.objects.get(pk=certificate.pk)
    page = client.get(f"/en/v/{certificate.pk}")
    assert page.status_code == 200
    assert NAME not in page.content.decode() and "Name withheld" in page.content.decode()
    api = client.get(f"/api/v1/certificates/{certificate.pk}/", HTTP_ACCEPT="application/json")
    assert api.status_code == 200 and NAME not in api.content.decode()
    assert api.json()["recipient_name"] == "" and api.json()["name_withheld"] is True
    with certificate.pdf.open("rb") as stored:
        reprinted = stored.read()
    assert NAME not in pdf_text(reprinted) and "withheld" in pdf_text(reprinted)
    assert AuditEntry.objects.filter(certificate=certificate, action=AuditAction.NAME_WITHHELD).count() == 1

    for document in (held_pdf, reprinted, certificate.credential.encode()):
        verified = client.post("/certificates/verify", data=document, content_type="application/octet-stream")
        assert verified.status_code == 200, verified.content[:300]
        result = verified.json()
        assert result["valid"] is True, result
    named = client.post(f"/certificates/verify?name={NAME}", data=held_pdf, content_type="application/pdf").json()
    assert named["checks"]["subject"]["passed"] is True
