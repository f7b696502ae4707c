"""The corpus of bad profiles (tests/bad_inputs/manifest.yaml) through `advisor assess`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from advisor.cli import cli

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
MANIFEST: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "manifest.yaml").read_text())


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "manifest.yaml"}
    assert on_disk == set(MANIFEST)
    assert len(MANIFEST) >= 30


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_input(name: str) -> None:
    case = MANIFEST[name]
    path = CORPUS / name
    result = CliRunner().invoke(cli, ["assess", str(path)])
    output = result.output
    assert result.exit_code == case.get("exit", 2), output
    assert "Traceback" not in output and "internal error" not in output
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    line = lines[0]
    assert line.startswith(f"advisor: error: {path}"), line
    assert case["expect"] in line, line
    if "field" in case:
        assert f": {case['field']}: " in line, line
