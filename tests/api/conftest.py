"""People for the API's permission tests: two learners, a trainer, a certificate officer and the admins
of two unrelated organisations, each with a token, plus a fresh signing key per test."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.services import make_organisation_admin
from tests.certification.conftest import certificate_settings  # noqa: F401 - a fresh key and media folder
from tests.factories import TrainerFactory, UserFactory
from tests.lms.conftest import celery_worker_process  # noqa: F401 - a real worker for the forwarding test
from tests.lms.factories import member, organisation


@pytest.fixture(autouse=True)
def api_settings(certificate_settings):  # noqa: F811 - the fixture imported above
    """The certificates' fresh signing key and media folder, and throttle counters from zero."""
    cache.clear()
    yield certificate_settings
    cache.clear()


@dataclass
class People:
    learner: object
    other_learner: object
    trainer: object
    officer: object
    admin: object
    other_admin: object
    unit: object
    other_unit: object

    def client(self, who: str | None) -> APIClient:
        """An API client signed in with ``who``'s token (anonymous for None)."""
        client = APIClient()
        if who is not None:
            token, _created = Token.objects.get_or_create(user=getattr(self, who))
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client


#: What every client of the xAPI statements resource sends (the resource refuses a request without it).
XAPI = {"X-Experience-API-Version": "1.0.3"}

ROLES = [None, "learner", "other_learner", "trainer", "admin", "other_admin"]


@pytest.fixture
def people(tree) -> People:
    ministry = organisation("Ministry of ICT")
    division = organisation("ICT Division", parent=ministry)
    other_ministry = organisation("Ministry of Health")
    learner = member(division, username="learner", email="learner@example.gov.bd")
    other_learner = member(other_ministry, username="other", email="other@example.gov.bd")
    admin, other_admin = UserFactory(username="ict-admin"), UserFactory(username="health-admin")
    make_organisation_admin(user=admin, organisation=ministry)
    make_organisation_admin(user=other_admin, organisation=other_ministry)
    officer = UserFactory(username="officer", is_staff=True)
    officer.user_permissions.add(Permission.objects.get(codename="change_certificate"))
    return People(
        learner=learner,
        other_learner=other_learner,
        trainer=TrainerFactory(username="trainer"),
        officer=officer,
        admin=admin,
        other_admin=other_admin,
        unit=ministry,
        other_unit=other_ministry,
    )
