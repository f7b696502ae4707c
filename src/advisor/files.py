"""Writing files the way sensitive data deserves: atomically, owner-only, never clobbering.

A file is written to a temporary file in the same directory (owner-only), flushed and
fsynced, then moved into place, so an error or an interruption never leaves a half-written
file and never destroys what was there:

- without ``force`` the target is *created exclusively*: the temporary file is hard-linked to
  the target name (``os.link`` fails if the name exists), or, where the file system has no
  hard links, the name is reserved with ``O_CREAT | O_EXCL`` before the rename. Of two
  processes writing the same new file, the second fails and the first one's file survives;
- with ``force`` an existing *regular* file is replaced (``os.replace``); a directory, a
  device, a FIFO, a socket or a symbolic link is never replaced.

Owner-only: on POSIX the file is created with mode 0600. Windows has no mode bits: the file
takes the access rules (ACL) of the folder it is written to; advisor does not change them (see
README, "Privacy"). No POSIX-only call is made without a fallback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from advisor.errors import OutputError

OWNER_ONLY = 0o600


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    return exc.strerror or str(exc)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is not a regular file"


def _existing(path: Path) -> os.stat_result | None:
    """The target's own status (links not followed), or None if there is nothing there."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise OutputError("its directory does not exist", file=str(path)) from None
        raise OutputError(f"cannot write: {_reason(exc)}", file=str(path)) from None


def _restrict(fd: int) -> None:
    """Mode 0600 on POSIX (mkstemp already creates it so; this also covers a umask-less mount)."""
    if os.name != "nt" and hasattr(os, "fchmod"):
        os.fchmod(fd, OWNER_ONLY)


def _create_exclusively(tmp: str, path: Path) -> None:
    """Move the finished temporary file to ``path``, failing if ``path`` exists."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except (AttributeError, NotImplementedError, OSError):
        # No hard link here: FAT/exFAT, some network shares (EPERM, EOPNOTSUPP, EINVAL on
        # Windows...), or no os.link at all. The O_EXCL reservation below reports real errors.
        pass
    else:
        os.unlink(tmp)
        return
    # No hard links here: reserve the name (fails if it exists), then move over our own reservation.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), OWNER_ONLY)
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)  # our empty reservation, never someone else's file
        raise


def write_private(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Atomically write ``data`` to ``path``, owner-only; never replace a file without ``force``."""
    exists_message = "already exists; not overwritten"
    current = _existing(path)
    if current is not None:
        if stat.S_ISDIR(current.st_mode):
            raise OutputError("is a directory", file=str(path))
        if not force:
            raise OutputError(exists_message, file=str(path), suggestion="use --force to replace it")
        if not stat.S_ISREG(current.st_mode):
            raise OutputError(f"{_kind(current.st_mode)}; only a regular file is replaced", file=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    try:
        is_dir = stat.S_ISDIR(os.stat(directory).st_mode)
    except OSError:
        is_dir = False
    if not is_dir:
        raise OutputError("its directory does not exist", file=str(path))
    import tempfile  # (imported here: a command that writes nothing does not pay for it)

    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = -1
    tmp = ""
    try:
        # A short temporary name: a target name near the length limit must not fail for it.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:32]}.", suffix=".tmp", dir=directory)
        _restrict(fd)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            current = _existing(path)  # it may have changed while we wrote
            if current is not None and not stat.S_ISREG(current.st_mode):
                raise OutputError(f"{_kind(current.st_mode)}; only a regular file is replaced", file=str(path))
            os.replace(tmp, path)
        else:
            _create_exclusively(tmp, path)
        tmp = ""
    except FileExistsError:
        raise OutputError(exists_message, file=str(path), suggestion="use --force to replace it") from None
    except OSError as exc:
        raise OutputError(f"cannot write: {_reason(exc)}", file=str(path)) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
