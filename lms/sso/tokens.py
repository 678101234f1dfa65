"""Signed ID tokens (OpenID Connect and LTI 1.3 launches), checked against the issuer's published keys.

Every refusal has a name (``TokenError.code``): ``malformed``, ``algorithm``, ``unknown_key``,
``signature``, ``issuer``, ``audience``, ``expired``, ``not_yet_valid``, ``missing_claim``, ``nonce``.
"""

from collections.abc import Callable

import jwt
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext_lazy as _

LEEWAY_SECONDS = 60

TOKEN_ERRORS = {
    "malformed": _("the token is not a signed JWT"),
    "algorithm": _("the token is signed with an algorithm that is not accepted"),
    "unknown_key": _("the token is signed with a key the issuer does not publish"),
    "signature": _("the token's signature does not match"),
    "issuer": _("the token comes from another issuer"),
    "audience": _("the token was issued for another client"),
    "expired": _("the token has expired"),
    "not_yet_valid": _("the token is not valid yet"),
    "missing_claim": _("the token lacks a required claim"),
    "nonce": _("the token's nonce is not the one this sign-in sent"),
}


class TokenError(SuspiciousOperation):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail

    @property
    def reason(self) -> str:
        return str(TOKEN_ERRORS[self.code])


def verify_token(
    token: str,
    *,
    keys: Callable[[bool], dict],
    issuer: str,
    audience: str,
    algorithms: tuple[str, ...],
    nonce: str | None,
    required: tuple[str, ...] = ("iss", "sub", "aud", "exp", "iat"),
) -> dict:
    """The token's claims once its signature, issuer, audience, times and nonce are all right.

    ``keys(refresh)`` returns the issuer's JWKS; it is asked again, once, for a key id not seen yet
    (the issuer rotated its keys)."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise TokenError("malformed", str(exc)) from exc
    alg = header.get("alg")
    if alg not in algorithms:
        raise TokenError("algorithm", str(alg))
    key = _matching_key(keys(False), header) or _matching_key(keys(True), header)
    if key is None:
        raise TokenError("unknown_key", str(header.get("kid")))
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": list(required)},
        )
    except jwt.InvalidSignatureError as exc:
        raise TokenError("signature") from exc
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("expired") from exc
    except jwt.ImmatureSignatureError as exc:
        raise TokenError("not_yet_valid") from exc
    except jwt.InvalidAudienceError as exc:
        raise TokenError("audience", str(exc)) from exc
    except jwt.InvalidIssuerError as exc:
        raise TokenError("issuer", str(exc)) from exc
    except jwt.MissingRequiredClaimError as exc:
        raise TokenError("missing_claim", exc.claim) from exc
    except jwt.PyJWTError as exc:
        raise TokenError("malformed", str(exc)) from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != audience:
        raise TokenError("audience", "azp")
    if nonce is not None and (not nonce or claims.get("nonce") != nonce):
        raise TokenError("nonce")
    return claims


def _matching_key(jwks: dict, header: dict):
    candidates = [k for k in jwks.get("keys", []) if isinstance(k, dict) and k.get("use", "sig") == "sig"]
    kid = header.get("kid")
    if kid is not None:
        candidates = [k for k in candidates if k.get("kid") == kid]
    elif len(candidates) != 1:
        return None
    for candidate in candidates:
        try:
            return jwt.PyJWK(candidate).key
        except jwt.PyJWTError:
            continue
    return None
