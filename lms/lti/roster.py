"""Names and Roles Provisioning Service: who is in the launching context, for the platform's teacher."""

from pylti1p3.exception import LtiException, LtiServiceException


def roster_of(lti_launch) -> list[dict] | None:
    """The context's members as the platform lists them (``None`` when the platform offers no NRPS)."""
    message_launch = lti_launch.get_message_launch()
    if not message_launch.has_nrps():
        return None
    try:
        members = message_launch.get_nrps().get_members()
    except (LtiException, LtiServiceException, OSError):
        return None
    lti_launch.context.update_memberships(members)
    return [
        {
            "name": member.get("name") or member.get("user_id"),
            "roles": ", ".join(role.rsplit("#", 1)[-1] for role in member.get("roles", [])),
            "status": member.get("status", ""),
        }
        for member in members
    ]
