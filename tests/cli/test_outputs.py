"""One way to render: every format a command offers has a renderer; -o infers the format
from the file's extension; the terminal-only check is made once, before anything is run."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from advisor.cli import COMMAND_MODULES, cli
from advisor.reporters import RENDERERS, renderer_name
from tests.conftest import RULES

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
EXAMPLE = str(PROFILES / "example.yaml")


def _outputs() -> list[tuple[str, str, str]]:
    found = []
    for name in COMMAND_MODULES:
        outputs = getattr(importlib.import_module(name), "OUTPUTS", {})
        for command, views in outputs.items():
            for view, formats in views.items():
                found += [(command, view, fmt) for fmt in formats]
    return found


def _command(name: str) -> click.Command:
    """A command by name, at the top level or in a group (``rules list``)."""
    command = cli.commands.get(name)
    if command is None:
        groups = [c for c in cli.commands.values() if isinstance(c, click.Group)]
        command = next(g.commands[name] for g in groups if name in g.commands)
    assert isinstance(command, click.Command)
    return command


def _format_choices(command: click.Command) -> set[str]:
    option = next((p for p in command.params if p.name == "fmt"), None)
    assert option is not None and isinstance(option.type, click.Choice)
    return set(option.type.choices)


@pytest.mark.parametrize(("command", "view", "fmt"), _outputs())
def test_every_offered_format_has_a_renderer(command: str, view: str, fmt: str) -> None:
    name = renderer_name(view, fmt)
    assert name is not None, f"{command} --format {fmt}: no renderer for {view}"
    module, _, function = name.partition(":")
    assert callable(getattr(importlib.import_module(module), function))


def test_declared_outputs_cover_each_commands_format_choices() -> None:
    declared: dict[str, set[str]] = {}
    for command, _view, fmt in _outputs():
        declared.setdefault(command, set()).add(fmt)
    for command, formats in declared.items():
        if any(p.name == "fmt" for p in _command(command).params):
            assert _format_choices(_command(command)) == formats, command
    with_format = {name for name, c in cli.commands.items() if any(p.name == "fmt" for p in c.params)}
    assert {"assess", "plan", "screen", "compare", "merge"} <= set(declared) & with_format


def test_every_registered_renderer_imports() -> None:
    for (_view, _fmt), name in RENDERERS.items():
        module, _, function = name.partition(":")
        assert callable(getattr(importlib.import_module(module), function)), name


@pytest.mark.parametrize(("args", "suffix", "check"), [
    (["assess", EXAMPLE], "report.html", lambda t: t.startswith("<!DOCTYPE html>")),
    (["assess", EXAMPLE], "report.md", lambda t: t.startswith("# ")),
    (["assess", EXAMPLE], "report.json", lambda t: "findings" in json.loads(t)),
    (["plan", EXAMPLE], "plan.md", lambda t: t.startswith("# Capacity plan")),
    (["plan", EXAMPLE], "plan.HTML", lambda t: t.startswith("<!DOCTYPE html>")),
    (["screen", EXAMPLE], "partner.csv", lambda t: t.startswith("\ufeffrating,name,path")),  # BOM for Excel
    (["screen", EXAMPLE], "partner.html", lambda t: "<h1>Screening:" in t),
])
def test_format_from_the_output_extension(tmp_path: Path, args: list[str], suffix: str, check: object) -> None:
    out = tmp_path / suffix
    result = CliRunner().invoke(cli, [*args, "--rules", str(RULES), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert check(out.read_text(encoding="utf-8"))  # type: ignore[operator]


def test_given_format_wins_over_the_extension(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["assess", EXAMPLE, "--rules", str(RULES), "--format", "json", "-o", str(out)])
    assert result.exit_code in (0, 1)
    json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", [["assess", EXAMPLE], ["plan", EXAMPLE], ["screen", EXAMPLE],
                                     ["compare", EXAMPLE, EXAMPLE]])
def test_table_cannot_go_to_a_file(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "out.txt"  # no format of its own: the default, table, is refused
    result = CliRunner().invoke(cli, [*command, "-o", str(out)])
    assert result.exit_code == 2
    assert "prints to the terminal" in result.output and not out.exists()
    assert result.output.count("\n") == 1


def test_piped_output_honours_columns() -> None:
    narrow = CliRunner().invoke(cli, ["assess", EXAMPLE, "--audience", "ngo"], env={"COLUMNS": "60"})
    wide = CliRunner().invoke(cli, ["assess", EXAMPLE, "--audience", "ngo"], env={"COLUMNS": "160"})
    assert max(len(line.rstrip()) for line in narrow.output.splitlines()) <= 60
    assert max(len(line.rstrip()) for line in wide.output.splitlines()) > 100
    assert "…" not in narrow.output  # folded or stacked, never cut


def test_all_audience_table_has_no_markdown() -> None:
    result = CliRunner().invoke(cli, ["assess", EXAMPLE], env={"COLUMNS": "200"})
    assert "`" not in result.output


def test_narrow_terminal_keeps_evidence_apart() -> None:
    result = CliRunner().invoke(cli, ["screen", EXAMPLE], env={"COLUMNS": "80"})
    assert "foreign_funding.repo…" not in result.output and "…" not in result.output


def test_merge_says_yes_no_and_whole_numbers(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(Path(EXAMPLE).read_text(encoding="utf-8"))
    other = yaml.safe_load(Path(EXAMPLE).read_text(encoding="utf-8"))
    other["practices"]["has_security_protocol"] = not data["practices"].get("has_security_protocol", False)
    other["funding"]["reserves_months"] = 4.0
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(yaml.safe_dump(data), encoding="utf-8")
    b.write_text(yaml.safe_dump(other), encoding="utf-8")
    result = CliRunner().invoke(cli, ["merge", str(a), str(b), "-o", str(tmp_path / "m.yaml")],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "True" not in result.stdout and "False" not in result.stdout and "4.0" not in result.stdout
    assert "Yes" in result.stdout and "No" in result.stdout and "b.yaml: 4" in result.stdout


def test_stacked_blocks_below_100_columns() -> None:
    narrow = CliRunner().invoke(cli, ["screen", EXAMPLE, "--rules", str(RULES)], env={"COLUMNS": "80"}).output
    wide = CliRunner().invoke(cli, ["screen", EXAMPLE, "--rules", str(RULES)], env={"COLUMNS": "140"}).output
    assert "┏" in wide and "┏" not in narrow  # five-column tables become one block per finding
    assert "Evidence: funding.typical_grant_months = 9 months" in narrow
