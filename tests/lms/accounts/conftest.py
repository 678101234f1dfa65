import re

import pytest

from lms.accounts import sms


@pytest.fixture(autouse=True)
def _empty_sms_outbox(monkeypatch):
    from lms.tasks import send_text_message

    # texts are sent in this process even when a broker is configured (the memory backend's outbox)
    monkeypatch.setitem(send_text_message.app.conf, "task_always_eager", True)
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body)[1]


PASSWORD = "a long pass phrase"
NEW_PASSWORD = "another long pass phrase"
