"""advisor plan, and advisor assess's NGO report and HTML, through click's CliRunner."""

from __future__ import annotations

import json
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "profiles" / "example.yaml")
RULES = str(ROOT / "tests" / "snapshots" / "rulebase")


def run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_plan_json() -> None:
    code, out, _ = run("plan", EXAMPLE, "--rules", RULES, "--engine", "reference", "--format", "json",
                       "--weeks", "2", "--hours-per-week", "5")
    assert code == 0
    data = json.loads(out)
    assert [m["id"] for m in data["modules"]] == ["MOD01"]
    assert {"id", "week", "hours", "addresses"} <= set(data["modules"][0])
    assert data["unscheduled"] == []


def test_plan_over_budget_lists_unscheduled() -> None:
    code, out, _ = run("plan", EXAMPLE, "--rules", RULES, "--engine", "reference", "--format", "json",
                       "--weeks", "1", "--hours-per-week", "4")
    assert code == 0
    data = json.loads(out)
    assert data["modules"] == [] and [u["id"] for u in data["unscheduled"]] == ["MOD01"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_plan_formats(fmt: str) -> None:
    code, out, _ = run("plan", EXAMPLE, "--rules", RULES, "--engine", "reference", "--format", fmt)
    assert code == 0 and "MOD01" in out


@pytest.mark.parametrize("args", [
    ["--weeks", "0"], ["--hours-per-week", "-1"], ["--weeks", "many"], ["--format", "pdf"],
])
def test_plan_bad_options_exit_2(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["plan", EXAMPLE, "--rules", RULES, *args])
    assert exc.value.code == 2


def test_plan_missing_profile_exit_2(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["plan", str(tmp_path / "nope.yaml"), "--rules", RULES])
    assert exc.value.code == 2


def test_plan_output_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    base = ["plan", EXAMPLE, "--rules", RULES, "--engine", "reference", "--format", "markdown", "-o", str(out)]
    assert run(*base)[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.write_text("mine")
    with pytest.raises(SystemExit) as exc:
        cli.main(base)
    assert exc.value.code == 2
    assert out.read_text() == "mine"
    assert run(*base, "--force")[0] == 0
    assert out.read_text().startswith("# Capacity plan")


def test_plan_table_with_output_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["plan", EXAMPLE, "--rules", RULES, "-o", str(tmp_path / "x.txt")])
    assert exc.value.code == 2


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html"])
def test_assess_ngo_report_formats(fmt: str) -> None:
    code, out, _ = run("assess", EXAMPLE, "--rules", RULES, "--engine", "reference", "--audience", "ngo",
                       "--format", fmt)
    assert code == 0
    assert "NGO001" in out and "FIN002" in out
    if fmt == "json":
        assert json.loads(out)["report"] == "ngo-self-assessment"


def test_assess_html_to_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    base = ["assess", EXAMPLE, "--rules", RULES, "--engine", "reference", "--format", "html", "-o", str(out)]
    assert run(*base)[0] == 0
    root = ET.fromstring(out.read_text(encoding="utf-8").split("\n", 1)[1])
    assert root.get("lang") == "en"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with pytest.raises(SystemExit) as exc:
        cli.main(base)
    assert exc.value.code == 2


def test_assess_html_for_donor_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["assess", EXAMPLE, "--rules", RULES, "--audience", "donor", "--format", "html"])
    assert exc.value.code == 2


def test_assess_fail_on_exit_1(tmp_path: Path) -> None:
    args = ["--rules", RULES, "--engine", "reference", "--audience", "ngo", "--format", "json", "--fail-on", "critical"]
    with pytest.raises(SystemExit) as exc:
        cli.main(["assess", EXAMPLE, *args])
    assert exc.value.code == 1  # CTX002 is critical
    empty = tmp_path / "empty.yaml"
    empty.write_text('schema_version: "1.0"\n')
    with pytest.raises(SystemExit) as exc:
        cli.main(["assess", str(empty), *args])
    assert exc.value.code == 0
