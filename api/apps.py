from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    default_auto_field = "django.db.models.BigAutoField"  # as the migrations, whatever the host's default
    verbose_name = _("API")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks for this app's settings
