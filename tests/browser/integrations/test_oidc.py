"""OpenID Connect sign-in against a real provider (django-oauth-toolkit in a second process)."""

import time
import uuid

import jwt
import pytest
from django.contrib.auth import get_user_model

from lms.models import LearnerKind, LearnerProfile, Organisation
from lms.sso.models import ExternalIdentity
from lms.sso.provider import current_provider, provider_keys
from lms.sso.tokens import TokenError, verify_token

from .oidc_peer import new_rsa_key_pem, start_oidc_peer, stop


@pytest.fixture
def provider(live_server, tmp_path, settings):
    peer = start_oidc_peer(
        tmp_path,
        redirect_uri=f"{live_server.url}/sso/oidc/callback/",
        post_logout_uri=f"{live_server.url}/en/learning/sign-in/",
    )
    settings.OIDC_ISSUER = peer.issuer
    settings.OIDC_RP_CLIENT_ID = peer.client_id
    settings.OIDC_RP_CLIENT_SECRET = peer.client_secret
    settings.OIDC_PROVIDER_NAME = "Bangladesh Government Identity"
    settings.OIDC_RP_SCOPES = "openid profile email phone"
    yield peer
    stop(peer)


@pytest.mark.browser
def test_a_civil_servant_signs_in_through_the_provider_and_lands_on_my_learning(
    provider, live_server, page_tree_root, chromium
):
    Organisation.add_root(name="Ministry of Public Administration", kind="ministry", code="mopa")
    someone = get_user_model().objects.create_user("someone", email="nusrat.jahan@mopa.gov.bd", password="x" * 12)
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/en/learning/sign-in/")
    link = page.locator("#sso-sign-in")
    assert link.inner_text() == "Sign in with Bangladesh Government Identity"
    link.click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{provider.url}/accounts/login/"), (page.url, page.content()[:3000])
    page.fill("#id_username", provider.username)
    page.fill("#id_password", provider.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/en/learning/")
    assert "My learning" in page.content()

    identity = ExternalIdentity.objects.get()
    user = identity.user
    assert identity.issuer == provider.issuer and identity.source == "oidc"
    assert user != someone, "an account with the same email is never linked by email alone"
    assert (user.first_name, user.last_name) == ("Nusrat", "Jahan")
    assert user.email == "", "another account already uses that email"
    profile = LearnerProfile.objects.get(user=user)
    assert profile.phone == "+8801711000111" and profile.designation == "Assistant Secretary"
    assert profile.organisation.code == "mopa" and profile.kind == LearnerKind.CIVIL_SERVANT
    assert not user.has_usable_password()

    # Signing out here signs out at the provider too (RP-initiated logout), then comes back here.
    assert any(cookie["name"] == "provider_session" for cookie in context.cookies(provider.url))
    page.goto(f"{live_server.url}/en/learning/sign-in/")
    visited = []
    page.on("request", lambda request: visited.append(request.url))
    with page.expect_navigation(url=f"{live_server.url}/en/learning/sign-in/**"):
        page.evaluate(SIGN_OUT)
    assert any(url.startswith(f"{provider.url}/o/logout/") for url in visited), visited
    assert not any(cookie["name"] == "provider_session" for cookie in context.cookies(provider.url)), visited
    assert "sso-sign-in" in page.content()
    context.close()

    # Signing in again (another browser) finds the same user by (issuer, sub).
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/sso/oidc/start/")
    page.wait_for_url(f"{provider.url}/accounts/login/**")
    page.fill("#id_username", provider.username)
    page.fill("#id_password", provider.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/en/learning/")
    assert ExternalIdentity.objects.count() == 1 and get_user_model().objects.count() == 2
    context.close()


SIGN_OUT = """() => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = "/en/learning/sign-out/";
  form.appendChild(document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode());
  document.body.appendChild(form);
  form.submit();
}"""


def token(peer_key_pem: str, *, kid: str, **overrides) -> str:
    now = int(time.time())
    claims = {"iss": "", "sub": "42", "aud": "", "exp": now + 300, "iat": now, "nonce": "n-1", **overrides}
    return jwt.encode(claims, peer_key_pem, algorithm="RS256", headers={"kid": kid})


def test_bad_id_tokens_are_refused_by_name_and_nothing_is_created(provider, db):
    """Tokens checked against the provider's real discovery document and JWKS over HTTP."""
    live = current_provider()
    kid = provider_keys(live)["keys"][0]["kid"]

    def check(raw, nonce="n-1"):
        return verify_token(
            raw,
            keys=lambda refresh: provider_keys(live, refresh=refresh),
            issuer=live.issuer,
            audience=live.client_id,
            algorithms=live.algorithms,
            nonce=nonce,
        )

    good = {"iss": live.issuer, "aud": live.client_id}
    assert check(token(provider.private_key_pem, kid=kid, **good))["sub"] == "42"
    cases = {
        "signature": token(new_rsa_key_pem(), kid=kid, **good),
        "audience": token(provider.private_key_pem, kid=kid, iss=live.issuer, aud="someone-else"),
        "issuer": token(provider.private_key_pem, kid=kid, iss="http://127.0.0.1:1/o", aud=live.client_id),
        "expired": token(provider.private_key_pem, kid=kid, exp=int(time.time()) - 3600, **good),
        "unknown_key": token(provider.private_key_pem, kid=str(uuid.uuid4()), **good),
        "malformed": "not.a.jwt",
        "algorithm": jwt.encode({**good, "sub": "42"}, live.client_secret, algorithm="HS256"),
    }
    for code, raw in cases.items():
        with pytest.raises(TokenError) as refused:
            check(raw)
        assert refused.value.code == code, (code, refused.value)
    with pytest.raises(TokenError) as refused:
        check(token(provider.private_key_pem, kid=kid, **good), nonce="another-sign-in")
    assert refused.value.code == "nonce"
    assert ExternalIdentity.objects.count() == 0 and get_user_model().objects.count() == 0


def test_no_provider_configured_shows_no_button_and_no_endpoints(client, db, settings):
    settings.OIDC_ISSUER = ""
    page = client.get("/en/learning/sign-in/").content.decode()
    assert "sso-sign-in" not in page
    assert client.get("/sso/oidc/start/", follow=True).status_code == 404
    assert client.get("/sso/oidc/callback/?code=x&state=y", follow=True).status_code == 404
