# The certification tests' fixtures (a fresh signing key per test, an accredited course, issuing).
from tests.certification.conftest import (  # noqa: F401
    accredited_course,
    bengali_course,
    certificate_settings,
    citizen,
    issue,
    officer,
)
