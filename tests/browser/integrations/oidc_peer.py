"""Start the OIDC provider peer (tests/peers/oidc_provider) in a second process on a free port."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[3]
SERVE = ROOT / "tests" / "peers" / "oidc_provider" / "serve.py"


@dataclass
class OIDCPeer:
    url: str
    private_key_pem: str
    client_id: str
    client_secret: str
    username: str
    password: str
    process: subprocess.Popen

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"


def new_rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def start_oidc_peer(tmp_path: Path, *, redirect_uri: str, post_logout_uri: str = "") -> OIDCPeer:
    key = new_rsa_key_pem()
    env = {
        **os.environ,
        "PEER_DB": str(tmp_path / "provider.sqlite3"),
        "PEER_RSA_PRIVATE_KEY": key,
        "PEER_CLIENT_ID": "learning-site",
        "PEER_CLIENT_SECRET": "peer-client-secret-for-tests",
        "PEER_REDIRECT_URI": redirect_uri,
        "PEER_POST_LOGOUT_URI": post_logout_uri,
        "PEER_USERNAME": "nusrat",
        "PEER_PASSWORD": "provider-password-1",
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, str(SERVE)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        process.kill()
        raise RuntimeError(f"The OIDC provider peer did not start: {line}{process.stderr.read()}")
    return OIDCPeer(
        url=f"http://127.0.0.1:{int(line.split()[1])}",
        private_key_pem=key,
        client_id=env["PEER_CLIENT_ID"],
        client_secret=env["PEER_CLIENT_SECRET"],
        username=env["PEER_USERNAME"],
        password=env["PEER_PASSWORD"],
        process=process,
    )


def stop(peer: OIDCPeer) -> None:
    peer.process.terminate()
    try:
        peer.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        peer.process.kill()
