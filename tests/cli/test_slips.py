"""Issue 15's slips: help without a command, saved reports given to compare and assess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import cli

from ..conftest import PROFILES, REPO

EXAMPLE = PROFILES / "example.yaml"


@pytest.mark.parametrize("args", [[], ["rules"]])
def test_a_group_without_a_command_prints_its_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: ") and "Commands:" in result.stdout
    assert "error" not in result.output


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("audience", ["all", "ngo", "donor", "trainer"])
def test_compare_reads_every_saved_assessment_json(audience: str, tmp_path: Path) -> None:
    saved = tmp_path / "old.json"
    code, _, err = _run(["assess", str(EXAMPLE), "--audience", audience, "--format", "json", "-o", str(saved)])
    assert code == 0, err
    for old, new in ((saved, EXAMPLE), (EXAMPLE, saved)):
        code, out, err = _run(["compare", str(old), str(new), "--format", "json"])
        assert code == 0, err
        result = json.loads(out)
        assert result["findings"] and {c["status"] for c in result["findings"]} == {"persists"}
        kept = {r["id"] for r in json.loads(saved.read_text()).get("recommendations", [])} or {
            a["id"] for a in json.loads(saved.read_text()).get("actions", [])}
        assert kept and {c["status"] for c in result["recommendations"] if c["id"] in kept} == {"persists"}
        assert result["rating"]["change"] == "same"
        assert {c["change"] for c in result["areas"]} <= {"same", "unknown"}


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (["plan", str(EXAMPLE), "--format", "json"], "is a capacity plan saved by 'advisor plan --format json'"),
        (["screen", str(EXAMPLE), "--format", "json"], "is a screening saved by"),
        (["screen", str(EXAMPLE), str(EXAMPLE), "--format", "json"], "is a portfolio screening saved by"),
        (["compare", str(EXAMPLE), str(EXAMPLE), "--format", "json"], "is a comparison saved by"),
        (["rules", "list", "--format", "json"], "is a list of rules saved by"),
    ],
)
def test_other_saved_json_is_named_not_misread(command: list[str], what: str, tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    result = CliRunner().invoke(cli, command)
    assert result.exit_code in (0, 1), result.output
    saved.write_text(result.stdout)
    code, _, err = _run(["compare", str(saved), str(EXAMPLE)])
    assert code == 2 and err.count("\n") == 1 and what in err, err
    code, _, err = _run(["assess", str(saved)])
    assert code == 2 and err.count("\n") == 1 and what in err and "not a profile" in err, err


@pytest.mark.parametrize("audience", ["all", "ngo"])
def test_assess_on_a_saved_report_says_what_it_is(audience: str, tmp_path: Path) -> None:
    saved = tmp_path / "old.json"
    assert _run(["assess", str(EXAMPLE), "--audience", audience, "--format", "json", "-o", str(saved)])[0] == 0
    code, _, err = _run(["assess", str(saved)])
    assert code == 2 and err.count("\n") == 1, err
    assert f"{saved}: is " in err and "not a profile (give the profile it was made from)" in err
    assert "unknown field" not in err


def test_readme_documents_shell_completion() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert f"_ADVISOR_COMPLETE={shell}_source advisor" in readme
