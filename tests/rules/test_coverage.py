"""The coverage map (rules/coverage/*.yaml) against the rules.

Checked per statement family (KZ23-IW, CSI-S, ...) that some coverage file lists: a part of
the sources whose map file has not been written yet is reported by ``advisor rules
coverage`` but does not fail here.
"""

from __future__ import annotations

from pathlib import Path

from advisor.coverage import coverage_dir, coverage_report, expected_statements, family, load_coverage

from .support import bundled_rulebase


def _mapped_families() -> set[str]:
    return {family(s) for s in load_coverage(coverage_dir(bundled_rulebase()))}


def test_coverage_files_exist_for_both_sources() -> None:
    entries = load_coverage(coverage_dir(bundled_rulebase()))
    assert {e.source for e in entries.values()} == {"ref-kz-2023", "civicus-csi-kz-2011"}


def test_no_uncovered_statement() -> None:
    report = coverage_report(bundled_rulebase())
    families = _mapped_families()
    uncovered = [s for s in report.uncovered if family(s) in families]
    assert not uncovered


def test_no_unknown_rule_in_the_map() -> None:
    report = coverage_report(bundled_rulebase())
    assert not [p.message for p in report.problems if p.code == "unknown_rule"]


def test_no_citation_of_an_unlisted_statement() -> None:
    report = coverage_report(bundled_rulebase())
    families = _mapped_families()
    bad = [
        p.message for p in report.problems
        if p.code == "unlisted_statement" and family(p.statement) in families
    ]
    assert not bad


def test_no_statement_under_the_wrong_source() -> None:
    report = coverage_report(bundled_rulebase())
    assert not [p.message for p in report.problems if p.code == "wrong_source"]


def test_every_expected_statement_family_is_known() -> None:
    # The counts follow /work/shared/sources/README.md: 46 statements of ref-kz-2023, and
    # 25 of the CIVICUS report (5 dimensions, 7 strengths, 9 weaknesses, 4 recommendations).
    expected = expected_statements()
    assert sum(1 for s in expected.values() if s == "ref-kz-2023") == 46
    assert sum(1 for s in expected.values() if s == "civicus-csi-kz-2011") == 25


def test_cli_json_report_and_exit_codes(tmp_path: Path) -> None:
    import json
    import shutil

    from click.testing import CliRunner

    from advisor.cli import cli

    from ..conftest import RULES

    runner = CliRunner()
    result = runner.invoke(cli, ["rules", "coverage", "--format", "json", "--rules", str(RULES)])
    data = json.loads(result.output)
    assert {"statements", "covered", "context", "uncovered"} <= set(data)
    assert result.exit_code == (0 if not data["uncovered"] and not data["errors"] else 2)

    # A map naming a rule that does not exist, and missing a statement: exit 2, both reported.
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    path = copy / "coverage" / "civicus-csi-kz-2011.yaml"
    text = path.read_text(encoding="utf-8").replace("- FIN001", "- FIN999", 1)
    path.write_text(text.replace("id: CSI-R-4", "id: CSI-R-99", 1), encoding="utf-8")
    result = runner.invoke(cli, ["rules", "coverage", "--format", "json", "--rules", str(copy)])
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert "CSI-R-4" in data["uncovered"]
    assert any(e["code"] == "unknown_rule" and e["rule"] == "FIN999" for e in data["errors"])
    assert any(e["code"] == "unlisted_statement" and e["statement"] == "CSI-R-4" for e in data["errors"])


def test_strict_schema_rejects_unknown_keys(tmp_path: Path) -> None:
    import pytest

    from advisor.errors import RuleBaseError

    (tmp_path / "x.yaml").write_text(
        "source: civicus-csi-kz-2011\nstatements:\n  - {id: CSI-S-1, section: Strengths, "
        "quote: flexibility, rule: [STR001]}\n", encoding="utf-8")
    with pytest.raises(RuleBaseError, match="unknown key"):
        load_coverage(tmp_path)
