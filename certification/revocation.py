"""Setting a certificate's revocation bit: the one step that revoking and re-issuing share."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .models import AuditAction, AuditEntry, Certificate, StatusList
from .status_lists import with_bit


def set_revoked(certificate: Certificate, *, reason: str, actor: AbstractBaseUser | None) -> None:
    """Inside the caller's transaction: lock the list, set the bit, mark the row, write the audit entry."""
    status_list = StatusList.objects.select_for_update().get(pk=certificate.status_list_id)
    status_list.bits = with_bit(bytes(status_list.bits), certificate.status_index, True)
    status_list.version += 1
    status_list.save(update_fields=["bits", "version", "updated_at"])
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revocation_reason"])
    AuditEntry.objects.create(action=AuditAction.REVOKED, certificate=certificate, actor=actor, reason=reason)
