"""files.write_private: atomic, owner-only, never clobbering, never half-written."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from advisor import files
from advisor.errors import OutputError

SRC = Path(__file__).resolve().parents[1] / "src" / "advisor"


def test_owner_only_and_no_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "out.yaml"
    files.write_private(path, "one")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(OutputError, match="already exists"):
        files.write_private(path, "two")
    assert path.read_text() == "one"
    files.write_private(path, b"two", force=True)
    assert path.read_text() == "two" and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_directory_and_directory_target(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="directory does not exist"):
        files.write_private(tmp_path / "nope" / "x", "a")
    with pytest.raises(OutputError, match="is a directory"):
        files.write_private(tmp_path, "a", force=True)


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failure_mid_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              failure: BaseException) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text("original")

    def broken_fsync(fd: int) -> None:
        os.write(fd, b"half")  # part of the new content is already on disk
        raise failure

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OutputError if isinstance(failure, OSError) else KeyboardInterrupt):
        files.write_private(path, "new content " * 1000, force=True)
    assert path.read_text() == "original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile.yaml"], "no temporary file left"


def test_commands_write_files_only_through_write_private() -> None:
    """Every file a command writes goes through files.write_private (usually via cli.common.emit)."""
    offenders = []
    pattern = re.compile(r"\.write_text\(|\.write_bytes\(|open\([^)]*['\"][wax]b?['\"]")
    for module in sorted((SRC / "cli").glob("*.py")) + sorted((SRC / "reporters").glob("*.py")):
        for number, line in enumerate(module.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{module.name}:{number}: {line.strip()}")
    assert offenders == []
