"""Celery tasks run by Celery beat: reminders before an assignment's due date and notices after it."""

import uuid

from celery import shared_task

from . import services


@shared_task
def send_due_reminders() -> int:
    return services.send_due_reminders()


@shared_task
def send_overdue_notices() -> int:
    return services.send_overdue_notices()


@shared_task(
    autoretry_for=(services.ForwardingFailed,),
    retry_backoff=5,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=12,
    acks_late=True,
)
def forward_statement_task(statement_id: str) -> int | None:
    """Forward one statement to the external LRS; an unreachable or failing LRS is retried for about
    a day with growing pauses, and a PUT by id makes every retry safe."""
    return services.forward_statement(statement_id=uuid.UUID(statement_id))
