"""Each app's settings in one place: read through ``django.conf`` when used, with a documented default.

An app declares its settings once (``lms/conf.py``, ``certification/conf.py``, ...) as an
:class:`AppSettings` of name → default. Code reads ``lms_settings.LMS_REMINDER_DAYS`` instead of
``getattr(settings, "LMS_REMINDER_DAYS", 7)`` scattered over modules, so a host site sets only what it
wants to change and docs/settings.md lists every name with its default. Values are looked up on every
access (never cached), so ``override_settings`` in tests and per-process settings both work.

Django's own settings (``LANGUAGES``, ``LOGIN_URL``, ``AUTH_USER_MODEL``, ...) are read from
``django.conf.settings`` directly: Django already gives them their defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.checks import Error

NOT_SET = object()


class AppSettings:
    """Attribute access to a fixed set of settings, each the site's value or else its default."""

    def __init__(self, app_label: str, defaults: dict[str, Any]) -> None:
        self.app_label = app_label
        self.defaults = dict(defaults)

    def __getattr__(self, name: str) -> Any:
        defaults = self.__dict__.get("defaults", {})
        if name not in defaults:
            raise AttributeError(f"{self.__dict__.get('app_label', '?')} has no setting {name!r}")
        value = getattr(settings, name, NOT_SET)
        return defaults[name] if value is NOT_SET else value


def missing_apps(required: dict[str, str], *, app_label: str, check_id: str) -> list[Error]:
    """One system-check error per app of ``required`` (app name → why) absent from INSTALLED_APPS."""
    from django.apps import apps

    errors = []
    for name, why in required.items():
        if not apps.is_installed(name):
            errors.append(
                Error(
                    f"{app_label} needs {name!r} in INSTALLED_APPS ({why}).",
                    hint=f"Add {name!r} to INSTALLED_APPS; docs/settings.md lists every app the suite needs.",
                    id=check_id,
                )
            )
    return errors


def positive_number(
    value: Any, *, name: str, check_id: str, kind: Callable[[Any], Any] = int, allow_zero: bool = False
) -> list[Error]:
    """An error when a numeric setting cannot be read as a (positive) number."""
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number < 0 or (number == 0 and not allow_zero):
        expected = "a number of at least 0" if allow_zero else "a positive number"
        return [Error(f"{name} is {value!r}; it must be {expected}.", id=check_id)]
    return []
