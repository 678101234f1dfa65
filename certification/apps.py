from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    default_auto_field = "django.db.models.BigAutoField"  # as the migrations, whatever the host's default
    verbose_name = _("Certification")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the system checks for this app's settings
            receivers,  # noqa: F401 - connects the course_completed receiver
        )
