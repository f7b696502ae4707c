"""A lock file that says who holds it: created exclusively, holding pid, host and start time.

Used for interview drafts: two sessions on one draft would each save over the other's
answers while telling their user the answers were saved. The lock is a file created with
``O_CREAT | O_EXCL`` (atomic on every platform, no fcntl), so exactly one session gets it.
A lock left by a process that no longer runs on this machine is stale and taken over; a
lock from another machine (a shared folder) is never taken over, since that process cannot
be checked from here.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from advisor.errors import OutputError


class LockedError(OutputError):
    """The file is locked by another process that may still be running."""


@dataclass(frozen=True)
class Holder:
    """Who holds a lock."""

    pid: int
    host: str
    started: str  # UTC, ISO 8601, to the second

    def text(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "started": self.started}, sort_keys=True) + "\n"


def _me() -> Holder:
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return Holder(os.getpid(), socket.gethostname(), now.isoformat())


def read_holder(path: Path) -> Holder | None:
    """The holder a lock file names, or None when it cannot be read or is not a lock."""
    try:
        with path.open("rb") as handle:
            data = json.loads(handle.read(4096).decode("utf-8"))
        return Holder(int(data["pid"]), str(data["host"]), str(data["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this machine (True when unsure)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        # os.kill(pid, 0) would send CTRL_C_EVENT on Windows: ask the kernel instead.
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def _is_stale(holder: Holder) -> bool:
    if holder.host != socket.gethostname():
        return False
    return holder.pid == os.getpid() or not pid_alive(holder.pid)


@dataclass
class Lock:
    """A lock this process holds; ``release`` removes it (only if it is still ours)."""

    path: Path
    holder: Holder
    taken_over: Holder | None = None  # the stale holder it replaced, if any

    def release(self) -> None:
        if read_holder(self.path) == self.holder:
            with contextlib.suppress(OSError):
                self.path.unlink()

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(path: Path, what: str) -> Lock:
    """Create the lock file ``path`` for ``what`` (the locked file's name, for messages).

    Raises LockedError naming the holder when another live process holds it."""
    me = _me()
    taken_over: Holder | None = None
    for _ in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            holder = read_holder(path)
            if holder is None:
                raise LockedError(
                    f"is locked by {path.name}, which does not say who holds it", file=what,
                    suggestion=f"if no other session is running, delete {path}",
                ) from None
            if not _is_stale(holder):
                raise LockedError(
                    f"is in use by process {holder.pid} on {holder.host} since {holder.started}",
                    file=what,
                    suggestion=f"finish that session first; if it is no longer running, delete {path}",
                ) from None
            # A dead process's lock: take it over, unless it changed in the meantime.
            if read_holder(path) == holder:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            taken_over = holder
            continue
        except OSError as exc:
            raise OutputError(f"cannot create the lock file: {exc.strerror or exc}", file=str(path)) from exc
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(me.text())
        return Lock(path, me, taken_over)
    raise LockedError("its lock file keeps changing; another session is starting", file=what)
