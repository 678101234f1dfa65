"""`make serve HOST=...` issues certificates whose QR code, DID and verification page open on that
address: the Makefile's own value of LEARNING_SITE_URL, a live server on a free port standing in
for the development server, and the QR read off the rendered PDF with zbar."""

import subprocess
from urllib.parse import quote, urlsplit

import pytest
import requests

from .conftest import ROOT
from .test_paper_qr import qr_off_the_page, tools


def site_url_from_makefile(host: str) -> str:
    """What `make serve HOST=<host>` exports as LEARNING_SITE_URL (the real Makefile, nothing run)."""
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", "print-site-url: ; @echo $$LEARNING_SITE_URL"]
        + ["print-site-url", f"HOST={host}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_makefile_derives_the_site_address_from_host():
    assert site_url_from_makefile("127.0.0.1:8201") == "http://127.0.0.1:8201"
    assert site_url_from_makefile("0.0.0.0:9000") == "http://0.0.0.0:9000"


@pytest.mark.django_db(transaction=True)
def test_a_certificate_issued_under_make_serve_host_opens_on_that_port(
    live_server, settings, accredited_course, officer, issue, tmp_path
):
    tools()
    port = urlsplit(live_server.url).port
    settings.WAGTAILADMIN_BASE_URL = site_url_from_makefile(f"127.0.0.1:{port}")
    served = f"http://127.0.0.1:{port}"
    certificate = issue(officer, accredited_course)

    qr_text = qr_off_the_page(certificate.pdf.read(), tmp_path)
    assert qr_text.startswith(f"{served}/v/{certificate.pk}#vc=B"), qr_text[:80]
    page = requests.get(qr_text.split("#")[0], timeout=30)
    assert page.status_code == 200 and "Nusrat Jahan" in page.text

    did = f"did:web:{quote(f'127.0.0.1:{port}', safe='')}"
    document = requests.get(f"{served}/.well-known/did.json", timeout=30).json()
    assert document["id"] == did
    assert did in certificate.credential
    assert f"{served}/certificates/status/" in certificate.credential
