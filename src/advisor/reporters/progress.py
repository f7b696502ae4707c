"""The progress bar a long batch shows on stderr, only when stderr is a terminal (rich is
imported only then: a batch piped to a file or run under CI never loads it)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TextIO


class Tick(Protocol):
    def __call__(self, advance: int = 1) -> None: ...


@contextmanager
def progress(total: int | None, stream: TextIO | None = None, label: str = "Screening") -> Iterator[Tick]:
    """A progress bar on ``stream`` (default stderr) when it is a terminal; else nothing."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield lambda advance=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(file=stream)
    columns: list[Any] = [SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda advance=1: bar.advance(task, advance)
