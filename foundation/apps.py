from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoundationConfig(AppConfig):
    name = "foundation"
    default_auto_field = "django.db.models.BigAutoField"  # as the migrations, whatever the host's default
    verbose_name = _("Learning suite foundation")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the system checks for this app's settings
            forms,
            languages,
            numerals,
        )

        numerals.install()  # numbers and dates in the page's digits
        forms.install()  # and any digits typed into a number, date or phone field read as ASCII
        languages.install()  # Dzongkha, which Django does not know, in LANG_INFO
