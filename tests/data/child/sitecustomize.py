"""Loaded by the fault and offline tests' child processes (put on PYTHONPATH) to stage a fault.

Full disk: $FAULT_SITE names a write site under $FAULT_ROOT, a log record ("start", "exchange",
"end") or a WAV file ("client", "reply", "client-closing"). Its $FAULT_NTH occurrence stores half
its bytes and fails with ENOSPC, as a disk that fills up mid-write does; from then on every write
under $FAULT_ROOT fails the same way, as a full disk stays full.

No network: with $OFFLINE_LOG set, name lookups and connections to anything but a local
(AF_UNIX) socket raise OSError and are appended to that file, so the test sees an attempt even
if the program swallowed the error.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

_ROOT = os.environ.get("FAULT_ROOT", "")
_SITE = os.environ.get("FAULT_SITE", "")
_NTH = int(os.environ.get("FAULT_NTH", "1"))
_real_write = os.write
_state = {"seen": 0, "full": False}


def _path(fd: int) -> str:
    try:
        return str(Path(f"/proc/self/fd/{fd}").readlink())
    except OSError:
        return ""


def _is_site(path: str, data: bytes) -> bool:
    if _SITE in ("start", "exchange", "end"):
        return path.endswith(".jsonl") and data.startswith(f'{{"type": "{_SITE}"'.encode())
    return path.endswith(f"-{_SITE}.wav.partial")


def _write(fd: int, data: bytes) -> int:
    path = _path(fd)
    if _ROOT and path.startswith(_ROOT):
        if not _state["full"] and _is_site(path, bytes(data[:40])):
            _state["seen"] += 1
            _state["full"] = _state["seen"] >= _NTH
        if _state["full"]:
            _real_write(fd, bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return _real_write(fd, data)


if _ROOT and _SITE:
    os.write = _write  # type: ignore[assignment]


_LOG = os.environ.get("OFFLINE_LOG", "")


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event not in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "socket.bind"):
        return
    if event != "socket.getaddrinfo" and getattr(args[0], "family", None) == socket.AF_UNIX:
        return
    with Path(_LOG).open("a", encoding="utf-8") as fh:
        fh.write(f"{event} {args[1:]!r}\n")
    raise OSError(f"network use in an offline test: {event}")


if _LOG:
    sys.addaudithook(_hook)
