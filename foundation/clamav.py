"""Scanning uploads with ClamAV's ``clamd`` over its INSTREAM protocol (no client library needed).

Configured by ``CLAMD_SOCKET`` (a Unix socket path) or ``CLAMD_HOST`` and ``CLAMD_PORT``; with none
set, nothing is scanned. ``scan`` sends the bytes in chunks and reads clamd's one-line answer:
``stream: OK``, ``stream: <signature> FOUND`` (VirusFound) or an error; a scanner that is
configured but cannot be reached, or answers nonsense, is ScannerUnavailable, so callers refuse the
upload rather than letting it through unscanned. See docs/scorm.md for running clamd in production.
"""

from __future__ import annotations

import socket
import struct

from foundation.conf import foundation_settings

CHUNK = 64 * 1024


class VirusFound(Exception):
    def __init__(self, signature: str):
        self.signature = signature
        super().__init__(signature)


class ScannerUnavailable(Exception):
    """clamd is configured but did not answer (not running, wrong address, timed out, limit exceeded)."""


def scanner_configured() -> bool:
    return bool(foundation_settings.CLAMD_SOCKET or foundation_settings.CLAMD_HOST)


def _connect() -> socket.socket:
    timeout = float(foundation_settings.CLAMD_TIMEOUT)
    path = foundation_settings.CLAMD_SOCKET
    try:
        if path:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(timeout)
            connection.connect(path)
            return connection
        address = (foundation_settings.CLAMD_HOST, int(foundation_settings.CLAMD_PORT))
        return socket.create_connection(address, timeout=timeout)
    except (OSError, ValueError) as exc:
        where = path or f"{foundation_settings.CLAMD_HOST}:{foundation_settings.CLAMD_PORT}"
        raise ScannerUnavailable(f"clamd at {where}: {exc}") from exc


def _answer(connection: socket.socket) -> str:
    chunks = []
    while True:
        data = connection.recv(4096)
        if not data:
            break
        chunks.append(data)
        if data.endswith(b"\0"):
            break
    return b"".join(chunks).rstrip(b"\0\n").decode("utf-8", "replace")


def ping() -> bool:
    """Whether clamd answers PONG (for health checks and tests)."""
    try:
        with _connect() as connection:
            connection.sendall(b"zPING\0")
            return _answer(connection) == "PONG"
    except (OSError, ScannerUnavailable):
        return False


def scan(data: bytes) -> None:
    """Raise VirusFound naming the signature, ScannerUnavailable if clamd cannot say; return if clean."""
    try:
        with _connect() as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = _answer(connection)
    except OSError as exc:
        raise ScannerUnavailable(f"clamd: {exc}") from exc
    if answer.endswith(" FOUND"):
        raise VirusFound(answer.removeprefix("stream:").removesuffix(" FOUND").strip())
    if not answer.endswith(" OK"):
        raise ScannerUnavailable(f"clamd answered {answer!r}")
