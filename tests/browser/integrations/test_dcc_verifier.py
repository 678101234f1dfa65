"""The Digital Credentials Consortium's verifier (``@digitalcredentials/verifier-core``, the library of
the Learner Credential Wallet and VerifierPlus) checks our credentials the way it checks anyone's: it
resolves the issuer's ``did:web`` over HTTPS, fetches the status list, reads the registries of
accredited issuers it is given, and checks the credential against 1EdTech's JSON schema.

The site's documents (its DID document, status list and the registry it publishes) are fetched from
the site with the test client and served over TLS on 127.0.0.1 by a real HTTPS server whose certificate
the verifier's Node process trusts (NODE_EXTRA_CA_CERTS); the credentials are issued for that address,
so their DID is ``did:web:127.0.0.1%3A<port>``. Nothing is mocked inside the verifier.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from certification.issuers import did_document_url, issuer_did
from certification.models import IssuerProfile, StatusList
from certification.registries.models import AccreditedIssuer
from certification.services import revoke_certificate, status_list_url
from tests.node_scripts import require_package, run_script

from .registry_server import RegistryServer, self_signed_certificate

ROOT = Path(__file__).resolve().parents[3]
VERIFIER = Path(__file__).with_name("dcc_verify.mjs")
VERIFIER_PACKAGE = "@digitalcredentials/verifier-core"
SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
SCHEMA_FILE = ROOT / "tests" / "certification" / "schemas" / "ob_v3p0_achievementcredential_schema.json"
STEPS = ("valid_signature", "expiration", "revocation_status", "registered_issuer")


@pytest.fixture
def site(tmp_path, settings):
    """An HTTPS server on 127.0.0.1 standing in for the site's public address; certificates are issued
    for it."""
    require_package(VERIFIER_PACKAGE)
    tls = self_signed_certificate(tmp_path)
    with RegistryServer(tls=tls) as server:
        settings.WAGTAILADMIN_BASE_URL = server.url
        server.certificate_file = tls[0]
        yield server


def publish(server, client) -> None:
    """Serve what the site itself answers at every address a verifier resolves."""
    paths = [urlsplit(did_document_url(profile)).path for profile in IssuerProfile.objects.all()]
    paths += [urlsplit(status_list_url(status_list)).path for status_list in StatusList.objects.all()]
    paths.append("/certificates/registry.json")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        server.serve(path, response.content)


def run_dcc(server, credentials: list[dict], registries: list[dict]) -> list[dict]:
    payload = {"credentials": credentials, "registries": registries, "schemas": {SCHEMA_URL: str(SCHEMA_FILE)}}
    environment = {"NODE_EXTRA_CA_CERTS": str(server.certificate_file)}
    return run_script(VERIFIER, payload, package=VERIFIER_PACKAGE, env=environment)


def steps(result: dict) -> dict:
    assert not result.get("errors"), result["errors"]
    return {entry["id"]: entry for entry in result["log"]}


def registry_of(server) -> list[dict]:
    url = server.url + "/certificates/registry.json"
    return [{"name": "Accredited issuers (this site)", "type": "dcc-legacy", "url": url}]


def list_issuer(certificate) -> str:
    did = issuer_did(certificate.issuer)
    AccreditedIssuer.objects.create(did=did, name=certificate.issuer.name, url="https://bpatc.gov.bd/")
    return did


def test_english_and_bengali_certificates_pass_every_check_of_the_dcc_verifier(
    site, client, accredited_course, bengali_course, officer, citizen, issue
):
    english = issue(officer, accredited_course)
    bengali = issue(citizen, bengali_course)
    assert issuer_did(english.issuer).startswith("did:web:127.0.0.1%3A")
    list_issuer(english)
    publish(site, client)
    results = run_dcc(site, [json.loads(english.credential), json.loads(bengali.credential)], registry_of(site))
    for result in results:
        log = steps(result)
        assert {step: log[step]["valid"] for step in STEPS} == dict.fromkeys(STEPS, True), log
        (match,) = log["registered_issuer"]["matchingIssuers"]
        assert match["registry"]["federation_entity"]["organization_name"] == "Accredited issuers (this site)"
        assert match["issuer"]["federation_entity"] == {
            "organization_name": english.issuer.name,
            "homepage_uri": "https://bpatc.gov.bd/",
        }
        assert log["registered_issuer"]["uncheckedRegistries"] == []
        (schema,) = next(entry for entry in result["additionalInformation"] if entry["id"] == "schema_check")["results"]
        assert (schema["schema"], schema["result"]) == (SCHEMA_URL, {"valid": True})
    assert site.hits["/.well-known/did.json"] >= 1  # resolved over HTTPS, not from a cache of ours


def test_a_revoked_certificate_fails_revocation_and_keeps_a_valid_signature(
    site, client, accredited_course, officer, issue
):
    certificate = issue(officer, accredited_course)
    list_issuer(certificate)
    revoke_certificate(certificate=certificate, reason="Issued in error")
    publish(site, client)
    (result,) = run_dcc(site, [json.loads(certificate.credential)], registry_of(site))
    log = steps(result)
    assert (log["valid_signature"]["valid"], log["revocation_status"]["valid"]) == (True, False)


def test_a_changed_credential_is_refused_and_an_unlisted_issuer_is_not_registered(
    site, client, accredited_course, officer, issue
):
    certificate = issue(officer, accredited_course)
    publish(site, client)  # the registry lists nobody
    changed = json.loads(certificate.credential)
    changed["credentialSubject"]["achievement"]["name"] = "A course nobody took"
    unlisted, tampered = run_dcc(site, [json.loads(certificate.credential), changed], registry_of(site))
    log = steps(unlisted)
    assert log["valid_signature"]["valid"] is True
    assert (log["registered_issuer"]["valid"], log["registered_issuer"]["matchingIssuers"]) == (False, [])
    assert [error["name"] for error in tampered["errors"]] == ["invalid_signature"], tampered["errors"]
