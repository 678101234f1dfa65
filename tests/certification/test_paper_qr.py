"""The QR code printed on every certificate carries its credential: read off the rendered page with
real tools (poppler's pdftoppm, zbar's zbarimg), decoded and verified by third-party code under Node
(base32-decode, Node's zlib, Digital Bazaar's verifier), and every credential kind passes 1EdTech's
AchievementCredential JSON schema."""

import base64
import io
import json
import os
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft201909Validator
from PIL import Image

from certification import qr_symbols, rendering
from certification.paper_qr import QR_MAX_VERSION, credential_from_qr_text, paper_qr
from certification.services import reissue_certificate
from tests.factories import CoursePageFactory, UserFactory

from .conftest import run_digitalbazaar

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_text())
DZONGKHA_NAME, DZONGKHA_TITLE = "བཀྲ་ཤིས་རྡོ་རྗེ་", "གློག་རིག་གཞུང་སྐྱོང་"


def tools():
    missing = [tool for tool in ("pdftoppm", "zbarimg") if not shutil.which(tool)]
    if missing:
        message = f"{', '.join(missing)} not installed (apt-get install poppler-utils zbar-tools)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def qr_off_the_page(pdf: bytes, tmp_path: Path) -> str:
    """What a reader decodes from the first page, rendered at 200 dpi as a printer would."""
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert read.returncode == 0, read.stderr
    return read.stdout.strip()


@pytest.fixture
def three_scripts(accredited_course, bengali_course, officer, citizen, tree, issue):
    dzongkha_course = CoursePageFactory(parent=tree.catalogue, title=DZONGKHA_TITLE, slug="e-governance-dz")
    dzongkha = UserFactory(username="tashi", first_name=DZONGKHA_NAME, last_name="", email="tashi@example.bt")
    return {
        "Latin": issue(officer, accredited_course, score=Decimal("0.92")),
        "Bengali": issue(citizen, bengali_course),
        "Dzongkha": issue(dzongkha, dzongkha_course),
    }


def test_every_certificates_qr_carries_its_credential_and_verifies_offline(three_scripts, tmp_path):
    tools()
    texts = {}
    for script, certificate in three_scripts.items():
        text = qr_off_the_page(certificate.pdf.read(), tmp_path)
        url = f"https://learning.example.gov.bd/v/{certificate.pk}"
        assert text.startswith(url + "#vc=B"), f"{script}: {text[:100]}"  # a camera app opens the page
        assert credential_from_qr_text(text) == certificate.credential.encode("utf-8")  # the exact bytes
        assert paper_qr(url, certificate.credential.encode()).code.version <= QR_MAX_VERSION
        texts[script] = text
    results = run_digitalbazaar(qr_texts=list(texts.values()))
    for script, result in zip(texts, results, strict=True):
        assert result["verified"] and not result["revoked"] and result["statusChecked"], (script, result)


def test_a_payload_of_a_tampered_credential_is_refused_by_the_third_party_verifier(three_scripts):
    certificate = three_scripts["Bengali"]
    tampered = json.loads(certificate.credential)
    tampered["credentialSubject"]["achievement"]["name"] = "অন্য কোর্স"
    text = paper_qr(f"https://learning.example.gov.bd/v/{certificate.pk}", json.dumps(tampered).encode()).text
    [result] = run_digitalbazaar(qr_texts=[text])
    assert not result["verified"]


def test_the_server_names_a_truncated_an_altered_and_another_issuers_payload(client, three_scripts):
    certificate = three_scripts["Latin"]
    text = paper_qr(f"https://learning.example.gov.bd/v/{certificate.pk}", certificate.credential.encode()).text

    def verify(body: str):
        return client.post("/certificates/verify", body.encode(), content_type="text/plain")

    assert verify(text).json()["valid"] is True
    truncated = verify(text[: len(text) - 40])
    assert truncated.status_code == 400 and "truncated" in truncated.json()["error"]
    altered = json.loads(certificate.credential)
    altered["credentialSubject"]["creditsEarned"] = 40
    answer = verify(paper_qr("https://x/v/1", json.dumps(altered).encode()).text).json()
    assert answer["genuine"] is False and answer["checks"]["signature"]["code"] == "signature_mismatch"
    foreign = json.loads(certificate.credential)
    foreign["issuer"]["id"] = "did:web:training.example.org"
    stranger = verify(paper_qr("https://x/v/1", json.dumps(foreign).encode()).text)
    assert stranger.status_code == 422 and "did:web:training.example.org" in stranger.json()["error"]


def test_every_credential_kind_passes_the_1edtech_schema(three_scripts, accredited_course, officer, issue):
    expiring_course = CoursePageFactory(parent=accredited_course.get_parent(), title="Cyber hygiene", slug="cyber")
    expiring_course.certificate_valid_months = 24
    expiring_course.save_revision().publish()
    expiring = issue(UserFactory(username="rina"), expiring_course, completed_at=timezone.now() - timedelta(days=3))
    reissued = reissue_certificate(
        certificate=three_scripts["Latin"], reason="Name misspelt", recipient_name="N. Jahan"
    )
    validator = Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)
    kinds = {**three_scripts, "expiring": expiring, "re-issued": reissued}
    for kind, certificate in kinds.items():
        credential = json.loads(certificate.credential)
        errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(credential)]
        assert errors == [], kind
    assert "validUntil" in json.loads(expiring.credential)
    # the proof as an object, as credentials had it before, is what the schema refused
    old_style = json.loads(reissued.credential)
    old_style["proof"] = old_style["proof"][0]
    assert not validator.is_valid(old_style)


@pytest.mark.parametrize("encoder", ["libqrencode", "segno"])
def test_both_encoders_draw_a_code_that_a_reader_decodes(encoder, monkeypatch, tmp_path, three_scripts):
    tools()
    if encoder == "segno":
        monkeypatch.setattr(qr_symbols, "_libqrencode", lambda: None)
    elif qr_symbols.encoder_name() != "libqrencode":
        pytest.skip("libqrencode is not installed (apt-get install libqrencode4): segno is used")
    certificate = three_scripts["Bengali"]
    qr = paper_qr(f"https://learning.example.gov.bd/v/{certificate.pk}", certificate.credential.encode())
    assert qr.code.encoder == encoder and qr.carries_credential
    png = base64.b64decode(rendering.qr_data_uri(qr.code).partition(",")[2])
    (tmp_path / "qr.png").write_bytes(png)
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True)
    assert read.stdout.strip() == qr.text


@pytest.mark.parametrize("scale,border", [(4, 2), (1, 0), (3, 4)])
def test_the_printed_png_has_one_square_of_scale_pixels_per_module(scale, border):
    qr = paper_qr("https://learning.example.gov.bd/v/1", b'{"name": "x"}')
    image = Image.open(io.BytesIO(base64.b64decode(rendering.qr_data_uri(qr.code, scale=scale, border=border)[22:])))
    side = (qr.code.width + 2 * border) * scale
    assert image.format == "PNG" and image.mode == "1" and image.size == (side, side)
    pixels = image.convert("L").tobytes()
    for y in range(side):
        for x in range(side):
            row, column = y // scale - border, x // scale - border
            inside = 0 <= row < qr.code.width and 0 <= column < qr.code.width
            dark = inside and qr.code.modules[row * qr.code.width + column] == 1
            assert pixels[y * side + x] == (0 if dark else 255), (x, y)
