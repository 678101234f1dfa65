from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_editorial_roles(using: str = "default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from .services import ensure_editorial_roles

    # post_migrate reaches the apps in order, and each app's permissions are created on its own
    # turn; make sure every permission the roles name exists before granting it.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_editorial_roles()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        # After every migrate, so that a production database gets the roles without the demo seed.
        post_migrate.connect(_ensure_editorial_roles, sender=self, dispatch_uid="courses.editorial_roles")
