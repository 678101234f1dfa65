"""Celery tasks run by Celery beat: reminders before an assignment's due date and notices after it."""

from celery import shared_task

from . import services


@shared_task
def send_due_reminders() -> int:
    return services.send_due_reminders()


@shared_task
def send_overdue_notices() -> int:
    return services.send_overdue_notices()
