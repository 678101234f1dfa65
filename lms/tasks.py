"""Celery tasks run by Celery beat: reminders before an assignment's due date and notices after it."""

import uuid

from celery import shared_task

from .accounts import sms
from .notices import services as notices
from .statements import forwarding


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_reminders() -> int:
    return notices.send_due_reminders()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_overdue_notices() -> int:
    return notices.send_overdue_notices()


@shared_task(
    autoretry_for=(forwarding.ForwardingFailed,),
    retry_backoff=5,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=12,
    acks_late=True,
    reject_on_worker_lost=True,
)
def forward_statement_task(statement_id: str) -> int | None:
    """Forward one statement to the external LRS; an unreachable or failing LRS is retried for about
    a day with growing pauses, and a PUT by id makes every retry safe."""
    return forwarding.forward_statement(statement_id=uuid.UUID(statement_id))


@shared_task(autoretry_for=(sms.SmsNotSent,), retry_backoff=5, retry_backoff_max=60, max_retries=3, acks_late=True)
def send_text_message(to: str, body: str) -> None:
    """One SMS through the configured backend, off the request: the answer to "send me a code" then
    takes as long whether or not an account exists. Retried briefly (codes live minutes, not hours)."""
    sms.send_sms(to=to, body=body)


@shared_task
def send_lti_grades() -> int:
    """integrations: AGS scores and completion of every LTI-launched enrolment that changed."""
    from .lti.grades import send_changed_grades

    return send_changed_grades()
