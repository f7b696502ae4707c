"""advisor path and advisor whatif through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from advisor.cli import cli

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "tests" / "snapshots" / "rulebase")
EXAMPLE = ROOT / "profiles" / "example.yaml"


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def test_path_default_goals() -> None:
    result = invoke("path", str(EXAMPLE), "--rules", RULES)
    assert result.exit_code == 0, result.output
    assert "Goal donor-band" in result.stdout and "Goal high-gaps" in result.stdout
    assert "funding.typical_grant_months 9 → 12" in result.stdout


def test_path_json_and_markdown() -> None:
    result = invoke("path", str(EXAMPLE), "--rules", RULES, "--goal", "close:FIN001", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (goal,) = data["goals"]
    assert goal["status"] == "found"
    assert goal["paths"][0]["changes"][0]["field"] == "funding.typical_grant_months"
    md = invoke("path", str(EXAMPLE), "--rules", RULES, "--goal", "close:FIN001", "--format", "markdown")
    assert md.stdout.startswith("# What would change the picture most")


def test_path_no_path_within_limit() -> None:
    result = invoke("path", str(EXAMPLE), "--rules", RULES, "--goal", "area:financial_sustainability=3",
                    "--max-changes", "1")
    assert result.exit_code == 0, result.output
    assert "No path within 1 change (at least 2 changes are needed); to close: FIN001, FIN002." in result.stdout


@pytest.mark.parametrize("goal, words", [("close:FIN01", "did you mean"), ("area:finances=2", "--goal"),
                                         ("better", "unknown goal")])
def test_path_bad_goal(goal: str, words: str) -> None:
    result = invoke("path", str(EXAMPLE), "--rules", RULES, "--goal", goal)
    assert result.exit_code == 2
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_whatif_equals_compare_of_the_edited_profile(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text())
    data["funding"]["typical_grant_months"] = 24
    data["controls"]["publishes_financial_report"] = True
    data["practices"]["beneficiary_involvement"] = ["needs_assessment", "design", "implementation"]
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data))
    before = sorted(p.name for p in tmp_path.iterdir())
    whatif = invoke("whatif", str(EXAMPLE), "--rules", RULES, "--format", "json",
                    "--set", "funding.typical_grant_months=24", "--set", "controls.publishes_financial_report=yes",
                    "--set", "practices.beneficiary_involvement=needs_assessment,design,implementation")
    compare = invoke("compare", str(EXAMPLE), str(edited), "--rules", RULES, "--format", "json")
    assert whatif.exit_code == 0 and compare.exit_code == 0, whatif.output + compare.output
    w, c = json.loads(whatif.stdout), json.loads(compare.stdout)
    for side in (w, c):
        side["new"].pop("label")
    assert w == c
    assert any(f["id"] == "FIN001" and f["status"] == "resolved" for f in w["findings"])
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert yaml.safe_load(EXAMPLE.read_text())["funding"]["typical_grant_months"] == 9


@pytest.mark.parametrize("assignment, field, words", [
    ("funding.reserve_months=3", "funding.reserve_months", "did you mean 'funding.reserves_months'"),
    ("funding.reserves_months=lots", "funding.reserves_months", "not a number"),
    ("funding.reserves_months=-2", "funding.reserves_months", "greater than or equal to 0"),
    ("controls.written_procedures=maybe", "controls.written_procedures", "not yes or no"),
    ("government.relationship=friendly", "government.relationship", "not one of its choices"),
    ("funding.share_state_pct=50", "funding", "more than 100 %"),
    ("reserves", None, "expected section.field=value"),
])
def test_whatif_bad_values(assignment: str, field: str | None, words: str) -> None:
    result = invoke("whatif", str(EXAMPLE), "--rules", RULES, "--set", assignment)
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and words in line, line
    if field:
        assert field in line
    assert "Traceback" not in result.output
