"""The learner key: which learner a page (and every answer queued on it offline) belongs to.

It is an HMAC of the user's id under the site's secret, so the page names the learner without
telling anyone their id, and the outbox can compare the key its items carry with the key of whoever
is signed in now before it sends anything.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.crypto import salted_hmac

SALT = "courses.offline.learner-key"


def learner_key(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The signed-in user's key (32 hex digits), or "" for a visitor."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac(SALT, str(user.pk), algorithm="sha256").hexdigest()[:32]
