from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    default_auto_field = "django.db.models.BigAutoField"  # as the migrations, whatever the host's default
    verbose_name = _("Learners and progress")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from courses.models import CoursePage

        from . import checks  # noqa: F401 - registers the system checks for this app's settings
        from .accounts import checks as account_checks  # noqa: F401 (deploy checks)
        from .accounts import lockout  # noqa: F401 (receivers counting failed sign-ins)
        from .lti import receivers as lti_receivers  # noqa: F401 (integrations: AGS on completion)
        from .models import Organisation
        from .organisations.services import grant_admin_access
        from .programmes import receivers as programme_receivers  # noqa: F401 (programmes on completion)
        from .progress.structure import content_changed

        def on_admins_changed(sender, instance, action, reverse, pk_set, **kwargs):
            """However someone becomes an organisation admin (service, Django admin), they get access."""
            if action != "post_add" or not pk_set:
                return
            if reverse:
                grant_admin_access(users=[instance])
            else:
                grant_admin_access(users=list(get_user_model().objects.filter(pk__in=pk_set)))

        m2m_changed.connect(
            on_admins_changed, sender=Organisation.admins.through, dispatch_uid="lms-org-admins", weak=False
        )

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(content_changed, dispatch_uid=f"lms-content-{id(signal)}", weak=False)
        post_delete.connect(content_changed, sender=Page, dispatch_uid="lms-content-page-deleted", weak=False)
        # the completion rule (passing score, best or latest) is read from the course's live row
        post_save.connect(content_changed, sender=CoursePage, dispatch_uid="lms-content-course-saved", weak=False)
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed, sender=PageViewRestriction, dispatch_uid=f"lms-restriction-{id(signal)}", weak=False
            )
