"""Add to a wallet, from the outside: the holder's page makes an offer; a wallet speaks VC-API to it.

The wallet side does what the Learner Credential Wallet does with a ``dccrequest://request?request=``
deep link: read ``protocols.vcapi`` from the wallet API message, POST ``{}`` there with
``Content-Type: application/json``, take ``verifiablePresentation.verifiableCredential[0]``.
"""

import html
import json
import os
import re
import threading
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache
from django.db import connections
from django.templatetags.static import static
from django.test import Client
from django.utils import timezone

from certification import exchanges
from certification.models import Certificate, WalletExchange
from certification.rendering import qr_svg_data_uri
from certification.services import revoke_certificate
from tests.factories import UserFactory

from .conftest import run_digitalbazaar

SITE = "https://learning.example.gov.bd"
DEEP_LINK = re.compile(r'href="(dccrequest://request\?request=[^"]+)"')


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def certificate(accredited_course, officer, issue) -> Certificate:
    return issue(officer, accredited_course)


def make_offer(client, certificate) -> str:
    """As the signed-in holder: press "Add to a wallet", follow to the offer page, return the deep link."""
    made = client.post(f"/en/certificates/{certificate.pk}/wallet")
    assert made.status_code == 302 and made["Location"] == f"/en/certificates/{certificate.pk}/wallet"
    page = client.get(made["Location"])
    assert page.status_code == 200
    [link] = DEEP_LINK.findall(page.content.decode())
    return html.unescape(link)


def wallet_message(deep_link: str) -> dict:
    """What the wallet reads from the deep link (LCW: qs.parseUrl, then JSON.parse of ``request``)."""
    assert deep_link.startswith("dccrequest://request?")
    [message] = parse_qs(urlsplit(deep_link).query)["request"]
    return json.loads(message)


def path_of(url: str) -> str:
    assert url.startswith(SITE + "/")
    return url.removeprefix(SITE)


def wallet_post(client, exchange_url: str, body: bytes = b"{}", content_type: str = "application/json"):
    # CONTENT_TYPE again: Django's test client drops the header of an empty body, a wallet would not
    return client.post(path_of(exchange_url), data=body, content_type=content_type, CONTENT_TYPE=content_type)


def test_only_the_signed_in_holder_can_make_an_offer(client, certificate, officer, admin_user):
    url = f"/en/certificates/{certificate.pk}/wallet"
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    client.force_login(UserFactory())
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 403
    client.force_login(admin_user)  # staff may download the PDF, but the wallet offer is the holder's alone
    assert client.post(url).status_code == 403
    assert client.post(f"/en/certificates/{uuid.uuid4()}/wallet").status_code == 404
    assert WalletExchange.objects.count() == 0

    client.force_login(officer)
    listing = client.get("/en/certificates/").content.decode()
    assert f'action="{url}"' in listing and "Add to a wallet" in listing
    message = wallet_message(make_offer(client, certificate))
    assert message["credentialRequestOrigin"] == SITE
    assert re.fullmatch(rf"{SITE}/certificates/exchanges/[A-Za-z0-9_-]{{43}}", message["protocols"]["vcapi"])
    exchange = WalletExchange.objects.get()
    assert (exchange.certificate_id, exchange.holder_id, exchange.completed_at) == (certificate.pk, officer.pk, None)
    assert timedelta(minutes=9) < exchange.expires_at - timezone.now() <= timedelta(minutes=10)
    token = message["protocols"]["vcapi"].rsplit("/", 1)[1]
    assert token not in exchange.token_hash  # only the hash is stored


def test_the_wallet_receives_the_signed_bytes_unchanged_and_digitalbazaar_verifies_them(client, certificate, officer):
    client.force_login(officer)
    page = client.get(f"/en/certificates/{certificate.pk}/wallet")
    assert "Make a wallet link" in page.content.decode()
    deep_link = make_offer(client, certificate)
    offer_page = client.get(f"/en/certificates/{certificate.pk}/wallet").content.decode()
    # the QR codes are drawn by the site, no script needed; the first one carries the deep link itself
    assert html.escape(qr_svg_data_uri(deep_link)) in offer_page
    assert html.escape(qr_svg_data_uri(wallet_message(deep_link)["protocols"]["vcapi"] + "/protocols?iuv=1")) in (
        offer_page
    )
    # no script draws them: the only script on the page is the offline lessons' (docs/offline.md)
    assert re.findall(r"<script[^>]*>", offer_page) == [f'<script src="{static("courses/offline/offline.js")}" defer>']
    client.logout()  # the wallet has no session with the site

    exchange_url = wallet_message(deep_link)["protocols"]["vcapi"]
    response = wallet_post(client, exchange_url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store" and response["Access-Control-Allow-Origin"] == "*"

    body = response.content
    stored = certificate.credential.encode("utf-8")
    prefix = b'"verifiableCredential":['
    start = body.index(prefix) + len(prefix)
    assert body[start : start + len(stored)] == stored  # byte for byte as signed and stored
    assert body[start + len(stored) :] == b"]}}"
    presentation = json.loads(body)["verifiablePresentation"]
    assert presentation["type"] == ["VerifiablePresentation"]
    assert presentation["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    [credential] = presentation["verifiableCredential"]
    assert credential == json.loads(stored)

    documents = {
        "did:web:learning.example.gov.bd": client.get("/.well-known/did.json").json(),
        f"{SITE}/certificates/status/{certificate.status_list_id}": client.get(
            f"/certificates/status/{certificate.status_list_id}"
        ).json(),
    }
    [result] = run_digitalbazaar([credential], documents)
    assert result["verified"] is True, result["errors"]
    assert result["revoked"] is False and result["statusChecked"] is True


def test_an_exchange_cannot_be_replayed(client, certificate, officer):
    client.force_login(officer)
    exchange_url = wallet_message(make_offer(client, certificate))["protocols"]["vcapi"]
    assert wallet_post(client, exchange_url).status_code == 200
    completed = WalletExchange.objects.get().completed_at
    assert completed is not None

    again = wallet_post(client, exchange_url)
    assert again.status_code == 410
    assert again.json()["code"] == "exchange_used" and "already been used" in again.json()["error"]
    protocols = client.get(path_of(exchange_url) + "/protocols?iuv=1", HTTP_ACCEPT="application/json")
    assert protocols.status_code == 410 and protocols.json()["code"] == "exchange_used"
    assert WalletExchange.objects.get().completed_at == completed  # the first completion stands

    page = client.get(f"/en/certificates/{certificate.pk}/wallet").content.decode()
    assert "A wallet took your credential at" in page and "dccrequest://" not in page


def test_an_expired_exchange_answers_410_and_stays_unused(client, certificate, officer, monkeypatch):
    client.force_login(officer)
    exchange_url = wallet_message(make_offer(client, certificate))["protocols"]["vcapi"]
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    monkeypatch.setattr(exchanges, "_now", lambda: later)
    response = wallet_post(client, exchange_url)
    assert response.status_code == 410
    assert response.json()["code"] == "exchange_expired" and "expired" in response.json()["error"]
    assert WalletExchange.objects.get().completed_at is None
    page = client.get(f"/en/certificates/{certificate.pk}/wallet").content.decode()
    assert "The last link expired before a wallet used it." in page


def test_a_revoked_certificate_is_not_delivered_nor_offered(client, certificate, officer):
    client.force_login(officer)
    exchange_url = wallet_message(make_offer(client, certificate))["protocols"]["vcapi"]
    revoke_certificate(certificate=certificate, reason="Issued in error")
    response = wallet_post(client, exchange_url)
    assert response.status_code == 409
    assert response.json()["code"] == "certificate_revoked" and "revoked" in response.json()["error"]
    assert WalletExchange.objects.get().completed_at is None

    refused = client.post(f"/en/certificates/{certificate.pk}/wallet")
    assert refused.status_code == 409 and "has been revoked" in refused.content.decode()
    assert WalletExchange.objects.count() == 1
    listing = client.get("/en/certificates/").content.decode()
    assert "Add to a wallet" not in listing


def test_bad_requests_get_a_clear_4xx_and_use_nothing_up(client, certificate, officer):
    client.force_login(officer)
    exchange_url = wallet_message(make_offer(client, certificate))["protocols"]["vcapi"]
    client.logout()
    cases = [
        (b"{}", "text/plain", 415, "unsupported_media_type"),
        (b"a=1", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b"{not json", "application/json", 400, "malformed_body"),
        (b"\xff\xfe{}", "application/json", 400, "malformed_body"),
        (b"", "application/json", 400, "malformed_body"),
        (b"[]", "application/json", 400, "malformed_body"),
        (b'"{}"', "application/json", 400, "malformed_body"),
        (b'{"verifiablePresentation": "signed"}', "application/json", 400, "malformed_body"),
        (b'{"verifiablePresentationRequest": {"query": []}}', "application/json", 400, "unsupported_message"),
        (b"{" + b" " * (64 * 1024) + b"}", "application/json", 413, "body_too_large"),
    ]
    for body, content_type, status, code in cases:
        response = wallet_post(client, exchange_url, body, content_type)
        assert response.status_code == status, (body[:40], response.content)
        assert response.json()["code"] == code and response.json()["error"]
    for path in (
        f"/certificates/exchanges/{'A' * 43}",  # well-formed, unknown
        "/certificates/exchanges/short",
        f"/certificates/exchanges/{'!' * 43}",
    ):
        unknown = client.post(path, data=b"{}", content_type="application/json")
        assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_exchange"
        lookup = client.get(path + "/protocols?iuv=1", HTTP_ACCEPT="application/json")
        assert lookup.status_code == 404
    bengali = client.post(path_of(exchange_url), data=b"[]", content_type="application/json", HTTP_ACCEPT_LANGUAGE="bn")
    assert bengali.status_code == 400 and bengali.json()["error"] == "একটি JSON অবজেক্ট পাঠান, যেমন {}।"
    wrong_method = client.get(path_of(exchange_url))
    assert wrong_method.status_code == 405 and wrong_method["Allow"] == "POST, OPTIONS"
    assert WalletExchange.objects.get().completed_at is None  # none of the above used the exchange up
    assert WalletExchange.objects.count() == 1
    assert wallet_post(client, exchange_url).status_code == 200  # and the wallet still gets its credential


def test_an_offered_presentation_is_neither_needed_nor_kept(client, certificate, officer):
    """A wallet that volunteers a DID Authentication gets the credential as well; nothing of it is stored."""
    client.force_login(officer)
    exchange_url = wallet_message(make_offer(client, certificate))["protocols"]["vcapi"]
    volunteered = {"verifiablePresentation": {"type": "VerifiablePresentation", "holder": "did:key:z6MkExample"}}
    response = wallet_post(client, exchange_url, json.dumps(volunteered).encode())
    assert response.status_code == 200
    assert json.loads(response.content)["verifiablePresentation"]["verifiableCredential"][0]["id"] == (
        f"urn:uuid:{certificate.pk}"
    )


def test_a_new_offer_closes_the_previous_one(client, certificate, officer):
    client.force_login(officer)
    first = wallet_message(make_offer(client, certificate))["protocols"]["vcapi"]
    second = wallet_message(make_offer(client, certificate))["protocols"]["vcapi"]
    assert first != second
    stale = wallet_post(client, first)
    assert stale.status_code == 410 and stale.json()["code"] == "exchange_expired"
    assert wallet_post(client, second).status_code == 200


def test_interaction_url_gives_wallets_the_protocols_and_browsers_a_page(client, certificate, officer):
    client.force_login(officer)
    exchange_url = wallet_message(make_offer(client, certificate))["protocols"]["vcapi"]
    client.logout()
    interaction = path_of(exchange_url) + "/protocols?iuv=1"
    for accept in ("application/json", "*/*", ""):
        answer = client.get(interaction, HTTP_ACCEPT=accept) if accept else client.get(interaction)
        assert answer.status_code == 200 and answer.json() == {"protocols": {"vcapi": exchange_url}}
        assert "Accept" in [part.strip() for part in answer["Vary"].split(",")]
    browser = client.get(interaction, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser.status_code == 200 and browser["Content-Type"].startswith("text/html")
    body = browser.content.decode()
    assert "Open in Learner Credential Wallet" in body and DEEP_LINK.search(body)
    bengali = client.get(interaction, HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="bn").content.decode()
    assert "লার্নার ক্রেডেনশিয়াল ওয়ালেটে খুলুন" in bengali
    assert WalletExchange.objects.get().completed_at is None  # reading the interaction URL uses nothing up
    gone = client.get(f"/certificates/exchanges/{'B' * 43}/protocols?iuv=1", HTTP_ACCEPT="text/html")
    assert gone.status_code == 404 and "No such exchange" in gone.content.decode()


def test_web_wallets_pass_the_cors_preflight(client):
    for path in (f"/certificates/exchanges/{'C' * 43}", f"/certificates/exchanges/{'C' * 43}/protocols"):
        preflight = client.options(
            path, HTTP_ORIGIN="https://wallet.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
        )
        assert preflight.status_code == 204
        assert preflight["Access-Control-Allow-Origin"] == "*"
        assert "Content-Type" in preflight["Access-Control-Allow-Headers"]


def test_the_exchange_endpoints_are_rate_limited(client, settings, db):
    settings.CERTIFICATION_EXCHANGE_RATE = "3/m"
    statuses = [
        client.post(f"/certificates/exchanges/{'D' * 43}", data=b"{}", content_type="application/json").status_code
        for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
    limited = client.get(f"/certificates/exchanges/{'D' * 43}/protocols", HTTP_ACCEPT="application/json")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited" and limited["Retry-After"]


def test_the_offer_page_in_bengali(client, certificate, officer):
    client.force_login(officer)
    client.post(f"/bn/certificates/{certificate.pk}/wallet")
    body = client.get(f"/bn/certificates/{certificate.pk}/wallet").content.decode()
    assert "ওয়ালেটে" in body and "dccrequest://request" in body


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite serialises all writers; racing wallets are tested against PostgreSQL (DATABASE_URL=postgres://...)",
)
@pytest.mark.django_db(transaction=True)
def test_racing_wallets_get_one_credential_between_them(accredited_course, officer, issue, settings):
    settings.WAGTAILADMIN_BASE_URL = SITE
    certificate = issue(officer, accredited_course)
    offer = exchanges.create_offer(certificate=certificate, holder=officer)
    path = path_of(offer.exchange_url)
    barrier = threading.Barrier(8)
    statuses, errors = [], []

    def wallet():
        try:
            barrier.wait()
            statuses.append(Client().post(path, data=b"{}", content_type="application/json").status_code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wallet) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(statuses) == [200] + [410] * 7


@pytest.mark.django_db(transaction=True)
def test_a_learner_adds_the_certificate_to_a_wallet_over_real_http(live_server, settings, accredited_course, issue):
    """The learner signs in and presses the button in a browser-like session; a separate wallet client
    follows the deep link over HTTP, as the Learner Credential Wallet would."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    learner = UserFactory(username="amina", email="amina@example.gov.bd")
    certificate = issue(learner, accredited_course)

    browser = requests.Session()
    sign_in = browser.get(f"{live_server.url}/en/learning/sign-in/", timeout=30)
    csrf = browser.cookies["csrftoken"]
    signed_in = browser.post(
        f"{live_server.url}/en/learning/sign-in/",
        data={"email_or_phone": "amina", "password": "correct horse battery", "csrfmiddlewaretoken": csrf},
        headers={"Referer": sign_in.url},
        timeout=30,
    )
    assert signed_in.status_code == 200 and 'name="password"' not in signed_in.text, "the sign-in failed"
    listing = browser.get(f"{live_server.url}/en/certificates/", timeout=30).text
    form_csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', listing).group(1)
    offer_page = browser.post(
        f"{live_server.url}/en/certificates/{certificate.pk}/wallet",
        data={"csrfmiddlewaretoken": form_csrf},
        headers={"Referer": f"{live_server.url}/en/certificates/"},
        timeout=30,
    )
    assert offer_page.status_code == 200 and offer_page.url.endswith(f"/en/certificates/{certificate.pk}/wallet")
    links = DEEP_LINK.findall(offer_page.text)
    assert len(links) == 1, offer_page.text
    [deep_link] = links
    message = wallet_message(html.unescape(deep_link))
    assert message["credentialRequestOrigin"] == live_server.url

    wallet = requests.Session()  # no cookies: the exchange URL is all the wallet has
    answer = wallet.post(message["protocols"]["vcapi"], json={}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert certificate.credential.encode("utf-8") in answer.content
    [credential] = answer.json()["verifiablePresentation"]["verifiableCredential"]
    replay = wallet.post(message["protocols"]["vcapi"], json={}, timeout=30)
    assert replay.status_code == 410 and replay.json()["code"] == "exchange_used"

    documents = {
        f"did:web:{live_server.url.split('://', 1)[1].replace(':', '%3A')}": wallet.get(
            f"{live_server.url}/.well-known/did.json", timeout=30
        ).json(),
        f"{live_server.url}/certificates/status/{certificate.status_list_id}": wallet.get(
            f"{live_server.url}/certificates/status/{certificate.status_list_id}", timeout=30
        ).json(),
    }
    [result] = run_digitalbazaar([credential], documents)
    assert result["verified"] is True, result["errors"]
