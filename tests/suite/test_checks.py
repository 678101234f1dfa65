"""Each app's settings fall back to their documented defaults, and its system checks name what is wrong."""

import pytest
from django.core.checks import run_checks

from api import checks as api_checks
from certification import checks as certification_checks
from courses import checks as courses_checks
from foundation.app_settings import AppSettings, missing_apps
from lms import checks as lms_checks
from lms.conf import lms_settings


def ids(messages) -> set[str]:
    return {message.id for message in messages}


def test_a_setting_falls_back_to_its_default_and_follows_the_site(settings):
    if hasattr(settings, "LMS_REMINDER_DAYS"):
        del settings.LMS_REMINDER_DAYS
    assert lms_settings.LMS_REMINDER_DAYS == 7
    settings.LMS_REMINDER_DAYS = 3
    assert lms_settings.LMS_REMINDER_DAYS == 3


def test_an_undeclared_setting_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NOT_DECLARED"):
        AppSettings("demo", {"DECLARED": 1}).NOT_DECLARED  # noqa: B018


def test_the_reference_site_passes_every_check():
    assert [message for message in run_checks() if message.id.split(".")[0] in {
        "foundation", "courses", "lms", "certification", "api"
    }] == []  # fmt: skip


def test_a_missing_app_is_named():
    # (changing INSTALLED_APPS itself would reload the app registry; the rule is the same)
    required = {**courses_checks.REQUIRED_APPS, "wagtail.contrib.not_installed": "a reason"}
    errors = missing_apps(required, app_label="courses", check_id="courses.E001")
    assert ids(errors) == {"courses.E001"}
    assert "wagtail.contrib.not_installed" in errors[0].msg and "a reason" in errors[0].msg


def test_the_site_url_is_required(settings):
    settings.WAGTAILADMIN_BASE_URL = ""
    assert "courses.E002" in ids(courses_checks.check_settings())


def test_the_learner_pages_need_a_locale_middleware(settings):
    settings.MIDDLEWARE = [path for path in settings.MIDDLEWARE if "Locale" not in path]
    assert ids(lms_checks.check_languages()) == {"lms.E003"}


def test_bad_numbers_are_named(settings):
    settings.LMS_REMINDER_DAYS = "soon"
    settings.H5P_MAX_MEMBERS = -1
    assert "lms.E004" in ids(lms_checks.check_settings())
    assert "courses.E003" in ids(courses_checks.check_settings())


def test_tasks_that_would_go_nowhere_are_named(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = ""
    assert ids(lms_checks.check_celery()) == {"lms.W001"}


def test_no_signing_key_is_named(settings, monkeypatch, tmp_path):
    monkeypatch.delenv("CERTIFICATION_SIGNING_KEY", raising=False)
    settings.CERTIFICATION_KEY_FILE = str(tmp_path / "absent.json")
    settings.CERTIFICATION_CREATE_KEY_FILE = False
    assert "certification.W001" in ids(certification_checks.check_settings())
    settings.CERTIFICATION_KEY_FILE = ""
    assert "certification.W001" in ids(certification_checks.check_settings())


def test_a_bad_rate_is_named(settings):
    settings.CERTIFICATION_VERIFY_RATE = "sixty"
    assert "certification.E002" in ids(certification_checks.check_settings())


@pytest.mark.parametrize("url", ["http://learn.example.gov.bd", "https://127.0.0.1:8000", ""])
def test_production_needs_a_public_https_site_url(settings, url):
    settings.WAGTAILADMIN_BASE_URL = url
    settings.CERTIFICATION_CREATE_KEY_FILE = False
    assert ids(certification_checks.check_production()) == {"certification.E004"}


def test_a_public_https_site_url_passes(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://learn.example.gov.bd"
    settings.CERTIFICATION_CREATE_KEY_FILE = False
    assert certification_checks.check_production() == []


def test_the_api_names_what_its_rest_framework_settings_lack(settings):
    settings.REST_FRAMEWORK = {
        "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {"verify": "1/minute"},
    }
    del settings.OAUTH2_PROVIDER_APPLICATION_MODEL
    errors = api_checks.check_rest_framework()
    assert ids(errors) == {"api.E002", "api.E003", "api.E005", "api.W002", "api.W003"}
    missing_rates = next(error.msg for error in errors if error.id == "api.E003")
    assert "bulk" in missing_rates and "sign_in" in missing_rates


def test_the_suites_defaults_pass_the_api_checks(settings):
    from learning_suite import defaults

    settings.REST_FRAMEWORK = defaults.REST_FRAMEWORK
    assert api_checks.check_rest_framework() == []
