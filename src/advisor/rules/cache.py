"""A compiled rule base kept on disk, so a command does not re-parse and re-check every rule file.

Loading the rule base (parsing ~250 YAML files, validating them, compiling conditions) costs
far more than evaluating one profile. ``load_rulebase`` therefore keeps the loaded rule base
as plain JSON data (rules/plain.py; never a pickle, nothing in it can run code) in the user's
cache directory (``platformdirs``: ``$XDG_CACHE_HOME/advisor`` or ``~/.cache/advisor`` on Linux,
``~/Library/Caches/advisor`` on macOS, ``%LOCALAPPDATA%\\advisor\\Cache`` on Windows).

The entry's **key** is a SHA-256 of everything the loaded rule base depends on:

- every ``*.yaml`` file under the rule directory: its path relative to the directory and its bytes;
- the rule directory's resolved path (rule file paths inside the RuleBase name it);
- the advisor version, the Python version and the pydantic version;
- the source of the modules that decide what a loaded RuleBase holds (``CODE_MODULES``);
- whether the cases were loaded, and this module's format number.

Hashing every file costs more than the rest of a warm start, so an entry also records the
*stat signature* of those files (path, size, ``mtime_ns``) at the time it was written. When the
signature is unchanged the contents are not read again; when it changed the contents are
hashed and compared with the key. A file modified within ``RACY_NS`` of the signature being
taken is never trusted by its signature (its next change could keep size and mtime).

An entry is only used when it is ours to trust. Every entry carries an HMAC-SHA256 made with a
random secret kept in the cache directory (``secret``, 0600): a file planted or damaged by
anything that does not know the secret fails the check. On POSIX the directory must also be
this user's and not writable by others, and the entry a regular 0600 file of this user. The
stored key must equal the key computed now. Anything else means "no cache": the rule base is
loaded from its files and the entry rewritten where possible. A cache problem is never an error.

The rule base read back reports as its digest the SHA-256 of the very text its rules were
rebuilt from (rules/plain.py), so an assessment always names what was actually evaluated.
``ADVISOR_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from advisor import __version__

if TYPE_CHECKING:
    from advisor.rules.loader import RuleBase

FORMAT = 2
MAGIC = b"advisor-rulebase-cache 2\n"
SUFFIX = ".json"
SECRET_NAME = "secret"
# The code that decides what a loaded RuleBase holds: its source is part of the key, so that
# editing it (an editable install between releases) cannot leave a stale cache in use.
CODE_MODULES = (
    "advisor.areas", "advisor.facts", "advisor.profile", "advisor.rules.model",
    "advisor.rules.conditions", "advisor.rules.loader", "advisor.rules.cache", "advisor.rules.plain",
)
KEEP = 16  # cache files kept (one per rule directory); the least recently written go first
RACY_NS = 2_000_000_000  # files changed this recently are hashed, whatever their stats say


def enabled() -> bool:
    return os.environ.get("ADVISOR_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def cache_dir() -> Path:
    """The user's cache directory for advisor (platformdirs; honours XDG_CACHE_HOME on Linux)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("advisor", appauthor=False))


# --- what the key is made of ---------------------------------------------------------------


def _rule_files(root: Path) -> list[tuple[str, str, os.stat_result]]:
    """(relative path, path, stat) of every *.yaml file under ``root``, sorted by relative path."""
    found: list[tuple[str, str, os.stat_result]] = []
    pending = [(str(root), "")]
    while pending:
        directory, prefix = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir():
                    pending.append((entry.path, rel + "/"))
                elif entry.name.endswith(".yaml") and entry.is_file():
                    found.append((rel, entry.path, entry.stat()))
    found.sort()
    return found


def _code_files() -> list[tuple[str, str]]:
    files = []
    for name in CODE_MODULES:
        module = sys.modules.get(name) or importlib.import_module(name)
        files.append((name, getattr(module, "__file__", None) or ""))
    return files


def _preamble(root: Path, with_cases: bool) -> bytes:
    import pydantic

    parts = (f"format={FORMAT}", f"advisor={__version__}", f"python={sys.version}",
             f"pydantic={pydantic.VERSION}", f"cases={with_cases}", f"root={root.resolve()}")
    return b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in parts)


@dataclass(frozen=True)
class Signature:
    """The stat signature of the files a key covers, and whether it may stand in for the key."""

    value: str
    racy: bool


def signature(root: Path, *, with_cases: bool) -> Signature:
    """A hash of the path, size and mtime_ns of every file the key covers (no file is read)."""
    h = hashlib.sha256(_preamble(root, with_cases))
    newest = 0
    stats = [(name, os.stat(path) if path else None) for name, path in _code_files()]
    for name, st in stats:
        h.update(name.encode() + b"\0" + (f"{st.st_size}:{st.st_mtime_ns}".encode() if st else b"?") + b"\0")
        newest = max(newest, st.st_mtime_ns if st else 0)
    for rel, _, st in _rule_files(root):
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0" + f"{st.st_size}:{st.st_mtime_ns}".encode() + b"\0")
        newest = max(newest, st.st_mtime_ns)
    return Signature(h.hexdigest(), racy=newest > time.time_ns() - RACY_NS)


def cache_key(root: Path, *, with_cases: bool) -> str:
    """A hash of everything the loaded RuleBase depends on (reads every file)."""
    h = hashlib.sha256(_preamble(root, with_cases))
    for name, source in _code_files():  # an edited loader or schema (editable installs) is a new key too
        h.update(name.encode() + b"\0" + (Path(source).read_bytes() if source else b"?"))
    for rel, path, _ in _rule_files(root):
        data = Path(path).read_bytes()
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


# --- trust ---------------------------------------------------------------------------------


def _owned_by_me(st: os.stat_result) -> bool:
    """On POSIX: owned by this user. Windows has no POSIX owner in stat (ACLs instead): True."""
    getuid = getattr(os, "getuid", None)
    return os.name == "nt" or getuid is None or st.st_uid == getuid()


def _trusted_dir(directory: Path) -> bool:
    try:
        st = os.stat(directory)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    return os.name == "nt" or (_owned_by_me(st) and not st.st_mode & 0o022)


def _read_private(path: Path) -> bytes | None:
    """The bytes of a regular file of ours that nobody else can write, or None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        if os.name != "nt" and (not _owned_by_me(st) or st.st_mode & 0o077):
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)


def _secret(directory: Path, *, create: bool) -> bytes | None:
    """This cache directory's HMAC secret (made on first write), or None."""
    path = directory / SECRET_NAME
    for _ in range(2):
        blob = _read_private(path)
        if blob is not None:
            return bytes.fromhex(blob.decode("ascii")) if len(blob) == 64 else None
        if not create:
            return None
        from advisor.errors import OutputError
        from advisor.files import write_private

        try:
            write_private(path, os.urandom(32).hex())
        except OutputError:
            pass  # another process made it first (read it), or it cannot be written (None)
    return None


def _mac(secret: bytes, key: str, sig: str, evaluated: bytes, rest: bytes) -> str:
    message = b"\n".join((key.encode(), sig.encode(), evaluated, rest))
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


# --- entries -------------------------------------------------------------------------------


def _entry_path(root: Path, with_cases: bool) -> Path:
    name = hashlib.sha256(f"{root.resolve()}\0{with_cases}".encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"rulebase-{name[:24]}{'-cases' if with_cases else ''}{SUFFIX}"


@dataclass(frozen=True)
class _Entry:
    key: str
    sig: str
    evaluated: bytes
    rest: bytes


def _read(path: Path) -> _Entry | None:
    """The entry at ``path`` if it is ours and intact (its HMAC checks), else None."""
    if not _trusted_dir(path.parent):
        return None
    blob = _read_private(path)
    if blob is None or not blob.startswith(MAGIC):
        return None
    lines = blob[len(MAGIC):].split(b"\n")
    if len(lines) != 5 or lines[4] != b"":
        return None
    header, evaluated, rest = lines[0], lines[1], lines[2]
    fields = header.split(b" ")
    if len(fields) != 3 or lines[3] != b"end":
        return None
    key, sig, mac = (f.decode("ascii", "replace") for f in fields)
    secret = _secret(path.parent, create=False)
    if secret is None or not hmac.compare_digest(mac, _mac(secret, key, sig, evaluated, rest)):
        return None
    return _Entry(key, sig, evaluated, rest)


def _write(path: Path, key: str, sig: str, evaluated: bytes, rest: bytes) -> None:
    from advisor.files import write_private

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted_dir(path.parent):
            return
        secret = _secret(path.parent, create=True)
        if secret is None:
            return
        header = f"{key} {sig} {_mac(secret, key, sig, evaluated, rest)}".encode()
        write_private(path, b"".join((MAGIC, header, b"\n", evaluated, b"\n", rest, b"\nend\n")), force=True)
        _prune(path.parent)
    except Exception:  # a cache that cannot be written is no cache, never an error
        return


def _prune(directory: Path) -> None:
    """Keep the KEEP most recently written cache files (rule directories come and go), and
    remove entries of the old pickle format (never read)."""
    for old in directory.glob("rulebase-*.pickle"):
        try:
            old.unlink()
        except OSError:
            pass
    entries = []
    for entry in directory.glob(f"rulebase-*{SUFFIX}"):
        try:
            entries.append((entry.stat().st_mtime, entry))
        except OSError:
            continue
    for _, entry in sorted(entries, reverse=True)[KEEP:]:
        try:
            entry.unlink()
        except OSError:
            pass


def _from_entry(entry: _Entry) -> RuleBase | None:
    from advisor.rules.plain import PlainDataError, from_plain

    try:
        return from_plain(entry.evaluated, entry.rest)
    except PlainDataError:
        return None


def cached_load(root: Path, with_cases: bool, build: Callable[[], RuleBase]) -> RuleBase:
    """The rule base under ``root`` from the cache, or ``build()`` (and the cache refreshed)."""
    if not enabled():
        return build()
    try:
        path = _entry_path(root, with_cases)
        sig = signature(root, with_cases=with_cases)
    except OSError:
        return build()  # the loader reports unreadable rule files properly
    entry = _read(path)
    key: str | None = None
    if entry is not None and not sig.racy and entry.sig == sig.value:
        found = _from_entry(entry)  # same files, same stats as when the entry was written
        if found is not None:
            return found
    try:
        key = cache_key(root, with_cases=with_cases)
    except OSError:
        return build()
    if entry is not None and entry.key == key:
        found = _from_entry(entry)  # same contents (files touched or copied): refresh the stats
        if found is not None:
            if not sig.racy and entry.sig != sig.value:
                _write(path, key, sig.value, entry.evaluated, entry.rest)
            return found
    rulebase = build()
    try:
        after = signature(root, with_cases=with_cases)
        unchanged = cache_key(root, with_cases=with_cases) == key  # not edited while we loaded
    except OSError:
        return rulebase
    if unchanged:
        from advisor.rules.plain import digest_of, to_plain

        evaluated, rest = to_plain(rulebase)
        rulebase.__dict__.setdefault("digest", digest_of(evaluated))  # the same hash, computed once
        stored_sig = after.value if after.value == sig.value and not after.racy else "-"
        _write(path, key, stored_sig, evaluated.encode("utf-8"), rest.encode("utf-8"))
    return rulebase


__all__ = ["cache_dir", "cache_key", "cached_load", "enabled", "signature"]
