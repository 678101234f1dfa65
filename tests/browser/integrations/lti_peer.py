"""Start the LTI 1.3 platform peer (tests/peers/lti_platform, on lti1p3platform) on a free port."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[3]
SERVE = ROOT / "tests" / "peers" / "lti_platform" / "serve.py"


@dataclass
class LtiPeer:
    url: str
    client_id: str
    deployment_id: str
    process: subprocess.Popen

    def gradebook(self) -> dict:
        return requests.get(f"{self.url}/gradebook.json", timeout=10).json()

    def last_form(self) -> dict:
        return requests.get(f"{self.url}/last-launch.json", timeout=10).json()


def start_lti_peer(tool_url: str) -> LtiPeer:
    env = {**os.environ, "TOOL_URL": tool_url, "TOOL_CLIENT_ID": "academy-tool", "TOOL_DEPLOYMENT_ID": "dep-1"}
    process = subprocess.Popen(
        [sys.executable, str(SERVE)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        process.kill()
        raise RuntimeError(f"The LTI platform peer did not start: {line}{process.stderr.read()}")
    return LtiPeer(f"http://127.0.0.1:{int(line.split()[1])}", "academy-tool", "dep-1", process)


def stop(peer: LtiPeer) -> None:
    peer.process.terminate()
    try:
        peer.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        peer.process.kill()
