"""Forwarding to a real, independent LRS: Ralph (PyPI ``ralph-malph``) with its file-system backend,
started by the test from its own virtualenv (``make install-dev`` builds it at ``LRS_PEER_VENV``,
by default ``../lrs-peer-venv`` beside the checkout) on a free port of 127.0.0.1."""

import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from lms.services import enrol
from lms.tasks import forward_statement_task
from tests.api.conftest import XAPI
from tests.lms.conftest import check_iri
from tests.lms.test_statements import statement

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("LRS_PEER_VENV", ROOT.parent / "lrs-peer-venv"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def ralph(tmp_path, settings, monkeypatch):
    binary = VENV / "bin" / "ralph"
    if not binary.exists():
        pytest.fail(f"Ralph is not installed at {binary}: run `make install-dev` (or set LRS_PEER_VENV).")
    env = {**os.environ, "RALPH_APP_DIR": str(tmp_path / "app"), "RALPH_RUNSERVER_BACKEND": "fs"}
    subprocess.run(
        [binary, "auth", "-u", "lms", "-p", "secret", "-s", "all", "-M", "mailto:lms@example.org", "-w"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    server = subprocess.Popen(
        [
            binary,
            "runserver",
            "-b",
            "fs",
            "--fs-default-directory-path",
            str(tmp_path / "data"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/xAPI"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/__heartbeat__", timeout=2).status_code < 500:
                break
        except requests.ConnectionError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("Ralph did not start within 90 s.")
    monkeypatch.setitem(forward_statement_task.app.conf, "task_always_eager", True)
    settings.XAPI_FORWARD_URL = f"{base}/"
    settings.XAPI_FORWARD_USERNAME, settings.XAPI_FORWARD_PASSWORD = "lms", "secret"
    yield base
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.django_db
def test_a_stored_statement_reaches_ralph(ralph, tree, people, django_capture_on_commit_callbacks):
    enrol(user=people.learner, course=tree.course)
    sent = statement(people.learner, check_iri(tree.lessons[0]), id=str(uuid.uuid4()))
    with django_capture_on_commit_callbacks(execute=True):  # the forwarding task runs after the commit
        response = people.client("learner").post("/api/v1/statements/", sent, format="json", headers=XAPI)
    assert response.status_code == 200, response.content
    found = requests.get(
        f"{ralph}/statements", params={"statementId": sent["id"]}, auth=("lms", "secret"), headers=XAPI, timeout=30
    )
    assert found.status_code == 200, found.text
    # Ralph 5.1.0 answers a StatementResult even for statementId.
    body = found.json()
    [stored] = body.get("statements", [body])
    assert stored["id"] == sent["id"]
    assert stored["verb"]["id"] == sent["verb"]["id"]
    assert stored["actor"] == sent["actor"]
