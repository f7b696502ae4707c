"""Writing files the way sensitive data deserves: atomically, owner-only, never clobbering.

A file is written to a temporary file in the same directory (mode 0600), flushed and
fsynced, then renamed over the target, so an error or an interruption never leaves a
half-written file and never destroys what was there. An existing file is only replaced
with ``force=True``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from advisor.errors import OutputError
from advisor.i18n import _

OWNER_ONLY = 0o600


def write_private(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Atomically write ``data`` to ``path`` with mode 0600."""
    if path.exists() and not force:
        raise OutputError(_("already exists; not overwritten"), file=str(path),
                          suggestion=_("use --force to replace it"))
    if path.is_dir():
        raise OutputError(_("is a directory"), file=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(_("its directory does not exist"), file=str(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = -1
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        os.fchmod(fd, OWNER_ONLY)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = ""
    except OSError as exc:
        raise OutputError(_("cannot write: {reason}").format(reason=exc.strerror or exc), file=str(path)) from exc
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
