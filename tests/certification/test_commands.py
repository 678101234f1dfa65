import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from certification import keys
from certification.services import revoke_certificate
from certification.verification import verify_credential

from .conftest import ROOT


@pytest.fixture
def certificate(accredited_course, officer, issue):
    return issue(officer, accredited_course)


def run_verify(path, capsys, *extra):
    try:
        call_command("verify_credential", str(path), *extra)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return code, capsys.readouterr().out


def test_verify_credential_on_json_pdf_and_png(certificate, tmp_path, capsys):
    for name, field in (("c.json", None), ("c.pdf", certificate.pdf), ("c.png", certificate.badge)):
        path = tmp_path / name
        path.write_bytes(field.read() if field else certificate.credential.encode())
        code, out = run_verify(path, capsys, "--email", "officer@example.gov.bd")
        assert code == 0, out
        result = json.loads(out)
        assert result["genuine"] and result["checks"]["subject"]["passed"] is True
    revoke_certificate(certificate=certificate, reason="Issued in error")
    code, out = run_verify(tmp_path / "c.pdf", capsys)
    assert code == 1 and json.loads(out)["revoked"] is True


def test_verify_credential_bad_files(tmp_path, capsys, db):
    truncated = tmp_path / "t.pdf"
    truncated.write_bytes(b"%PDF-1.7\n1 0 obj")
    code, out = run_verify(truncated, capsys)
    assert code == 2 and "PDF" in json.loads(out)["error"]
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_credential", str(tmp_path / "missing.json"))


def test_export_writes_exact_bytes_did_documents_and_status_lists(certificate, tmp_path):
    call_command("export_credentials", str(tmp_path / "out"))
    out = tmp_path / "out"
    assert (out / "credentials" / f"{certificate.pk}.json").read_bytes() == certificate.credential.encode()
    assert (out / "credentials" / f"{certificate.pk}.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "credentials" / f"{certificate.pk}.png").read_bytes().startswith(b"\x89PNG")
    did = json.loads((out / "issuers" / "site.did.json").read_text())
    assert did["id"] == "did:web:learning.example.gov.bd"
    status = json.loads((out / "status" / f"{certificate.status_list_id}.json").read_text())
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]


def test_rotation_keeps_old_credentials_verifiable(certificate, accredited_course, citizen, issue, settings, capsys):
    call_command("generate_signing_key", "--key-file", settings.CERTIFICATION_KEY_FILE)
    assert "key-2" in capsys.readouterr().out
    stored = json.loads(Path(settings.CERTIFICATION_KEY_FILE).read_text())["keys"]
    assert [("secretKeyMultibase" in key, key.get("active", False)) for key in stored] == [(False, False), (True, True)]
    keys._cache.clear()
    newer = issue(citizen, accredited_course)
    assert newer.verification_method.endswith("#key-2") and certificate.verification_method.endswith("#key-1")
    assert verify_credential(data=certificate.credential.encode()).valid
    assert verify_credential(data=newer.credential.encode()).valid


def test_keys_from_the_environment(db, monkeypatch, settings, capsys):
    call_command("generate_signing_key", "--key-id", "key-7")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines() if not line.startswith("#"))
    monkeypatch.setenv("CERTIFICATION_SIGNING_KEY", lines["CERTIFICATION_SIGNING_KEY"])
    monkeypatch.setenv("CERTIFICATION_RETIRED_KEYS", "key-1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    ring = keys.key_ring()
    assert ring.active_id == "key-7" and [key.key_id for key in ring.published] == ["key-1", "key-7"]
    monkeypatch.setenv("CERTIFICATION_SIGNING_KEY", "key-7:znotakey")
    with pytest.raises(Exception, match="not usable"):
        keys.key_ring()


def test_production_refuses_to_invent_a_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "learning_site.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "learning.example.gov.bd",
        "LEARNING_SITE_URL": "https://learning.example.gov.bd",
        "CERTIFICATION_KEY_FILE": str(tmp_path / "absent.json"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("CERTIFICATION_SIGNING_KEY", None)
    code = "import django; django.setup(); from certification.keys import key_ring; key_ring()"
    completed = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode != 0 and "No certificate signing key" in completed.stderr
    assert not (tmp_path / "absent.json").exists()
