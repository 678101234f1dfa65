"""The Celery application. Under the embedded default every task runs eagerly in the web process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_site.settings.dev")

app = Celery("learning_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
