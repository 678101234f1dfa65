"""Third-party JavaScript the tests run under Node (verifiers, registry clients), from node_modules.

A script reads one JSON payload on stdin and prints one JSON answer. Its package missing (``npm ci``
not run) or Node absent skips the test, saying so; with REQUIRE_BROWSER=1 (as in CI) it fails it.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def require_package(package: str) -> None:
    """Skip (or, with REQUIRE_BROWSER=1, fail) unless Node and ``node_modules/<package>`` are there."""
    if (ROOT / "node_modules" / package).exists() and shutil.which("node"):
        return
    message = f"node_modules/{package} is missing: run `npm ci`"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (REQUIRE_BROWSER=1)")
    pytest.skip(message)


def run_script(script: Path, payload, *, package: str, env: dict | None = None, timeout: float = 120):
    """Run ``script`` under Node with ``payload`` as JSON on stdin; its JSON answer, or the test fails
    with what it wrote to stderr."""
    require_package(package)
    completed = subprocess.run(
        ["node", str(script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)
