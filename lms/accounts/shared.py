"""Sessions on a shared computer (a Digital Centre): over when the browser closes, and after
``ACCOUNTS_SHARED_IDLE_SECONDS`` (15 minutes) without a request, whichever comes first.

The session cookie of a shared session has no expiry date, so a browser restart drops it; the server
also forgets the session once it has been idle too long, in case the browser is left open or keeps
its session cookies across restarts. The last-seen time is written at most once a minute, so a
shared session does not turn every page view into a session write.

A browser where a shared session was started (or where a Digital Centre's operator signed in) is
remembered by a long-lived cookie holding no personal data, and there the sign-in page's "This is a
shared computer" box is ticked from the start."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lms.conf import lms_settings

from ..models import OrganisationKind

SHARED = "lms_shared_computer"
LAST_SEEN = "lms_shared_seen"
DEVICE_COOKIE = "lms_shared_computer"
TOUCH_EVERY = 60


def idle_seconds() -> int:
    return int(lms_settings.ACCOUNTS_SHARED_IDLE_SECONDS)


def start_shared_session(request: HttpRequest) -> None:
    """Call right after ``login()``: this session ends with the browser and after idle minutes."""
    request.session.set_expiry(0)
    request.session[SHARED] = True
    request.session[LAST_SEEN] = int(time.time())
    request.shared_device = True


def is_shared_device(request: HttpRequest) -> bool:
    return request.COOKIES.get(DEVICE_COOKIE) == "1"


def operated_centre(user: AbstractBaseUser):
    """The Digital Centre ``user`` operates (is an admin of), or None."""
    if not user.is_authenticated:
        return None
    return user.administered_organisations.filter(kind=OrganisationKind.CENTRE).first()


def remember_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if getattr(request, "shared_device", False):
        response.set_cookie(
            DEVICE_COOKIE, "1", max_age=365 * 24 * 3600, httponly=True, samesite="Lax", secure=request.is_secure()
        )
    return response


class SharedComputerMiddleware:
    """Signs out a shared session idle for too long; place it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # only a request that carries a session cookie is looked at, so a visitor without one gets no
        # ``Vary: Cookie`` from this check (public pages and machine endpoints stay cacheable)
        has_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        if session is not None and has_cookie and session.get(SHARED):
            now = int(time.time())
            seen = int(session.get(LAST_SEEN, 0))
            if now - seen > idle_seconds():
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": idle_seconds() // 60},
                )
            elif now - seen >= TOUCH_EVERY:
                session[LAST_SEEN] = now
        return remember_device(request, self.get_response(request))
