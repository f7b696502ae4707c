"""The corpus of bad inputs (tests/bad_inputs/manifest.yaml) through the command line.

Each gives exit code 2, one line on stderr naming the file (and the field where there is one),
the expected fragment, no traceback, no sensitive value echoed, and nothing written.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from advisor.cli import cli

from ..conftest import REPO

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
MANIFEST: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "manifest.yaml").read_text())
EXAMPLE = REPO / "profiles" / "example.yaml"


def _on_disk(case: dict[str, Any]) -> bool:
    return not {"make", "path"} & set(case) and "{profile}" not in case.get("args", [])


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "manifest.yaml"}
    assert on_disk == {name for name, case in MANIFEST.items() if _on_disk(case)}
    assert len(MANIFEST) >= 60


def _input(name: str, case: dict[str, Any], tmp_path: Path) -> Path:
    make = case.get("make")
    if make == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this platform")
        path = tmp_path / "in" / name
        path.parent.mkdir()
        os.mkfifo(path)
        return path
    if make == "escape-name":
        if sys.platform == "win32":
            pytest.skip("Windows file names cannot hold control characters")
        path = tmp_path / "in" / "profile\x1b]0;owned\x07\x1b[2J.yaml"
        path.parent.mkdir()
        shutil.copy(CORPUS / "unknown_field.yaml", path)
        return path
    if "path" in case:
        path = Path(case["path"])
        if not path.exists():
            pytest.skip(f"{path} does not exist here")
        return path
    return CORPUS / name


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_input(name: str, tmp_path: Path) -> None:
    case = MANIFEST[name]
    path = _input(name, case, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "result.json"
    args = case.get("args", ["assess", "{path}", "--format", "json", "-o", "{out}"])
    args = [a.format(path=path, out=out, profile=EXAMPLE) for a in args]
    result = CliRunner().invoke(cli, args)
    output = result.output
    assert result.exit_code == case.get("exit", 2), output
    assert "Traceback" not in output and "internal error" not in output
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    line = lines[0]
    if "{path}" in case.get("args", ["{path}"]) and case.get("make") != "escape-name":
        assert line.startswith(f"advisor: error: {path}"), line
    assert case["expect"] in line, line
    if "field" in case:
        assert f": {case['field']}: " in line, line
    if "absent" in case:
        assert case["absent"] not in line, line
    assert list(out_dir.iterdir()) == [], "nothing is written"
