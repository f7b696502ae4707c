"""A compiled rule base kept on disk, so a command does not re-parse and re-check every rule file.

Loading the rule base (parsing ~150 YAML files, validating them, compiling conditions) costs
far more than evaluating one profile. ``load_rulebase`` therefore keeps the loaded ``RuleBase``
as a pickle under ``$XDG_CACHE_HOME/advisor`` (or ``~/.cache/advisor``), keyed by a SHA-256 of:

- every ``*.yaml`` file under the rule directory: its path relative to the directory and its bytes;
- the rule directory's resolved path (rule file paths inside the RuleBase name it);
- the advisor version, the Python version (``sys.version``) and the pydantic version;
- the source of the modules that decide what a loaded RuleBase holds (``CODE_MODULES``), so
  that an edited schema or compiler never meets a stale cache in an editable install;
- whether the cases were loaded, and this module's format number.

Any change to a rule, case, module or registry file gives a new key and a rebuild. One cache
file per rule directory (a rebuild replaces it), and at most ``KEEP`` files.

A cache entry is only used when it is ours to trust: the cache directory is owned by this user
and not writable by anyone else, the file is owned by this user with mode 0600, its checksum
matches and it unpickles to a ``RuleBase`` with the expected key. Anything else (missing,
truncated, corrupt, wrong owner, unreadable directory) means "no cache": the rule base is loaded
from its files and the cache rewritten where possible. A cache problem is never an error.
Directories are created 0700; files are written with ``advisor.files.write_private`` (atomic,
0600). ``ADVISOR_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from advisor import __version__

if TYPE_CHECKING:
    from advisor.rules.loader import RuleBase

FORMAT = 1
MAGIC = b"advisor-rulebase-cache\n"
_DIGEST_SIZE = 32
# The code that decides what a loaded RuleBase holds: its source is part of the key, so that
# editing it (an editable install between releases) cannot leave a stale cache in use.
CODE_MODULES = (
    "advisor.areas", "advisor.facts", "advisor.profile", "advisor.rules.model",
    "advisor.rules.conditions", "advisor.rules.loader", "advisor.rules.cache",
)
KEEP = 16  # cache files kept (one per rule directory); the least recently written go first


def enabled() -> bool:
    return os.environ.get("ADVISOR_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "advisor"


def cache_key(root: Path, *, with_cases: bool) -> str:
    """A hash of everything the loaded RuleBase depends on."""
    h = hashlib.sha256()
    import pydantic

    for part in (f"format={FORMAT}", f"advisor={__version__}", f"python={sys.version}",
                 f"pydantic={pydantic.VERSION}", f"cases={with_cases}", f"root={root.resolve()}"):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for name in CODE_MODULES:  # an edited loader or schema (editable installs) is a new key too
        source = getattr(importlib.import_module(name), "__file__", None)
        h.update(name.encode() + b"\0" + (Path(source).read_bytes() if source else b"?"))
    files = sorted((p.relative_to(root).as_posix(), p) for p in root.rglob("*.yaml"))
    for rel, path in files:
        if not path.is_file():  # a FIFO or device: never opened here (the loader refuses it by name)
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0not a regular file\0")
            continue
        data = path.read_bytes()
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _entry_path(root: Path, with_cases: bool) -> Path:
    name = hashlib.sha256(f"{root.resolve()}\0{with_cases}".encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"rulebase-{name[:24]}{'-cases' if with_cases else ''}.pickle"


def _trusted_dir(directory: Path) -> bool:
    try:
        st = directory.stat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


def _read(path: Path, key: str) -> RuleBase | None:
    """The cached RuleBase for ``key``, or None if there is none we can trust."""
    from advisor.rules.loader import RuleBase

    if not _trusted_dir(path.parent):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            blob = handle.read()
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    head = len(MAGIC) + _DIGEST_SIZE
    if len(blob) <= head or not blob.startswith(MAGIC):
        return None
    payload = blob[head:]
    if hashlib.sha256(payload).digest() != blob[len(MAGIC):head]:
        return None
    try:
        stored_key, rulebase = pickle.loads(payload)
    except Exception:  # any unpickling failure means a corrupt or foreign cache: rebuild
        return None
    if stored_key != key or not isinstance(rulebase, RuleBase):
        return None
    return rulebase


def _write(path: Path, key: str, rulebase: RuleBase) -> None:
    from advisor.files import write_private

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted_dir(path.parent):
            return
        # The fields, and the digest (every evaluator asks for it; computing it dumps every
        # rule). Other cached properties computed on this instance are not stored.
        clean = type(rulebase)(
            root=rulebase.root, version=rulebase.version, rules=rulebase.rules,
            modules=rulebase.modules, registry=rulebase.registry, references=rulebase.references,
            cases=rulebase.cases,
        )
        clean.__dict__["digest"] = rulebase.digest
        payload = pickle.dumps((key, clean), protocol=pickle.HIGHEST_PROTOCOL)
        write_private(path, MAGIC + hashlib.sha256(payload).digest() + payload, force=True)
        _prune(path.parent)
    except Exception:  # a cache that cannot be written is no cache, never an error
        return


def _prune(directory: Path) -> None:
    """Keep the KEEP most recently written cache files (rule directories come and go)."""
    entries = []
    for entry in directory.glob("rulebase-*.pickle"):
        try:
            entries.append((entry.stat().st_mtime, entry))
        except OSError:
            continue
    for _, entry in sorted(entries, reverse=True)[KEEP:]:
        try:
            entry.unlink()
        except OSError:
            pass


def cached_load(root: Path, with_cases: bool, build: Callable[[], RuleBase]) -> RuleBase:
    """The rule base under ``root`` from the cache, or ``build()`` (and the cache refreshed)."""
    if not enabled():
        return build()
    try:
        key = cache_key(root, with_cases=with_cases)
        path = _entry_path(root, with_cases)
    except OSError:
        return build()  # the loader reports unreadable rule files properly
    found = _read(path, key)
    if found is not None:
        return found
    rulebase = build()
    try:
        unchanged = cache_key(root, with_cases=with_cases) == key  # not edited while we loaded
    except OSError:
        unchanged = False
    if unchanged:
        _write(path, key, rulebase)
    return rulebase


__all__ = ["cache_dir", "cache_key", "cached_load", "enabled"]
