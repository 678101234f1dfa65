"""A real ClamAV ``clamd`` for tests, started on a Unix socket and a free 127.0.0.1 port, with a signature
database the test writes itself holding only the EICAR test signature (no signature download is possible
or needed). Debian's ``clamav-daemon`` provides ``clamd``; without it the tests are skipped, saying so."""

import hashlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

# The EICAR anti-virus test file: harmless, and every scanner reports it.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"
CLAMD = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)


@dataclass
class Clamd:
    socket_path: Path
    port: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def clamd(tmp_path_factory):
    if CLAMD is None:
        if os.environ.get("REQUIRE_CLAMD") == "1":
            pytest.fail("clamd is not installed (Debian package clamav-daemon) and REQUIRE_CLAMD=1")
        pytest.skip("clamd is not installed (Debian package clamav-daemon): the scanner tests were skipped")
    folder = tmp_path_factory.mktemp("clamd")
    database = folder / "db"
    database.mkdir()
    (database / "eicar.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:{SIGNATURE}\n")  # noqa: S324
    socket_path, port = folder / "clamd.sock", _free_port()
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"DatabaseDirectory {database}",
                f"LocalSocket {socket_path}",
                "TCPAddr 127.0.0.1",
                f"TCPSocket {port}",
                f"LogFile {folder / 'clamd.log'}",
                f"PidFile {folder / 'clamd.pid'}",
                "ScanArchive yes",
                "",
            ]
        )
    )
    process = subprocess.Popen([CLAMD, "--config-file", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd exited: {process.stderr.read().decode()} {log}")
            if socket_path.exists():
                try:
                    with socket.socket(socket.AF_UNIX) as probe:
                        probe.connect(str(socket_path))
                        probe.sendall(b"zPING\0")
                        if probe.recv(16).startswith(b"PONG"):
                            break
                except OSError:
                    pass
            if time.monotonic() > deadline:
                pytest.fail("clamd did not answer within 60 s")
            time.sleep(0.2)
        yield Clamd(socket_path=socket_path, port=port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
