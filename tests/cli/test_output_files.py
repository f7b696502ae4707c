"""`-o FILE` through the CLI: two writers of one new file, names too long, special files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import cli
from tests.conftest import PROFILES, RULES


def _assess(out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["assess", str(PROFILES / "example.yaml"), "--format", "json",
                                      "--rules", str(RULES), "-o", str(out), *extra])
    return result.exit_code, result.output


def test_two_processes_writing_one_new_file(tmp_path: Path) -> None:
    """Started together without --force: exactly one writes, the other fails with exit 2 and
    one line, and the file holds a complete result."""
    out = tmp_path / "same.json"
    cmd = [sys.executable, "-m", "advisor", "assess", str(PROFILES / "example.yaml"), "--format", "json",
           "--rules", str(RULES), "-o", str(out)]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    failed = next(err for code, err in results if code == 2)
    assert failed.strip().splitlines() == [f"advisor: error: {out}: already exists; not overwritten "
                                           "(use --force to replace it)"]
    assert out.read_text().startswith("{") and out.read_text().rstrip().endswith("}")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["same.json"]


def test_an_output_name_too_long_is_exit_2(tmp_path: Path) -> None:
    out = tmp_path / ("r" * 300 + ".json")
    code, output = _assess(out)
    assert code == 2, output
    assert output.strip().splitlines() == [f"advisor: error: {out}: cannot write: the file name is too long"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
def test_force_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, output = _assess(fifo, "--force")
    assert code == 2, output
    assert output.strip().splitlines() == [
        f"advisor: error: {fifo}: is a FIFO (named pipe); only a regular file is replaced"]
    assert os.path.exists(fifo) and not os.path.isfile(fifo)
