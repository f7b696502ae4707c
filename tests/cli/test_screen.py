"""advisor screen: one profile, a portfolio (files, directories, JSON Lines), exit codes, --jobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli import cli

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "tests" / "snapshots" / "rulebase")
EXAMPLE = str(ROOT / "profiles" / "example.yaml")


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["screen", "--rules", RULES, "--engine", "reference", *args])


def profile(i: int, **funding: object) -> dict[str, object]:
    return {
        "schema_version": "1.0",
        "organisation": {"name": f"Org {i:03d}"},
        "funding": {"annual_budget": 10_000.0 * (i + 1), "currency": "USD", "reserves_months": float(i % 6),
                    "typical_grant_months": 6 + i % 30, **funding},
        "controls": {"written_procedures": i % 2 == 0, "segregation_of_duties": i % 3 == 0},
        "foreign_funding": {"on_public_register": i % 4 == 0},
    }


@pytest.fixture()
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "partners"
    folder.mkdir()
    for i in range(40):
        (folder / f"p{i:03d}.json").write_text(json.dumps(profile(i)))
    (folder / "broken.yaml").write_text("schema_version: '1.0'\norganisation: {nmae: x}\n")
    return folder


def test_one_profile_json(tmp_path: Path) -> None:
    result = run(EXAMPLE, "--format", "json", "--grant-amount", "120000", "--grant-months", "12")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["risk"]) >= {"rating", "fiduciary", "context", "reasons"}
    # the pinned rules hold only sustainability and context findings: fiduciary Low, context High
    assert data["risk"]["rating"] == "Low" and data["risk"]["context"]["rating"] == "High"
    assert all(set(c) >= {"id", "title", "because"} for c in data["conditions"])
    assert {"CND002", "CND003", "CND010"} <= {c["id"] for c in data["conditions"]}


def test_one_profile_table_markdown_csv_and_output_file(tmp_path: Path) -> None:
    assert "risk rating Low" in run(EXAMPLE).stdout
    assert run(EXAMPLE, "--format", "markdown").stdout.startswith("# Screening: Example")
    csv_out = run(EXAMPLE, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("rating,name,path") and csv_out[1].startswith("Low,")
    out = tmp_path / "s.json"
    assert run(EXAMPLE, "--format", "json", "-o", str(out)).exit_code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert run(EXAMPLE, "--format", "json", "-o", str(out)).exit_code == 2  # no --force


def test_fail_on_and_errors_exit_codes(tmp_path: Path) -> None:
    assert run(EXAMPLE, "--fail-on", "Low", "--format", "json").exit_code == 1
    assert run(EXAMPLE, "--fail-on", "Moderate", "--format", "json").exit_code == 0
    missing = run(str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "nope.yaml" in missing.stderr
    assert run(EXAMPLE, "--currency", "dollars").exit_code == 2


def test_portfolio_skips_bad_profile_and_exits_2(portfolio: Path) -> None:
    result = run(str(portfolio), "--format", "csv")
    assert result.exit_code == 2
    assert "broken.yaml" in result.stderr and "organisation.nmae" in result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 41  # header and 40 organisations
    order = {"High": 0, "Significant": 1, "Moderate": 2, "Low": 3}
    rows = [line.split(",", 2) for line in lines[1:]]
    assert rows == sorted(rows, key=lambda r: (order[r[0]], r[1]))


def test_jsonl_errors_name_the_line_and_stream_in_input_order(tmp_path: Path) -> None:
    stream = tmp_path / "registry.jsonl"
    lines = [json.dumps(profile(i)) for i in range(5)]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"schema_version": "1.0", "funding": {"reserves_months": -1}}))
    stream.write_text("\n".join(lines) + "\n\n")
    result = run(str(stream), "--format", "json", "--sort", "input")
    assert result.exit_code == 2
    assert f"{stream}:3" in result.stderr and f"{stream}:5" in result.stderr
    data = json.loads(result.stdout)
    assert [o["name"] for o in data["organisations"]] == [f"Org {i:03d}" for i in range(5)]
    assert [f["path"] for f in data["failed"]] == [f"{stream}:3", f"{stream}:5"]
    assert sum(data["summary"].values()) == 5


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("sort", ["rating", "input"])
def test_jobs_do_not_change_the_output(portfolio: Path, tmp_path: Path, fmt: str, sort: str) -> None:
    stream = tmp_path / "more.jsonl"
    stream.write_text("".join(json.dumps(profile(i, annual_budget=500.0)) + "\n" for i in range(30)))
    args = (str(portfolio), str(stream), "--format", fmt, "--sort", sort, "--grant-amount", "60000")
    one, two = run(*args, "--jobs", "1"), run(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stdout == two.stdout and one.stdout.count("Org") >= 70


def test_portfolio_table_and_name_sort(portfolio: Path) -> None:
    (portfolio / "broken.yaml").unlink()
    table = run(str(portfolio))
    assert table.exit_code == 0 and "Portfolio screening" in table.stdout
    names = [line.split(",")[1] for line in run(str(portfolio), "--format", "csv", "--sort", "name").stdout.splitlines()[1:]]
    assert names == sorted(names)


def test_jobs_work_where_processes_are_spawned(portfolio: Path, tmp_path: Path) -> None:
    """macOS and Windows start worker processes with "spawn", not "fork": the workers get the
    rule base by pickling, and the output must not change."""
    import subprocess
    import sys

    args = ["screen", "--rules", RULES, str(portfolio), "--format", "csv",
            "--grant-amount", "60000"]
    code = ("import multiprocessing, sys\n"
            "from advisor.cli import main\n"
            "if __name__ == '__main__':\n"
            "    multiprocessing.set_start_method('spawn', force=True)\n"
            f"    sys.argv = ['advisor', *{args + ['--jobs', '2']!r}]\n"
            "    main()\n")
    script = tmp_path / "spawned.py"
    script.write_text(code)
    spawned = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    in_process = CliRunner().invoke(cli, [*args, "--jobs", "1"])
    assert spawned.returncode == in_process.exit_code == 2  # broken.yaml is named, the rest screened
    assert spawned.stdout == in_process.stdout and spawned.stdout.count("Org") == 40
    assert "broken.yaml" in spawned.stderr
