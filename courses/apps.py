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


def _forget_routes_for_new_live_alias(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.live and instance.alias_of_id:
        from .routing import forget_routes

        forget_routes()


class CoursesConfig(AppConfig):
    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"  # as the migrations, whatever the host's default
    verbose_name = _("Courses")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks for this app's settings

        # After every migrate, so that a production database gets the roles without the demo seed.
        post_migrate.connect(_ensure_editorial_roles, sender=self, dispatch_uid="courses.editorial_roles")

        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import post_page_move

        from .publication import forget_view_restrictions

        for signal in (post_save, post_delete):
            signal.connect(
                forget_view_restrictions,
                sender=PageViewRestriction,
                dispatch_uid=f"courses.restrictions-{id(signal)}",
                weak=False,
            )
        m2m_changed.connect(
            forget_view_restrictions,
            sender=PageViewRestriction.groups.through,
            dispatch_uid="courses.restriction-groups",
            weak=False,
        )
        post_page_move.connect(forget_view_restrictions, dispatch_uid="courses.restrictions-moved", weak=False)

        from wagtail.models import Site
        from wagtail.signals import page_published, page_unpublished

        from .identity import forget_sources
        from .routing import forget_routes

        post_delete.connect(forget_sources, sender=Page, dispatch_uid="courses.sources-page-deleted", weak=False)

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(forget_routes, dispatch_uid=f"courses.routes-{id(signal)}", weak=False)
        # an alias (a translation that follows its source) is created live, with no publication
        from wagtail.models import get_page_models

        for model in get_page_models():
            post_save.connect(
                _forget_routes_for_new_live_alias, sender=model, dispatch_uid=f"courses.alias-{model._meta.label}"
            )
        post_delete.connect(forget_routes, sender=Page, dispatch_uid="courses.routes-page-deleted", weak=False)
        for signal in (post_save, post_delete):
            signal.connect(forget_routes, sender=Site, dispatch_uid=f"courses.routes-site-{id(signal)}", weak=False)
        post_delete.connect(forget_view_restrictions, sender=Page, dispatch_uid="courses.restrictions-page", weak=False)
