from django.apps import AppConfig


class LearningSiteConfig(AppConfig):
    """The reference site that runs the suite: its settings, root URLs, Celery app and demo seeding.

    It is the one package that knows every app; no app imports it, so a ministry's own Wagtail site
    can install the apps without it."""

    name = "learning_site"
    verbose_name = "Reference learning site"

    def ready(self):
        from . import checks  # noqa: F401  (registers the site's system checks)
