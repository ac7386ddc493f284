"""Private files: everything the trainee records stays readable by the user only (0600 / 0700)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from simulator.errors import StorageError


def _explain(path: Path, exc: OSError) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError(f"{path}: the disk is full; free some space and try again")
    return StorageError(f"{path}: cannot write ({exc.strerror})")


def _open_private(path: Path, flags: int) -> int:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return os.open(path, os.O_WRONLY | os.O_CREAT | flags, 0o600)


def write_private(path: Path, payload: bytes) -> None:
    """Write a whole file only the user can read, explaining a full disk in plain words."""
    partial = path.with_name(path.name + ".partial")
    try:
        fd = _open_private(partial, os.O_TRUNC)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _explain(path, exc) from exc


def append_private(path: Path, payload: bytes) -> None:
    """Append to a file only the user can read and flush it to disk; earlier content is kept."""
    try:
        fd = _open_private(path, os.O_APPEND)
        with os.fdopen(fd, "ab") as fh:
            fh.write(payload)
            fh.flush()
            try:
                os.fsync(fh.fileno())
            except OSError as exc:
                if exc.errno != errno.EINVAL:  # EINVAL: this kind of file cannot be synced
                    raise
    except OSError as exc:
        raise _explain(path, exc) from exc
