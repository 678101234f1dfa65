"""System checks for what the lms app needs from the host site (ids ``lms.E...``/``W...``)."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string

from foundation.app_settings import missing_apps, positive_number

from .conf import lms_settings

REQUIRED_APPS = {
    "foundation": "shared helpers of the suite",
    "courses": "what learners enrol in",
    "django.contrib.auth": "learners are users",
    "django.contrib.sessions": "learners sign in",
}


@register()
def check_apps(app_configs=None, **kwargs):
    return missing_apps(REQUIRED_APPS, app_label="lms", check_id="lms.E001")


def _has_locale_middleware() -> bool:
    from django.middleware.locale import LocaleMiddleware

    for path in settings.MIDDLEWARE:
        try:
            middleware = import_string(path)
        except ImportError:
            continue
        if isinstance(middleware, type) and issubclass(middleware, LocaleMiddleware):
            return True
    return False


@register()
def check_languages(app_configs=None, **kwargs):
    """Learner pages live under i18n_patterns: without a locale middleware only /<LANGUAGE_CODE>/ resolves."""
    errors = []
    if not settings.USE_I18N:
        errors.append(Error("USE_I18N is off: the learner pages are served per language.", id="lms.E002"))
    if not _has_locale_middleware():
        errors.append(
            Error(
                "No locale middleware in MIDDLEWARE: the learner pages (under i18n_patterns) need the request's "
                "language.",
                hint='Add "learning_suite.middleware.SuiteLocaleMiddleware" after SessionMiddleware (it is '
                "Django's LocaleMiddleware that leaves the API and certificate URLs alone).",
                id="lms.E003",
            )
        )
    return errors


@register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    for name in ("LMS_REMINDER_DAYS", "H5P_STATE_SAVE_SECONDS", "XAPI_FORWARD_TIMEOUT"):
        errors += positive_number(getattr(lms_settings, name), name=name, check_id="lms.E004")
    forward_url = str(lms_settings.XAPI_FORWARD_URL or "")
    if forward_url and not forward_url.startswith(("https://", "http://")):
        errors.append(Error(f"XAPI_FORWARD_URL {forward_url!r} is not an http(s) URL.", id="lms.E005"))
    return errors


@register()
def check_celery(app_configs=None, **kwargs):
    """Certificates, reminders and forwarding are Celery tasks: they must run somewhere."""
    from celery import current_app

    eager = bool(lms_settings.CELERY_TASK_ALWAYS_EAGER)
    if (eager or lms_settings.CELERY_BROKER_URL) and bool(current_app.conf.task_always_eager) != eager:
        return [
            Warning(
                "The Celery app does not read the CELERY_ settings: tasks (certificates, reminders) would go to "
                "Celery's default broker.",
                hint="Define the site's Celery app as docs/packaging.md shows "
                '(app.config_from_object("django.conf:settings", namespace="CELERY")) and import it in the '
                "project package's __init__.py.",
                id="lms.W002",
            )
        ]
    if eager or lms_settings.CELERY_BROKER_URL:
        return []
    return [
        Warning(
            "Celery has no broker (CELERY_BROKER_URL) and does not run tasks eagerly: certificates, reminders "
            "and LRS forwarding will wait for a broker that is not there.",
            hint="Set CELERY_BROKER_URL (and run a worker and beat), or CELERY_TASK_ALWAYS_EAGER = True to run "
            "tasks in the web process; the host's Celery app must read the CELERY_ settings "
            '(app.config_from_object("django.conf:settings", namespace="CELERY")).',
            id="lms.W001",
        )
    ]
