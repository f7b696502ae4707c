"""The batch progress bar: drawn only on a terminal, and rich is not even imported otherwise."""

from __future__ import annotations

import io
import subprocess
import sys


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_and_no_rich_when_stderr_is_not_a_terminal() -> None:
    code = (
        "import io, sys\n"
        "from advisor.reporters.progress import progress\n"
        "out = io.StringIO()\n"
        "with progress(3, stream=out) as tick:\n"
        "    tick(); tick(); tick()\n"
        "print(repr(out.getvalue()), 'rich' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["''", "False"]


def test_bar_is_drawn_on_a_terminal() -> None:
    from advisor.reporters.progress import progress

    out = _Terminal()
    with progress(2, stream=out, label="Screening") as tick:
        tick()
        tick()
    assert "Screening" in out.getvalue()
