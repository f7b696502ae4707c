"""Reading many profiles and screening them, in order, in one or several processes.

Inputs are files (.yaml, .yml, .json: one profile each), directories (searched recursively
for those, and for .jsonl, in sorted order) and JSON Lines files (.jsonl: one profile per
line, read lazily). Each input becomes an ``Item``; an item that cannot be read or does not
validate becomes an ``ItemError`` naming its path (and line, for JSON Lines), and the batch
goes on.

``ordered_map`` maps a function over chunks of items, in this process (``jobs=1``) or in a
pool of processes, keeping the input order and at most ``2 * jobs`` chunks in flight, so
memory stays flat however long the input is and the output is the same for any ``jobs``.
The map is all there is: the same function runs unchanged under Dask, Spark or Ray.
"""

from __future__ import annotations

import multiprocessing
import signal
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from advisor.documents import decode_text, parse_text
from advisor.errors import AdvisorError, InputFileError
from advisor.profile import Profile
from advisor.profile_io import load_profile, profile_from_document

if TYPE_CHECKING:
    from advisor.rules.loader import RuleBase

PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
STREAM_SUFFIX = ".jsonl"
DEFAULT_CHUNK = 64

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Item:
    index: int
    path: str
    line: int | None = None  # JSON Lines: the line number (1-based)
    text: str | None = None  # JSON Lines: the line itself

    @property
    def label(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass(frozen=True)
class ItemError:
    index: int
    label: str
    message: str


def is_stream(path: Path) -> bool:
    return path.suffix.lower() == STREAM_SUFFIX


def _expand(path: Path) -> Iterator[Path]:
    if path.is_dir():
        found = sorted(
            p for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in (*PROFILE_SUFFIXES, STREAM_SUFFIX)
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        yield from found
    else:
        yield path


def _stream_lines(path: Path) -> Iterator[tuple[int, str | AdvisorError]]:
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the open itself
            yield 0, InputFileError("is not a regular file (a device, pipe or socket)", file=str(path))
            return
        handle = path.open("rb")
    except OSError as exc:
        yield 0, InputFileError(f"cannot read: {exc.strerror or exc}", file=str(path))
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                yield number, decode_text(raw, str(path))
            except AdvisorError as exc:
                exc.line = number
                yield number, exc


def iter_items(paths: Iterable[Path]) -> Iterator[Item | ItemError]:
    """Every profile named by ``paths``, lazily, numbered in input order."""
    index = 0
    for given in paths:
        if not given.exists():
            yield ItemError(index, str(given), str(InputFileError("file not found", file=str(given))))
            index += 1
            continue
        expanded = False
        for path in _expand(given):
            expanded = True
            if is_stream(path):
                for number, text in _stream_lines(path):
                    if isinstance(text, AdvisorError):
                        label = str(path) if number == 0 else f"{path}:{number}"
                        yield ItemError(index, label, str(text))
                    else:
                        yield Item(index, str(path), number, text)
                    index += 1
            else:
                yield Item(index, str(path))
                index += 1
        if not expanded:
            yield ItemError(index, str(given), f"{given}: no .yaml, .yml, .json or .jsonl files in this directory")
            index += 1


def load_item(item: Item) -> Profile:
    """Read and validate one item's profile; errors name the file and line."""
    if item.text is None:
        return load_profile(Path(item.path))
    try:
        return profile_from_document(parse_text(item.text, item.path, fmt="json"))
    except AdvisorError as exc:
        exc.file, exc.line = item.path, item.line
        raise


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(
    func: Callable[[list[T]], list[R]],
    items: Iterable[T],
    *,
    jobs: int = 1,
    chunk: int = DEFAULT_CHUNK,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``func`` over chunks of ``items``, results in input order, at most 2*jobs chunks in flight."""
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        for part in chunked(items, chunk):
            yield from func(part)
        return
    with multiprocessing.get_context().Pool(jobs, _worker_init, (initializer, initargs)) as pool:
        pending: deque[Any] = deque()
        for part in chunked(items, chunk):
            pending.append(pool.apply_async(func, (part,)))
            while len(pending) >= 2 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _worker_init(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A worker ignores Ctrl-C: the terminal sends SIGINT to the whole process group, and
    only the main process should answer it (it stops the pool and exits 130), not every
    worker with a traceback of its own. SIGINT exists on every platform."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


# --- the screening worker ------------------------------------------------------------

_STATE: dict[str, Any] = {}


def init_screening(rulebase: RuleBase, engine: str, grant: Any, row: Callable[..., Any] | None = None) -> None:
    """Per-process set-up: the rule base the command loaded (inherited by forked workers,
    pickled to spawned ones), the engine, the grant terms, and what each screening becomes
    (``row``: (screening, label, index) -> row; default the portfolio's PortfolioRow)."""
    _STATE["rulebase"] = rulebase
    _STATE["engine"] = engine
    _STATE["grant"] = grant
    _STATE["row"] = row


def screen_chunk(items: list[Item | ItemError]) -> list[Any]:
    """Screen each item: a PortfolioRow, or an ItemError for an input that failed; then the
    ``crypto.Opener`` of each encrypted input read."""
    from advisor.engine import assess_outcome
    from advisor.views.portfolio import row_from
    from advisor.views.screening import screen

    from advisor.profile_io import opened_encrypted

    seen = len(opened_encrypted())
    out: list[Any] = []
    for item in items:
        if isinstance(item, ItemError):
            out.append(item)
            continue
        try:
            profile = load_item(item)
            outcome = assess_outcome(profile, _STATE["rulebase"], _STATE["engine"])
            make_row = _STATE.get("row") or row_from
            out.append(make_row(screen(outcome, profile, _STATE["grant"]), item.label, item.index))
        except AdvisorError as exc:
            out.append(ItemError(item.index, item.label, str(exc)))
        except Exception as exc:  # a bug for one profile must not lose the batch
            out.append(ItemError(item.index, item.label, f"internal error ({type(exc).__name__}: {exc}); please report it"))
    # How the encrypted inputs were opened goes back with the rows, so that the main process
    # encrypts the portfolio it writes from them (see advisor.sealing).
    out.extend(opened_encrypted()[seen:])
    return out
