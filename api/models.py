"""Organisations' systems as OAuth 2.0 clients: which unit a client acts for and what it may do."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application

from lms.models import Organisation

#: What an organisation's system may be allowed to do; each client is granted a subset.
ORGANISATION_SCOPES = {
    "read": _("Read the organisation's enrolments, progress and reports"),
    "enrol": _("Enrol the organisation's members and assign courses"),
}


class OrganisationClient(models.Model):
    """One OAuth application per organisation's system. Its ``user`` is a service account that
    administers the unit, so a client sees exactly what the unit's admins see on the site; ``scopes``
    narrows that further (a reporting system gets ``read`` and cannot enrol anyone)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="organisation_client")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_clients")
    scopes = models.CharField(max_length=200, help_text=_("Space-separated: read, enrol."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation API client")

    def __str__(self) -> str:
        return f"{self.application.name} ({self.organisation})"

    @property
    def scope_list(self) -> list[str]:
        return [scope for scope in self.scopes.split() if scope in ORGANISATION_SCOPES]
