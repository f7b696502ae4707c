"""Rule bases that used to hang (issue 18): sizes are checked before anything is expanded or
registered, and each is refused with one line naming the rule file, or run by the reference
evaluator with a notice. Run in subprocesses with a time limit, since the failure is a hang."""

from __future__ import annotations

import re

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.engine import durable_available
from advisor.rules.conditions import NAnd, NOr, Ref, count_terms, expand
from advisor.rules.conditions import Test as FieldTest

from ..conftest import PROFILES, RULES

RULE = Path("governance") / "government-affiliation-deters-donors.yaml"
FIRST_TEST = "  - field: government.relationship\n    op: eq\n    value: government_founded\n"


def _rules_with(tmp_path: Path, when_text: str | None = None, replace: str | None = None) -> tuple[Path, Path]:
    root = tmp_path / "rules"
    shutil.copytree(RULES, root, ignore=shutil.ignore_patterns("__pycache__"))
    path = root / RULE
    text = path.read_text(encoding="utf-8")
    if replace is not None:
        assert FIRST_TEST in text
        text = text.replace(FIRST_TEST, replace, 1)
    if when_text is not None:
        start, end = text.index("when:\n"), text.index("doc:\n")
        text = text[:start] + when_text + text[end:]
    path.write_text(text, encoding="utf-8")
    return root, path


def _advisor(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "ADVISOR_NO_CACHE": "1"},
    )


def test_count_terms_is_the_number_of_expanded_terms() -> None:
    a, b, c = Ref("A"), Ref("B"), Ref("C", negated=True)
    x, y = FieldTest("organisation.paid_staff", "gt", 3), FieldTest("organisation.volunteers", "lt", 2)
    for node in (a, x, NOr((a, b)), NAnd((x, NOr((a, b)), NOr((b, c, y)))), NOr((NAnd((a, NOr((b, c)))), x)),
                 NAnd((NOr((a, b, c)), NOr((a, b)), NOr((x, c))))):
        assert count_terms(node) == len(expand(node))


def test_nine_any_blocks_of_findings_are_refused_before_expansion(tmp_path: Path) -> None:
    ids = ["FIN001", "FIN002", "FIN007", "FIN050", "FIN051", "CTX001", "CTX002", "CTX006"]
    blocks = "".join("  - any:\n" + "".join(f"    - finding: {i}\n" for i in ids) for _ in range(9))
    root, path = _rules_with(tmp_path, when_text="when:\n  all:\n" + blocks)
    result = _advisor("rules", "list", "--rules", str(root), timeout=60)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{path}:" in lines[0]
    assert "the condition expands to 134,217,728 alternatives (the limit is 32)" in lines[0]


@pytest.mark.skipif(not durable_available(), reason="durable-rules unavailable")
def test_an_in_of_490_values_falls_back_or_is_refused(tmp_path: Path) -> None:
    values = ", ".join(str(i) for i in range(490))
    root, path = _rules_with(tmp_path, replace=f"  - field: organisation.paid_staff\n    op: in\n    value: [{values}]\n")
    profile = str(PROFILES / "example.yaml")
    auto = _advisor("assess", "--rules", str(root), profile, "--format", "json")
    assert auto.returncode == 0, auto.stderr
    assert '"engine": "reference"' in auto.stdout
    lines = auto.stderr.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(
        re.escape(f"advisor: using the reference evaluator, which gives the same results: {path}: its condition makes ")
        + r"491 tests \(5[0-9][0-9] with its neighbours in the compiled network\); durable-rules hangs with more than "
        "500 under one node", lines[0]), lines
    durable = _advisor("assess", "--engine", "durable", "--rules", str(root), profile)
    assert durable.returncode == 2
    lines = durable.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"advisor: error: {path}: its condition makes 491 tests")
    assert "use --engine reference" in lines[0]


@pytest.mark.skipif(not durable_available(), reason="durable-rules unavailable")
def test_two_rules_sharing_a_node_are_counted_together(tmp_path: Path) -> None:
    """Two rules of 300 values each under one label node hung as surely as one of 600."""
    root, path = _rules_with(tmp_path, replace="  - field: organisation.paid_staff\n    op: in\n    value: ["
                             + ", ".join(str(i) for i in range(300)) + "]\n")
    other = root / "governance" / "independent-governance.yaml"
    text = other.read_text(encoding="utf-8")
    old = "  - field: government.relationship\n    op: eq\n    value: independent\n"
    assert old in text
    other.write_text(text.replace(old, "  - field: organisation.paid_staff\n    op: in\n    value: ["
                                  + ", ".join(str(i) for i in range(300, 600)) + "]\n", 1), encoding="utf-8")
    result = _advisor("assess", "--engine", "durable", "--rules", str(root), str(PROFILES / "example.yaml"))
    assert result.returncode == 2 and "durable-rules hangs with more than 500" in result.stderr
