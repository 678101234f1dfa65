"""A resource-link launch: who the learner is, which course the link opens, and their enrolment."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage

from ..enrolment.services import course_identity, enrol
from ..errors import EnrolmentRefused
from ..models import Enrolment
from ..sso.models import ExternalIdentity, IdentitySource
from ..sso.oidc_backend import apply_profile_claims, external_username
from .models import LtiCourseLink, LtiGradeTarget

CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
RESOURCE_LINK = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"

LAUNCH_ERRORS = {
    "no_course": _("The link does not name a course of this site."),
    "unknown_course": _("The course this link names does not exist on this site."),
    "foreign_line_item": _("The launch names a line item of another context."),
    "no_subject": _("The launch does not say who the learner is."),
}


class LaunchRefused(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail

    @property
    def reason(self) -> str:
        return str(LAUNCH_ERRORS.get(self.code, self.detail or self.code))


@dataclass
class Launched:
    user: object
    course: CoursePage
    enrolment: Enrolment
    link: LtiCourseLink


def course_named_by(data: dict) -> CoursePage:
    raw = str((data.get(CUSTOM) or {}).get("course", "")).strip()
    if not raw.isdigit():
        raise LaunchRefused("no_course")
    course = CoursePage.objects.filter(pk=int(raw)).first()
    if course is None:
        raise LaunchRefused("unknown_course")
    return course


def check_line_item(data: dict) -> dict:
    """The AGS claim, refused when its line item is not in the launch's own context's container."""
    ags = data.get(AGS) or {}
    lineitem, lineitems = ags.get("lineitem", ""), ags.get("lineitems", "")
    if lineitem and lineitems and not lineitem.split("?")[0].startswith(lineitems.split("?")[0].rstrip("/") + "/"):
        raise LaunchRefused("foreign_line_item")
    return ags


def learner_for(data: dict):
    """The site's user for (issuer, sub): created on the first launch, never matched by email."""
    issuer, subject = str(data.get("iss", "")), str(data.get("sub", ""))
    if not subject:
        raise LaunchRefused("no_subject")
    identity = (
        ExternalIdentity.objects.filter(source=IdentitySource.LTI, issuer=issuer, subject=subject)
        .select_related("user")
        .first()
    )
    claims = {**data, "iss": issuer, "sub": subject}
    if identity is not None:
        return apply_profile_claims(identity.user, claims, source=IdentitySource.LTI)
    user = get_user_model().objects.create_user(username=external_username("lti", issuer, subject))
    user.set_unusable_password()
    user.save()
    ExternalIdentity.objects.create(user=user, source=IdentitySource.LTI, issuer=issuer, subject=subject)
    return apply_profile_claims(user, claims, source=IdentitySource.LTI)


def _enrolment(user, course: CoursePage, session) -> Enrolment:
    try:
        return enrol(user=user, course=course, session=session)
    except EnrolmentRefused as refused:
        if refused.code != "already_enrolled":
            raise
        return Enrolment.objects.get(user=user, course=course_identity(course))


@transaction.atomic
def launch_resource_link(*, data: dict, deployment, session=None) -> Launched:
    """Sign-in identity, enrolment through the one enrolment rule, and the link's grade target."""
    course = course_named_by(data)
    ags = check_line_item(data)
    user = learner_for(data)
    enrolment = _enrolment(user, course, session)
    link, _created = LtiCourseLink.objects.update_or_create(
        deployment=deployment,
        resource_link_id=str((data.get(RESOURCE_LINK) or {}).get("id", "")),
        defaults={
            "context_id": str((data.get(CONTEXT) or {}).get("id", "")),
            "course": course_identity(course),
            "lineitem_url": ags.get("lineitem", ""),
            "lineitems_url": ags.get("lineitems", ""),
            "ags_scopes": list(ags.get("scope", [])),
            "memberships_url": (data.get(NRPS) or {}).get("context_memberships_url", ""),
        },
    )
    LtiGradeTarget.objects.update_or_create(
        link=link, enrolment=enrolment, defaults={"platform_user_id": str(data["sub"])}
    )
    return Launched(user=user, course=course, enrolment=enrolment, link=link)
