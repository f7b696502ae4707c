"""advisor assess / explain / rules / schema through the CLI: exit codes, streams, bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import cli
from tests.conftest import RULES, check_snapshot

ARGS = ["--rules", str(RULES)]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_json_has_the_documented_keys(example_profile_path: Path) -> None:
    code, out, err = run("assess", str(example_profile_path), "--format", "json", *ARGS)
    assert code == 0, err
    data = json.loads(out)
    for key in ("schema_version", "engine", "rulebase", "findings", "recommendations", "areas", "trace"):
        assert key in data
    assert data["engine"] in ("durable-rules", "reference")
    assert data["rulebase"]["rule_count"] > 0 and len(data["rulebase"]["hash"]) == 64
    for finding in data["findings"]:
        assert {"id", "kind", "area", "severity", "title", "evidence", "sources"} <= finding.keys()
        assert finding["sources"], finding["id"]
    for rec in data["recommendations"]:
        assert {"id", "audience", "priority", "title", "because", "sources"} <= rec.keys()
    assert {a["area"] for a in data["areas"]} >= {"governance", "context"}
    assert all({"rule", "facts"} <= t.keys() for t in data["trace"])


def test_same_input_same_bytes(example_profile_path: Path) -> None:
    outputs = {run("assess", str(example_profile_path), "--format", fmt, *ARGS)[1] for fmt in ["json"] * 3}
    assert len(outputs) == 1
    md = {run("assess", str(example_profile_path), "--format", "markdown", *ARGS)[1] for _ in range(2)}
    assert len(md) == 1


def test_engines_give_the_same_result(example_profile_path: Path) -> None:
    pytest.importorskip("durable")
    results = []
    for engine in ("durable", "reference"):
        code, out, _ = run("assess", str(example_profile_path), "--format", "json", "--engine", engine, *ARGS)
        assert code == 0
        data = json.loads(out)
        data.pop("engine")
        results.append(data)
    assert results[0] == results[1]


def test_fail_on_sets_exit_code_one(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text('schema_version: "1.0"\nfunding: {typical_grant_months: 6}\n')
    assert run("assess", str(profile), "--format", "json", *ARGS)[0] == 0
    assert run("assess", str(profile), "--format", "json", "--fail-on", "high", *ARGS)[0] == 1
    assert run("assess", str(profile), "--format", "json", "--fail-on", "critical", *ARGS)[0] == 0


def test_select_and_ignore_filter_by_id_and_prefix(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text('schema_version: "1.0"\nfunding: {typical_grant_months: 6, reserves_months: 1}\n')
    _, out, _ = run("assess", str(profile), "--format", "json", "--select", "FIN", *ARGS)
    data = json.loads(out)
    assert data["findings"] and all(f["id"].startswith("FIN") for f in data["findings"])
    assert data["recommendations"] == []
    _, out, _ = run("assess", str(profile), "--format", "json", "--ignore", "FIN001", *ARGS)
    assert "FIN001" not in {f["id"] for f in json.loads(out)["findings"]}
    code, _, err = run("assess", str(profile), "--select", "FNI001", *ARGS)
    assert code == 2 and "FNI001" in err and "Traceback" not in err


def test_audience_filters_recommendations(example_profile_path: Path) -> None:
    _, out, _ = run("assess", str(example_profile_path), "--format", "json", "--audience", "donor", *ARGS)
    recs = json.loads(out)["recommendations"]
    assert recs and {r["audience"] for r in recs} == {"donor"}


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (None, ["missing.yaml", "not found"]),
        ("schema_version: '1.0'\nfunding: [\n", ["bad.yaml:3", "not valid YAML"]),
        ("schema_version: '1.0'\nfunding:\n  typical_grant_months: six\n",
         ["bad.yaml:3", "funding.typical_grant_months", "valid integer"]),
        ("schema_version: '1.0'\nfunding:\n  typical_grant_month: 6\n",
         ["funding.typical_grant_month", "did you mean 'typical_grant_months'"]),
        ("schema_version: '1.0'\nfunding: {share_state_pct: 80, share_foreign_pct: 30}\n",
         ["funding", "add up to more than 100 %"]),
        ("schema_version: '1.0'\nfunding: {reserves_months: 999}\n", ["funding.reserves_months", "less than or equal"]),
    ],
)
def test_bad_profile_is_one_line_exit_two(tmp_path: Path, content: str | None, fragments: list[str]) -> None:
    name = "missing.yaml" if content is None else "bad.yaml"
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    code, out, err = run("assess", str(path), *ARGS)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_broken_rule_file_is_reported_with_file_and_line(tmp_path: Path, example_profile_path: Path) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    target = next((rules / "financial_sustainability").glob("short-grant-cycles.yaml"))
    target.write_text(target.read_text().replace("field: funding.typical_grant_months",
                                                 "field: funding.typical_grant_mnths"))
    code, _, err = run("assess", str(example_profile_path), "--rules", str(rules))
    assert code == 2
    assert "short-grant-cycles.yaml:" in err and "did you mean 'funding.typical_grant_months'" in err


def test_output_file_is_private_and_never_clobbered(tmp_path: Path, example_profile_path: Path) -> None:
    out = tmp_path / "report.json"
    assert run("assess", str(example_profile_path), "--format", "json", "-o", str(out), *ARGS)[0] == 0
    assert out.stat().st_mode & 0o777 == 0o600
    out.write_text("precious")
    code, _, err = run("assess", str(example_profile_path), "--format", "json", "-o", str(out), *ARGS)
    assert code == 2 and "--force" in err
    assert out.read_text() == "precious"
    assert run("assess", str(example_profile_path), "--format", "json", "-o", str(out), "--force", *ARGS)[0] == 0
    assert json.loads(out.read_text())["findings"] is not None


def test_explain_says_why_and_why_not(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text('schema_version: "1.0"\nfunding: {typical_grant_months: 6, reserves_months: 5}\n')
    code, out, _ = run("explain", str(profile), "FIN001", *ARGS)
    assert code == 0 and "FIRED" in out and "funding.typical_grant_months ≤ 12" in out and "(profile: 6)" in out
    code, out, _ = run("explain", str(profile), "fin002", *ARGS)
    assert code == 0 and "did not fire" in out and "✗ funding.reserves_months < 3" in out
    code, _, err = run("explain", str(profile), "FIN999", *ARGS)
    assert code == 2 and "FIN999" in err


def test_rules_list_show_lint_and_schema() -> None:
    code, out, _ = run("rules", "list", *ARGS)
    assert code == 0 and "FIN001" in out
    code, out, _ = run("rules", "show", "FIN001", *ARGS)
    assert code == 0 and "## Why it matters" in out and "ref-kz-2023" in out
    code, out, _ = run("rules", "lint", *ARGS)
    assert code == 0, out
    for which in ("profile", "rule"):
        code, out, _ = run("schema", which)
        schema = json.loads(out)
        assert code == 0 and schema["$schema"].startswith("https://json-schema.org/") and "$id" in schema


def test_python_dash_m_entry_point(example_profile_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "advisor", "assess", str(example_profile_path), "--format", "json", *ARGS],
        capture_output=True, text=True, check=False, env={"NO_COLOR": "1", "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"]


def test_example_json_is_pinned_by_a_snapshot(example_profile_path: Path) -> None:
    """The bundled example, assessed with the bundled rules: a rule change shows its effect here.

    Regenerate with UPDATE_SNAPSHOTS=1 (see tests/README.md) and review the diff.
    """
    code, out, err = run("assess", str(example_profile_path), "--format", "json", "--engine", "reference", *ARGS)
    assert code == 0, err
    check_snapshot("assess.example.json", out)
