"""advisor rules list | show | lint | docs | coverage."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli
from advisor.cli.common import load_rules, output, render_context, rules_option
from advisor.errors import EXIT_ERROR, UsageError, did_you_mean
from advisor.reporters import COVERAGE, RULE_LIST

OUTPUTS = {"list": {RULE_LIST: ("table", "json")}, "coverage": {COVERAGE: ("table", "json")}}


@cli.group()
def rules() -> None:
    """Inspect and check the rule base."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@rules_option
def list_rules(fmt: str, rules_dir: Path | None) -> None:
    """List every rule: ID, kind, area, severity, title."""
    from advisor.views.rule_list import rule_list

    output(rule_list(load_rules(rules_dir)), fmt, None, False, render_context())


@rules.command()
@click.argument("rule_id")
@rules_option
def show(rule_id: str, rules_dir: Path | None) -> None:
    """Print one rule's documentation page."""
    from advisor.rules.docs import rule_page

    rulebase = load_rules(rules_dir)
    compiled = rulebase.by_id.get(rule_id.upper())
    if compiled is None:
        raise UsageError(f"no rule with ID {rule_id.upper()}",
                         suggestion=did_you_mean(rule_id.upper(), rulebase.by_id) or "see 'advisor rules list'")
    click.echo(rule_page(compiled), nl=False)


@rules.command()
@rules_option
def lint(rules_dir: Path | None) -> None:
    """Load the rule base strictly and run every rule's cases and example."""
    from advisor.rules.lint import lint as run_lint
    from advisor.rules.loader import load_rulebase

    rulebase = load_rulebase(rules_dir, with_cases=True)
    problems = run_lint(rulebase)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(EXIT_ERROR)
    click.echo(f"{len(rulebase.rules)} rules, {len(rulebase.modules)} modules: no problems")


@rules.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("docs/rules"),
              show_default=True)
@rules_option
def docs(out: Path, rules_dir: Path | None) -> None:
    """Regenerate the per-rule documentation pages."""
    from advisor.rules.docs import generated_pages

    rulebase = load_rules(rules_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages = generated_pages(rulebase)
    for stale in sorted(out.glob("*.md")):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (out / name).write_text(text, encoding="utf-8")
    click.echo(f"wrote {len(pages)} pages to {out}", err=True)


@rules.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@rules_option
def coverage(fmt: str, rules_dir: Path | None) -> None:
    """Check that every source statement is encoded by rules or recorded as context.

    Exits 2 when a statement is uncovered or the map and the rules disagree.
    """
    from advisor.coverage import coverage_report

    report = coverage_report(load_rules(rules_dir))
    output(report, fmt, None, False, render_context())
    if not report.ok:
        raise SystemExit(EXIT_ERROR)
