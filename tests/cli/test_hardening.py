"""Issue 18, "exit 3 where 2 is due": rule files, several problems at once, Ctrl-C in workers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from advisor.cli import cli

from ..conftest import PROFILES, RULES

RULE = "governance/government-affiliation-deters-donors.yaml"


def _rules_copy(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(RULES, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
    result = CliRunner().invoke(cli, args)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result.exit_code, result.output.strip().splitlines()


def test_a_lone_surrogate_in_a_rule_value_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _rules_copy(tmp_path)
    path = root / RULE
    text = path.read_text(encoding="utf-8").replace(
        "  - field: government.relationship\n    op: eq\n    value: government_founded\n",
        '  - field: organisation.country\n    op: eq\n    value: "\\uD800"\n', 1)
    path.write_text(text, encoding="utf-8")
    code, lines = _run(["assess", "--rules", str(root), str(PROFILES / "example.yaml")], monkeypatch)
    assert code == 2 and len(lines) == 1, lines
    assert str(path) in lines[0] and "lone surrogate" in lines[0] and "when.any.0.value" in lines[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_rules_folder_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _rules_copy(tmp_path)
    os.mkfifo(root / "governance" / "pipe.yaml")
    code, lines = _run(["rules", "list", "--rules", str(root)], monkeypatch)
    assert code == 2 and len(lines) == 1, lines
    assert "pipe.yaml: is not a regular file" in lines[0]
    # with the rule-base cache on (its key reads every rule file), in a subprocess: a hang fails
    result = subprocess.run([sys.executable, "-m", "advisor", "rules", "list", "--rules", str(root)],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "ADVISOR_NO_CACHE": ""})
    assert result.returncode == 2 and "pipe.yaml: is not a regular file" in result.stderr


def test_a_misspelled_rule_key_is_named_with_a_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _rules_copy(tmp_path)
    path = root / RULE
    path.write_text(path.read_text(encoding="utf-8").replace("\nseverity:", "\nseverty:", 1), encoding="utf-8")
    code, lines = _run(["rules", "list", "--rules", str(root)], monkeypatch)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].endswith("severty: unknown key (did you mean 'severity'?)"), lines[0]


def test_every_problem_of_a_rule_file_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _rules_copy(tmp_path)
    path = root / RULE
    text = path.read_text(encoding="utf-8").replace("\nseverity:", "\nseverty:", 1).replace("\ntitle:", "\ntitel:", 1)
    path.write_text(text, encoding="utf-8")
    code, lines = _run(["rules", "list", "--rules", str(root)], monkeypatch)
    assert code == 2
    assert [line.split(": ", 3)[-1] for line in lines] == [
        "severty: unknown key (did you mean 'severity'?)", "titel: unknown key (did you mean 'title'?)"]


def test_every_validation_problem_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.yaml"
    path.write_text('schema_version: "1.0"\norganisation:\n  paid_staff: -1\n  volunteers: -2\n'
                    "  year_founded: 1000\n")
    code, lines = _run(["assess", str(path)], monkeypatch)
    assert code == 2
    assert sorted(line.split(": ")[3] for line in lines) == [
        "organisation.paid_staff", "organisation.volunteers", "organisation.year_founded"]
    assert not any("more problem" in line for line in lines)
    assert all(line.startswith(f"advisor: error: {path}:") for line in lines)


def test_problems_beyond_the_limit_are_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({"schema_version": "1.0", "organisation": {f"x{i}": 1 for i in range(25)}}))
    code, lines = _run(["assess", str(path)], monkeypatch)
    assert code == 2 and len(lines) == 21
    assert lines[-1] == f"advisor: error: {path}: 5 more problems not shown"


@pytest.mark.skipif(sys.platform == "win32", reason="a process group and SIGINT from a terminal")
def test_ctrl_c_during_screen_with_workers_exits_130_without_tracebacks(tmp_path: Path) -> None:
    profile = yaml.safe_load((PROFILES / "example.yaml").read_text(encoding="utf-8"))
    import json

    stream = tmp_path / "many.jsonl"
    stream.write_text((json.dumps(profile) + "\n") * 20_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", "screen", "--jobs", "2", str(stream), "--format", "csv",
         "--sort", "input"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "ADVISOR_NO_CACHE": "1"},
    )
    assert process.stdout is not None
    process.stdout.readline()  # the header: the workers are screening
    process.stdout.readline()  # a first row has come back from them
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C at a terminal does: the whole group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("advisor: error: "), err.decode()


def test_a_second_problem_under_a_digit_like_key_is_reported() -> None:
    """'²'.isdigit() is true but int('²') fails: found by test_hostile_input once every problem
    is reported."""
    from advisor.errors import ProfileError
    from advisor.profile_io import profile_from_data

    with pytest.raises(ProfileError) as info:
        profile_from_data({"²": None})
    assert [str(p) for p in info.value.more] == ["<profile>: ²: unknown field"]
