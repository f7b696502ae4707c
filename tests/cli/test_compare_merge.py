"""advisor compare and advisor merge, through the CLI, with their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from advisor.cli import cli
from advisor.profile_io import load_profile

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "tests" / "snapshots" / "rulebase")
EXAMPLE = ROOT / "profiles" / "example.yaml"


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


def improved(tmp_path: Path) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text())
    data["funding"].update({"typical_grant_months": 24, "reserves_months": 4, "annual_budget": 90_000,
                            "currency": "USD", "largest_source_pct": 30})
    data["controls"] = {"written_procedures": True, "external_audit_recent": True,
                        "publishes_financial_report": True, "segregation_of_duties": True}
    path = tmp_path / "2025.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_compare_two_profiles(tmp_path: Path) -> None:
    new = improved(tmp_path)
    result = invoke("compare", str(EXAMPLE), str(new), "--rules", RULES, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    status = {f["id"]: f["status"] for f in data["findings"]}
    assert status["FIN001"] == "resolved" and status["FIN002"] == "resolved" and status["CTX001"] == "persists"
    # Short grants and thin reserves are sustainability findings: they never set the donor's
    # (fiduciary) rating, so closing them improves the findings, not the rating (issue 12).
    assert data["rating"] == {"before": "Low", "after": "Low", "change": "same",
                              "reasons_before": [], "reasons_after": []}
    assert data["rulebase_note"] is None
    md = invoke("compare", str(EXAMPLE), str(new), "--rules", RULES, "--format", "markdown").stdout
    assert "**Donor rating: Low → Low** (same)" in md
    assert "Maturity per area" in invoke("compare", str(EXAMPLE), str(new), "--rules", RULES).stdout


def test_compare_with_an_old_assessment_from_another_rule_base(tmp_path: Path) -> None:
    saved = invoke("assess", str(EXAMPLE), "--rules", RULES, "--format", "json")
    assert saved.exit_code == 0
    data = json.loads(saved.stdout)
    data["rulebase"]["hash"] = "f" * 64
    data["rulebase"]["version"] = "0.0.1"
    old = tmp_path / "old-assessment.json"
    old.write_text(json.dumps(data))
    result = invoke("compare", str(old), str(improved(tmp_path)), "--rules", RULES, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["old"]["source"] == "assessment" and "0.0.1" in out["rulebase_note"]
    assert "0.0.1" in result.stderr


def test_compare_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: '1.0'\nfunding: {reserves_months: -2}\n")
    result = invoke("compare", str(bad), str(EXAMPLE), "--rules", RULES)
    assert result.exit_code == 2 and "bad.yaml" in result.stderr


def write(path: Path, **sections: object) -> Path:
    data = {"schema_version": "1.0", **sections}
    path.write_text(json.dumps(data) if path.suffix == ".json" else yaml.safe_dump(data))
    return path


def test_merge_with_conflicts_exits_1_and_writes_a_valid_private_profile(tmp_path: Path) -> None:
    a = write(tmp_path / "director.yaml", organisation={"name": "Org", "paid_staff": 4},
              ratings={"governance": {"level": 1}, "networks": {"level": 2}})
    b = write(tmp_path / "treasurer.yaml", organisation={"name": "Org", "paid_staff": 6},
              ratings={"governance": {"level": 4}, "networks": {"level": 3}})
    out = tmp_path / "merged.yaml"
    result = invoke("merge", str(a), str(b), "-o", str(out), "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["conflicts"][0]["field"] == "organisation.paid_staff"
    assert report["conflicts"][0]["said"] == [{"respondent": "director.yaml", "value": 4},
                                              {"respondent": "treasurer.yaml", "value": 6}]
    assert [r["area"] for r in report["ratings"] if r["disagree"]] == ["governance"]
    merged = load_profile(out)
    assert merged.organisation.name == "Org" and merged.organisation.paid_staff is None
    assert merged.ratings.governance is not None and merged.ratings.governance.level == 2
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    again = invoke("merge", str(a), str(b), "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr
    table = invoke("merge", str(a), str(b), "-o", str(out), "--force")
    assert table.exit_code == 1 and "respondents disagree" in table.stdout


def test_merge_in_agreement_exits_0(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", organisation={"name": "Org"})
    b = write(tmp_path / "b.json", organisation={"name": "Org", "paid_staff": 3})
    out = tmp_path / "merged.json"
    result = invoke("merge", str(a), str(b), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert load_profile(out).organisation.paid_staff == 3
    assert invoke("merge", str(a), "-o", str(tmp_path / "x.yaml")).exit_code == 2
