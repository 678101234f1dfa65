"""The public URLs that credentials name: they are signed into credentials, so they never change."""

import uuid

from .keys import site_url
from .models import StatusList


def status_list_url(status_list: StatusList) -> str:
    return f"{site_url()}/certificates/status/{status_list.pk}"


def verify_url(certificate_id: uuid.UUID) -> str:
    return f"{site_url()}/v/{certificate_id}"
