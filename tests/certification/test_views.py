import io
import json
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from certification.models import Certificate, StatusList
from certification.services import revoke_certificate
from certification.status_lists import bit_is_set, decode_bits
from certification.verification import verify_credential

from .conftest import run_digitalbazaar


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def certificate(accredited_course, officer, issue) -> Certificate:
    return issue(officer, accredited_course)


def test_did_document_lists_the_keys(client, certificate):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "did:web:learning.example.gov.bd"
    assert certificate.verification_method in document["assertionMethod"]
    assert client.get("/issuers/nobody/did.json").status_code == 404


def test_credential_is_served_byte_for_byte(client, certificate):
    response = client.get(f"/certificates/{certificate.pk}/credential.json")
    assert response.status_code == 200
    assert response.content == certificate.credential.encode("utf-8")
    assert client.get(f"/certificates/{uuid.uuid4()}/credential.json").status_code == 404


def test_status_list_is_signed_and_shows_revocation(client, certificate):
    def revoked() -> bool:
        served = client.get(f"/certificates/status/{certificate.status_list_id}").json()
        return bit_is_set(decode_bits(served["credentialSubject"]["encodedList"]), certificate.status_index)

    assert not revoked()
    revoke_certificate(certificate=certificate, reason="Issued in error")
    assert revoked()
    entry = client.get(f"/certificates/status/{certificate.status_list_id}/{certificate.status_index}")
    assert entry.json()["revoked"] is True
    out_of_range = client.get(f"/certificates/status/{certificate.status_list_id}/999999999")
    assert out_of_range.status_code == 400 and "outside the list" in out_of_range.json()["error"]
    assert client.get("/certificates/status/9999").status_code == 404


def test_verification_page_in_both_languages(client, certificate):
    redirect = client.get(f"/v/{certificate.pk}", HTTP_ACCEPT_LANGUAGE="bn")
    assert redirect.status_code == 302 and redirect["Location"] == f"/bn/v/{certificate.pk}"
    page = client.get(f"/en/v/{certificate.pk}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Genuine certificate" in body and "Nusrat Jahan" in body and "4.5" in body
    assert client.get(f"/bn/v/{certificate.pk}").status_code == 200
    named = client.get(f"/en/v/{certificate.pk}", {"name": "  nusrat   JAHAN "}).content.decode()
    assert "The name matches the certificate." in named
    other = client.get(f"/en/v/{certificate.pk}", {"name": "Someone Else"}).content.decode()
    assert "The name does not match the certificate." in other
    revoke_certificate(certificate=certificate, reason="Issued in error")
    assert "Genuine, but revoked" in client.get(f"/en/v/{certificate.pk}").content.decode()
    missing = client.get(f"/en/v/{uuid.uuid4()}")
    assert missing.status_code == 404 and "Certificate not found" in missing.content.decode()


BENGALI_LETTERS = range(0x0980, 0x0A00)


def has_bengali(text: str) -> bool:
    return any(ord(char) in BENGALI_LETTERS for char in text)


def checks_list(page) -> str:
    """The page's list of checks: the <ul> after the "Checks" heading."""
    body = page.content.decode()
    start = body.index("<ul>", body.index("<h2>"))
    return body[start : body.index("</ul>", start)]


def test_verification_page_check_details_follow_the_page_language(client, certificate):
    for state in ("genuine", "revoked"):
        if state == "revoked":
            revoke_certificate(certificate=certificate, reason="Issued in error")
        result = verify_credential(data=certificate.credential.encode(), name="Nusrat Jahan")
        english = checks_list(client.get(f"/en/v/{certificate.pk}", {"name": "Nusrat Jahan"}))
        bengali = checks_list(client.get(f"/bn/v/{certificate.pk}", {"name": "Nusrat Jahan"}))
        for check in result.checks:
            with translation.override("en"):
                in_english = check.detail
            with translation.override("bn"):
                in_bengali, label = check.detail, check.label
            assert has_bengali(in_bengali) and not has_bengali(in_english), check.code
            assert escape(in_bengali) in bengali and escape(in_english) not in bengali, check.code
            assert escape(label) in bengali
            assert escape(in_english) in english and escape(in_bengali) not in english, check.code
        assert not has_bengali(english)
        status = {
            "genuine": ("Not revoked.", "বাতিল করা হয়নি।"),
            "revoked": ("Revoked by the issuer.", "সনদ প্রদানকারী এটি বাতিল করেছে।"),
        }
        assert status[state][0] in english and status[state][1] in bengali
        assert "eddsa-rdfc-2022 স্বাক্ষরটি ক্রেডেনশিয়ালের সঙ্গে মিলেছে।" in bengali


def test_verify_endpoint_answers_in_the_negotiated_language_with_the_same_codes(client, certificate):
    def verify(data: bytes, **headers):
        return client.post("/certificates/verify", data=data, content_type="application/octet-stream", **headers)

    pdf = certificate.pdf.read()
    english = verify(pdf).json()
    bengali = verify(pdf, HTTP_ACCEPT_LANGUAGE="bn").json()
    assert english["valid"] is bengali["valid"] is True
    assert {name: (c["passed"], c["code"]) for name, c in english["checks"].items()} == {
        name: (c["passed"], c["code"]) for name, c in bengali["checks"].items()
    }
    assert english["checks"]["status"] == {"passed": True, "code": "not_revoked", "detail": "Not revoked."}
    assert bengali["checks"]["status"] == {"passed": True, "code": "not_revoked", "detail": "বাতিল করা হয়নি।"}
    assert all(has_bengali(check["detail"]) for check in bengali["checks"].values())
    assert not any(has_bengali(check["detail"]) for check in english["checks"].values())
    no_credential_png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(no_credential_png, format="PNG")
    for data in (pdf[:2000], no_credential_png.getvalue(), b"GIF89a"):
        refused_en, refused_bn = verify(data), verify(data, HTTP_ACCEPT_LANGUAGE="bn")
        assert refused_en.status_code == refused_bn.status_code == 400
        assert not has_bengali(refused_en.json()["error"]) and has_bengali(refused_bn.json()["error"])


def test_verification_page_escapes_names(client, accredited_course, issue):
    from tests.factories import UserFactory

    user = UserFactory(first_name="<script>alert(1)</script>", last_name="X")
    certificate = issue(user, accredited_course)
    body = client.get(f"/en/v/{certificate.pk}").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_verify_endpoint_accepts_json_pdf_and_png(client, certificate):
    for data, content_type in [
        (certificate.credential.encode(), "application/json"),
        (certificate.pdf.read(), "application/pdf"),
        (certificate.badge.read(), "image/png"),
    ]:
        response = client.post("/certificates/verify", data=data, content_type=content_type)
        assert response.status_code == 200, response.content
        assert response.json()["valid"] is True
        assert set(response.json()["checks"]) == {"signature", "issuer", "validity", "status", "subject", "registry"}
    upload = io.BytesIO(certificate.credential.encode())
    upload.name = "credential.json"
    response = client.post("/certificates/verify", {"credential": upload, "email": "officer@example.gov.bd"})
    assert response.json()["checks"]["subject"]["passed"] is True


def test_verify_endpoint_bad_input_gets_4xx_and_changes_nothing(client, certificate):
    credential = json.loads(certificate.credential)
    foreign = {**credential, "issuer": {**credential["issuer"], "id": "did:web:elsewhere.example"}}
    no_credential_png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(no_credential_png, format="PNG")
    bad_index = json.loads(certificate.credential)
    bad_index["credentialStatus"]["statusListIndex"] = "99999999"
    cases = [
        (b"{not json", 400, "not valid JSON"),
        (b"[1, 2]", 400, "Expected a credential"),
        (json.dumps({"@context": []}).encode(), 400, "@context"),
        (json.dumps(foreign).encode(), 422, "not an issuer of this site"),
        (certificate.pdf.read()[:2000], 400, "PDF"),
        (no_credential_png.getvalue(), 400, "no openbadgecredential"),
        (json.dumps(bad_index).encode(), 400, "outside the list"),
        (b"", 400, "Post a credential"),
    ]
    before = (Certificate.objects.count(), StatusList.objects.get().version)
    for data, status, message in cases:
        response = client.post("/certificates/verify", data=data, content_type="application/octet-stream")
        assert response.status_code == status, (data[:40], response.content)
        assert message.lower() in response.json()["error"].lower()
    assert (Certificate.objects.count(), StatusList.objects.get().version) == before


def test_tampered_credential_is_not_genuine(client, certificate):
    credential = json.loads(certificate.credential)
    credential["credentialSubject"]["creditsEarned"] = 99
    response = client.post("/certificates/verify", data=json.dumps(credential), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["genuine"] is False and response.json()["checks"]["signature"]["passed"] is False


def test_verify_endpoint_is_rate_limited(client, certificate, settings):
    settings.CERTIFICATION_VERIFY_RATE = "3/m"
    statuses = [
        client.post("/certificates/verify", data=certificate.credential, content_type="application/json").status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_pdf_and_badge_only_for_the_learner_and_staff(client, certificate, officer, admin_user):
    from tests.factories import UserFactory

    pdf_url = f"/certificates/{certificate.pk}/certificate.pdf"
    assert client.get(pdf_url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(pdf_url).status_code == 403
    client.force_login(officer)
    assert b"".join(client.get(pdf_url).streaming_content).startswith(b"%PDF")
    assert client.get(f"/certificates/{certificate.pk}/badge.png").status_code == 200
    client.force_login(admin_user)
    assert client.get(pdf_url).status_code == 200


def test_my_certificates_lists_with_fixed_queries(client, officer, accredited_course, bengali_course, issue):
    client.force_login(officer)
    issue(officer, accredited_course)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/en/certificates/").status_code == 200
    issue(officer, bengali_course)
    with CaptureQueriesContext(connection) as two:
        body = client.get("/en/certificates/").content.decode()
    assert len(two) == len(one)
    assert "অনলাইন সরকারি সেবা" in body


def test_served_documents_satisfy_digitalbazaar(client, certificate):
    """The verifier gets the DID document and status list exactly as the site serves them."""
    documents = {
        "did:web:learning.example.gov.bd": client.get("/.well-known/did.json").json(),
        f"https://learning.example.gov.bd/certificates/status/{certificate.status_list_id}": client.get(
            f"/certificates/status/{certificate.status_list_id}"
        ).json(),
    }
    credential = json.loads(client.get(f"/certificates/{certificate.pk}/credential.json").content)
    [result] = run_digitalbazaar([credential], documents)
    assert result["verified"] and result["revoked"] is False
    revoke_certificate(certificate=certificate, reason="Issued in error")
    documents[f"https://learning.example.gov.bd/certificates/status/{certificate.status_list_id}"] = client.get(
        f"/certificates/status/{certificate.status_list_id}"
    ).json()
    [result] = run_digitalbazaar([credential], documents)
    assert result["verified"] and result["revoked"] is True


def test_each_issuer_profile_publishes_its_own_did_document(client, accredited_course, officer, issue):
    from certification.models import IssuerProfile

    IssuerProfile.objects.create(
        name="BPATC",
        slug="bpatc",
        url="https://bpatc.example.gov.bd/",
        accrediting_body=accredited_course.accrediting_body,
    )
    certificate = issue(officer, accredited_course)
    document = client.get("/issuers/bpatc/did.json").json()
    assert document["id"] == "did:web:learning.example.gov.bd:issuers:bpatc"
    assert certificate.verification_method in document["assertionMethod"]
    assert all(method["controller"] == document["id"] for method in document["verificationMethod"])


def test_structurally_odd_credentials_get_an_answer_not_a_500(client, certificate):
    credential = json.loads(certificate.credential)
    for subject in (["not", "an", "object"], 42, {"@id": {"nested": "object"}}):
        odd = {**credential, "credentialSubject": subject}
        response = client.post("/certificates/verify", data=json.dumps(odd), content_type="application/json")
        assert response.status_code in {200, 400}, response.content
        if response.status_code == 200:
            assert response.json()["genuine"] is False


def test_the_offline_check_loads_every_issuer_key_and_status_list(client, accredited_course, officer, issue):
    certificate = issue(officer, accredited_course)
    response = client.get("/en/certificates/offline-check.json")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    data = response.json()
    credential = json.loads(certificate.credential)
    status = credential["credentialStatus"]["statusListCredential"]
    assert credential["issuer"]["id"] in data["trust"]["documents"]
    assert data["trust"]["documents"][status]["type"][-1] == "BitstringStatusListCredential"
    assert [item["url"] for item in data["trust"]["statusLists"]] == [status]
    assert set(data["messages"]) >= {"valid", "revoked", "altered", "otherIssuer", "truncated"}
