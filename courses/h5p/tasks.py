"""Extraction of an uploaded package as a Celery task; under the embedded default it runs at once."""

from celery import shared_task

from .services import process_upload


@shared_task(name="courses.h5p.process_upload")
def process_upload_task(upload_id: int) -> None:
    process_upload(upload_id=upload_id)
