"""The verification page checks a certificate's QR payload in the browser with the network cut:
Digital Bazaar's verifier bundled and served by the site, the issuer's key and status list in the page."""

import json
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from certification import keys
from certification.paper_qr import paper_qr
from certification.services import issue_certificate, revoke_certificate
from lms.models import Enrolment, EnrolmentStatus
from tests.factories import CoursePageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "certification" / "verifier" / "offline-verifier.mjs"
BUNDLE = ROOT / "certification" / "static" / "certification" / "offline-verifier.js"


@pytest.fixture(scope="session")
def verifier_bundle():
    """The bundle `make frontend` builds (npm run build), built here when missing or stale."""
    if not BUNDLE.exists() or BUNDLE.stat().st_mtime < SOURCE.stat().st_mtime:
        built = subprocess.run(["npm", "run", "-s", "build"], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert built.returncode == 0, built.stderr
    return BUNDLE


@pytest.fixture
def certificates(settings, tmp_path, tree):
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "keys" / "certification.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    keys._cache.clear()

    def certificate_for(user, course):
        enrolment = Enrolment.objects.create(
            user=user,
            course=course,
            status=EnrolmentStatus.COMPLETED,
            progress_percent=100,
            completed_at=timezone.now(),
        )
        return issue_certificate(enrolment=enrolment)

    bengali = CoursePageFactory(parent=tree.catalogue, title="অনলাইন সরকারি সেবা", language="bn", slug="online-bn")
    return {
        "mine": certificate_for(UserFactory(username="nusrat", first_name="Nusrat", last_name="Jahan"), tree.course),
        "bengali": certificate_for(UserFactory(username="rahim", first_name="রহিম", last_name="উদ্দিন"), bengali),
        "revoked": certificate_for(UserFactory(username="karim", first_name="Karim"), tree.course),
    }


def qr_text(certificate, credential: bytes | None = None) -> str:
    url = f"https://learning.example.gov.bd/v/{certificate.pk}"
    return paper_qr(url, credential or certificate.credential.encode()).text


def outcome(page, text: str) -> str:
    page.fill("#payload", text)
    page.click("#offline-check button[type=submit]")
    page.wait_for_function("document.getElementById('offline-result').dataset.outcome")
    answer = page.eval_on_selector("#offline-result", "el => el.dataset.outcome")
    page.eval_on_selector("#offline-result", "el => { delete el.dataset.outcome; }")
    return answer


def test_a_pasted_payload_is_verified_with_the_network_off(
    live_server, chromium, verifier_bundle, certificates, settings
):
    revoke_certificate(certificate=certificates["revoked"], reason="Issued in error")
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/en/v/{certificates['mine'].pk}", wait_until="networkidle")
    assert not page.evaluate("!!document.getElementById('offline-verifier')")  # not loaded until wanted
    page.click("#offline summary")
    page.wait_for_selector("#offline-check[data-ready=true]", state="attached")
    assert page.locator("#offline time").count() >= 1  # the status list's date is shown
    context.set_offline(True)

    assert outcome(page, qr_text(certificates["mine"])) == "valid"
    result = page.inner_text("#offline-result")
    assert "#key-" in result and "Revocation list as of" in result
    assert outcome(page, qr_text(certificates["bengali"])) == "valid"  # any certificate of the site
    assert outcome(page, qr_text(certificates["revoked"])) == "revoked"

    text = qr_text(certificates["mine"])
    assert outcome(page, text[: len(text) - 30]) == "truncated"
    assert outcome(page, text[:-4] + "1111") == "notBase32"
    altered = json.loads(certificates["mine"].credential)
    altered["credentialSubject"]["creditsEarned"] = 99
    assert outcome(page, qr_text(certificates["mine"], json.dumps(altered).encode())) == "altered"
    foreign = json.loads(certificates["mine"].credential)
    foreign["issuer"]["id"] = "did:web:training.example.org"
    assert outcome(page, qr_text(certificates["mine"], json.dumps(foreign).encode())) == "otherIssuer"
    assert outcome(page, "https://example.org/not-a-certificate") == "notPayload"
    context.close()


def test_a_scanned_qr_opens_the_page_and_checks_itself(live_server, chromium, verifier_bundle, certificates, settings):
    certificate = certificates["bengali"]
    url = paper_qr(f"{live_server.url}/v/{certificate.pk}", certificate.credential.encode()).text
    context = chromium.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(url.replace("/v/", "/bn/v/"), wait_until="networkidle")
    page.wait_for_function("document.getElementById('offline-result').dataset.outcome")
    assert page.eval_on_selector("#offline-result", "el => el.dataset.outcome") == "valid"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    context.close()
