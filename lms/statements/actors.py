"""Who a statement is about and who vouches for it: the site's learners as xAPI agents, the agent an
LRS client is (the ``authority`` the store sets), and the learner an actor names, if any."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from courses.activities import site_origin

from .models import LrsClient


def actor_matches(*, actor: Any, user: AbstractBaseUser) -> bool:
    """The learner is named by their email (``mbox``) or by an account on this site (``account``)."""
    if not isinstance(actor, dict):
        return False
    mbox = actor.get("mbox")
    if mbox is not None:
        return bool(user.email) and isinstance(mbox, str) and mbox.lower() == f"mailto:{user.email}".lower()
    account = actor.get("account")
    if isinstance(account, dict) and isinstance(account.get("homePage"), str):
        return account["homePage"].rstrip("/") == site_origin() and account.get("name") == user.get_username()
    return False


def statement_actor(*, user: AbstractBaseUser) -> dict[str, Any]:
    """The actor the site's pages put in statements for the signed-in learner."""
    return {"objectType": "Agent", "account": {"homePage": site_origin(), "name": user.get_username()}}


def client_agent(client: LrsClient) -> dict[str, Any]:
    """The agent an LRS client is, as the ``authority`` of what it sends."""
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": site_origin(), "name": f"lrs-client:{client.key}"},
    }


def learner_named_by(actor: dict[str, Any]) -> AbstractBaseUser | None:
    """The site's learner an actor names (a site account or an email), or None: statements about
    anyone else are stored as an LRS stores them, tied to nobody here."""
    users = get_user_model().objects
    account = actor.get("account")
    if isinstance(account, dict) and account.get("homePage", "").rstrip("/") == site_origin():
        name = account.get("name", "")
        if name.startswith("lrs-client:"):
            return None
        return users.filter(**{get_user_model().USERNAME_FIELD: name}, is_active=True).first()
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        found = list(users.filter(email__iexact=mbox[7:], is_active=True)[:2])
        return found[0] if len(found) == 1 else None
    return None
