"""Private files: everything the trainee records stays readable by the user only (0600 / 0700).

Modes are set explicitly after creation, so they hold whatever the umask. A log record is
appended with one ``os.write`` on an ``O_APPEND`` descriptor and synced; if the write fails or is
short (a full disk), the file is cut back to its previous length, so a record is on disk whole or
not at all.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from simulator.errors import StorageError

DIR_MODE = 0o700
FILE_MODE = 0o600


def _explain(path: Path, exc: OSError) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError(f"{path}: the disk is full; free some space and try again")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError(
            f"{path}: cannot write here ({exc.strerror}); choose another folder with --out"
        )
    return StorageError(f"{path}: cannot write ({exc.strerror})")


def tighten_dir(folder: Path) -> None:
    """Make a folder of ours 0700; a shared one (sticky, like /tmp) or another user's is left."""
    try:
        info = folder.stat()
    except OSError:
        return
    if info.st_mode & stat.S_ISVTX or info.st_uid != os.getuid():
        return
    if stat.S_IMODE(info.st_mode) != DIR_MODE:
        with contextlib.suppress(OSError):  # e.g. read-only; the files inside are still 0600
            folder.chmod(DIR_MODE)


def private_dir(folder: Path, *, stop: Path | None = None) -> Path:
    """Create ``folder`` and any missing parents as 0700 (below ``stop``), whatever the umask."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent and current != stop:
        missing.append(current)
        current = current.parent
    try:
        for part in reversed(missing):
            with contextlib.suppress(FileExistsError):
                part.mkdir(mode=DIR_MODE)
            part.chmod(DIR_MODE)
        if not folder.is_dir():
            raise StorageError(f"{folder}: not a folder")
    except OSError as exc:
        raise _explain(folder, exc) from exc
    return folder


def new_private_dir(folder: Path) -> None:
    """Create ``folder`` (0700), failing with FileExistsError if it exists: nothing is reused."""
    private_dir(folder.parent)
    try:
        folder.mkdir(mode=DIR_MODE)
        folder.chmod(DIR_MODE)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _explain(folder, exc) from exc


def _open_private(path: Path, flags: int) -> int:
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | flags, FILE_MODE)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # never change a device or other special file
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def _sync(fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno != errno.EINVAL:  # EINVAL: this kind of file cannot be synced
            raise


def write_private(path: Path, payload: bytes) -> None:
    """Write a whole file only the user can read, explaining a full disk in plain words."""
    partial = path.with_name(path.name + ".partial")
    try:
        fd = _open_private(partial, os.O_TRUNC)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            _sync(fd)
        finally:
            os.close(fd)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _explain(path, exc) from exc


def append_private(path: Path, record: bytes) -> None:
    """Append one record with a single write, synced; on failure the file is left as before."""
    try:
        fd = _open_private(path, os.O_APPEND)
    except OSError as exc:
        raise _explain(path, exc) from exc
    try:
        before = os.fstat(fd).st_size
        try:
            written = os.write(fd, record)
            if written != len(record):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            _sync(fd)
        except OSError as exc:
            _cut_back(fd, before)
            raise _explain(path, exc) from exc
    finally:
        os.close(fd)


def _cut_back(fd: int, size: int) -> None:
    """Remove a partly written record (best effort: a full disk still allows shrinking)."""
    try:
        if os.fstat(fd).st_size > size:
            os.ftruncate(fd, size)
    except OSError:
        pass
