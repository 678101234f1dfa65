"""Registries of accredited issuers: the verifier reading real registries over HTTP, and DCC's
registry client reading the one the site publishes from a live server."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from certification.issuers import issuer_did
from certification.registries.models import AccreditedIssuer
from certification.verification import verify_credential
from tests.node_scripts import run_script

from .registry_server import RegistryServer

ROOT = Path(__file__).resolve().parents[3]
CLIENT = Path(__file__).with_name("registry_client.mjs")
MINISTRY = "Ministry of Public Administration"


@pytest.fixture
def certificate(accredited_course, officer, issue):
    return issue(officer, accredited_course)


@pytest.fixture
def issuer(certificate) -> str:
    return issuer_did(certificate.issuer)


@pytest.fixture
def server():
    with RegistryServer() as running:
        yield running


def dcc(entries: dict) -> bytes:
    return json.dumps({"meta": {"created": "2026-11-01T00:00:00Z"}, "registry": entries}).encode()


def verify(certificate):
    return verify_credential(data=certificate.credential.encode()).as_dict()


def test_no_registry_configured_says_so_and_the_credential_stays_valid(certificate, settings):
    settings.CERTIFICATION_ISSUER_REGISTRIES = []
    result = verify(certificate)
    assert result["valid"] is True
    assert result["checks"]["registry"]["passed"] is None
    assert result["checks"]["registry"]["code"] == "registry_none_configured"
    assert result["listed_by"] == [] and result["registries"] == []


def test_the_verifier_reads_a_registry_from_another_http_server_and_caches_it(certificate, issuer, server, settings):
    url = server.serve("/registry.json", dcc({issuer: {"name": "BPATC", "url": "https://bpatc.gov.bd"}}))
    settings.CERTIFICATION_ISSUER_REGISTRIES = [{"name": MINISTRY, "url": url, "ttl": 600}]
    result = verify(certificate)
    assert result["valid"] is True
    assert result["checks"]["registry"] == {
        "passed": True,
        "code": "registry_listed",
        "detail": f"Listed by {MINISTRY} as BPATC.",
    }
    assert result["listed_by"] == [{"registry": MINISTRY, "name": "BPATC", "detail": f"Listed by {MINISTRY} as BPATC."}]
    for _ in range(3):
        assert verify(certificate)["checks"]["registry"]["passed"] is True
    assert server.hits["/registry.json"] == 1, "a fresh registry is read from the cache"
    cache.clear()  # the lifetime is over
    verify(certificate)
    assert server.hits["/registry.json"] == 2


def test_opencerts_style_and_a_local_file_for_offline_sites(certificate, issuer, server, settings, tmp_path):
    offline = tmp_path / "registry.json"
    offline.write_text(json.dumps({"name": "Copy", "issuers": {issuer: {"name": "BPATC (copy)"}}}))
    url = server.serve("/other.json", dcc({"did:web:elsewhere.example": {"name": "Elsewhere"}}))
    settings.CERTIFICATION_ISSUER_REGISTRIES = [
        {"name": "Sandbox", "url": url},
        {"name": "Offline copy", "path": str(offline)},
    ]
    result = verify(certificate)
    assert [(o["registry"], o["outcome"]) for o in result["registries"]] == [
        ("Sandbox", "not_listed"),
        ("Offline copy", "listed"),
    ]
    assert result["checks"]["registry"]["detail"] == "Listed by Offline copy as BPATC (copy)."


def test_an_unlisted_issuer_is_unknown_not_a_bad_signature(certificate, issuer, server, settings):
    url = server.serve("/registry.json", dcc({"did:web:elsewhere.example": {"name": "Elsewhere"}}))
    settings.CERTIFICATION_ISSUER_REGISTRIES = [{"name": MINISTRY, "url": url}]
    result = verify(certificate)
    assert result["genuine"] is True and result["valid"] is True
    assert result["checks"]["signature"]["passed"] is True
    assert result["checks"]["registry"]["passed"] is False
    assert result["checks"]["registry"]["code"] == "registry_unlisted"
    assert issuer in result["checks"]["registry"]["detail"]


def test_unreachable_and_malformed_registries_are_named_and_every_other_check_reported(
    certificate, issuer, server, settings
):
    with RegistryServer() as gone:
        dead_url = gone.url + "/registry.json"  # the port is closed once this block ends
    settings.CERTIFICATION_ISSUER_REGISTRIES = [
        {"name": "Dead registry", "url": dead_url},
        {"name": "Broken registry", "url": server.serve("/broken.json", b"<html>not json")},
        {"name": "Odd registry", "url": server.serve("/odd.json", b'{"entries": []}')},
        {"name": "Nameless registry", "url": server.serve("/nameless.json", dcc({issuer: {"url": "x"}}))},
        {"name": "Failing registry", "url": server.serve("/500.json", b"{}", status=500)},
    ]
    result = verify(certificate)
    assert result["valid"] is True
    assert set(result["checks"]) == {"signature", "issuer", "validity", "status", "subject", "registry"}
    assert [(o["registry"], o["outcome"]) for o in result["registries"]] == [
        ("Dead registry", "unreachable"),
        ("Broken registry", "malformed"),
        ("Odd registry", "malformed"),
        ("Nameless registry", "malformed"),
        ("Failing registry", "unreachable"),
    ]
    registry = result["checks"]["registry"]
    assert registry["passed"] is None and registry["code"] == "registry_unreadable"
    for name in ("Dead registry", "Broken registry", "Odd registry", "Nameless registry", "Failing registry"):
        assert name in registry["detail"]
    # a readable registry next to a broken one still answers
    settings.CERTIFICATION_ISSUER_REGISTRIES.append({"name": MINISTRY, "url": server.serve("/ok.json", dcc({}))})
    result = verify(certificate)
    assert result["checks"]["registry"]["code"] == "registry_unlisted_some_unreadable"
    assert AccreditedIssuer.objects.count() == 0


def test_a_registry_listing_the_issuers_name_under_another_key(certificate, issuer, server, settings):
    name = json.loads(certificate.credential)["issuer"]["name"]
    url = server.serve("/registry.json", dcc({"did:web:impostor.example": {"name": name}}))
    settings.CERTIFICATION_ISSUER_REGISTRIES = [{"name": MINISTRY, "url": url}]
    result = verify(certificate)
    outcome = result["registries"][0]
    assert outcome["outcome"] == "other_key"
    assert "did:web:impostor.example" in outcome["detail"] and issuer in outcome["detail"]
    assert result["checks"]["registry"]["passed"] is False and result["listed_by"] == []


def test_page_api_and_command_say_which_registry_lists_the_issuer(
    client, certificate, issuer, server, settings, tmp_path, capsys
):
    url = server.serve("/registry.json", dcc({issuer: {"name": "BPATC"}}))
    settings.CERTIFICATION_ISSUER_REGISTRIES = [{"name": MINISTRY, "url": url}]
    page = client.get(f"/en/v/{certificate.pk}").content.decode()
    assert f"Listed by {MINISTRY} as BPATC." in page and "registry-outcomes" in page
    api = client.post(
        "/api/v1/certificates/verify/", {"credential": json.loads(certificate.credential)}, "application/json"
    )
    assert api.status_code == 200, api.content
    assert api.json()["listed_by"][0]["registry"] == MINISTRY
    path = tmp_path / "c.json"
    path.write_text(certificate.credential)
    call_command("verify_credential", str(path))
    printed = json.loads(capsys.readouterr().out)
    assert printed["checks"]["registry"]["code"] == "registry_listed"
    assert printed["registries"][0]["source"] == url


def test_the_site_publishes_its_registry_in_both_formats(client, db, settings):
    settings.CERTIFICATION_REGISTRY_NAME = MINISTRY
    AccreditedIssuer.objects.create(did="did:web:bpatc.example", name="BPATC", url="https://bpatc.example/")
    AccreditedIssuer.objects.create(did="did:web:gone.example", name="Gone", is_listed=False)
    served = client.get("/certificates/registry.json")
    assert served["Access-Control-Allow-Origin"] == "*"
    assert served.json()["registry"] == {"did:web:bpatc.example": {"name": "BPATC", "url": "https://bpatc.example/"}}
    assert served.json()["meta"]["name"] == MINISTRY
    opencerts = client.get("/certificates/registry-opencerts.json").json()
    assert list(opencerts["issuers"]) == ["did:web:bpatc.example"] and opencerts["name"] == MINISTRY


def test_a_site_trusting_its_own_registry_lists_its_issuer_without_a_request(certificate, issuer, settings):
    settings.CERTIFICATION_TRUST_OWN_REGISTRY = True
    settings.CERTIFICATION_REGISTRY_NAME = MINISTRY
    assert verify(certificate)["checks"]["registry"]["code"] == "registry_unlisted"
    AccreditedIssuer.objects.create(did=issuer, name="BPATC")
    assert verify(certificate)["checks"]["registry"]["detail"] == f"Listed by {MINISTRY} as BPATC."


def run_dcc_client(registries: list[dict], dids: list[str]) -> dict:
    payload = {"registries": registries, "dids": dids}
    return run_script(CLIENT, payload, package="@digitalcredentials/issuer-registry-client")


def test_dcc_registry_client_finds_the_issuer_in_the_registry_the_site_publishes(
    live_server,
    page_tree_root,
    settings,
    accredited_course,
    officer,
    issue,
):
    certificate = issue(officer, accredited_course)
    did = issuer_did(certificate.issuer)
    AccreditedIssuer.objects.create(did=did, name="BPATC", url="https://bpatc.example/", location="Savar, Dhaka")
    settings.CERTIFICATION_REGISTRY_NAME = MINISTRY
    registries = [{"name": MINISTRY, "url": f"{live_server.url}/certificates/registry.json"}]
    found = run_dcc_client(registries, [did, "did:web:unknown.example"])
    assert found["loaded"] == [{"name": MINISTRY, "loaded": True}]
    assert found["entries"][did] == {
        "name": "BPATC",
        "url": "https://bpatc.example/",
        "location": "Savar, Dhaka",
        "inRegistries": [MINISTRY],
    }
    assert found["entries"]["did:web:unknown.example"] is None
