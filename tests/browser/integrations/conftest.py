# The certification tests' fixtures (a fresh signing key per test, an accredited course, issuing).
from tests.certification.conftest import (  # noqa: F401
    accredited_course,
    certificate_settings,
    issue,
    officer,
)
