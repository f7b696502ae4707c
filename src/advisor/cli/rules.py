"""advisor rules list | show | lint | docs | coverage."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice, printable
from advisor.cli.common import load_rules, output, render_context, rules_option
from advisor.errors import EXIT_ERROR, UsageError, did_you_mean
from advisor.reporters import RULE_LIST
from advisor.i18n import _

OUTPUTS = {"list": {RULE_LIST: ("table", "json")}}


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
        raise UsageError(_("no rule with ID {id}").format(id=rule_id.upper()),
                         suggestion=did_you_mean(rule_id.upper(), rulebase.by_id) or _("see 'advisor rules list'"))
    click.echo(rule_page(compiled, rulebase), nl=False)


@rules.command()
@rules_option
def lint(rules_dir: Path | None) -> None:
    """Load the rule base strictly and run every rule's cases and example."""
    from advisor.rules.lint import lint as run_lint
    from advisor.rules.loader import load_rulebase

    rulebase = load_rulebase(rules_dir, with_cases=True)
    problems = run_lint(rulebase)
    for problem in problems:
        click.echo(printable(str(problem)), err=True)
    if problems:
        raise SystemExit(EXIT_ERROR)
    click.echo(_("{rules} rules, {modules} modules: no problems").format(
        rules=len(rulebase.rules), modules=len(rulebase.modules)))


@rules.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("docs/rules"),
              show_default=True)
@click.option("--force", is_flag=True,
              help="Write into a folder the command did not make (files with a page's name are replaced).")
@rules_option
def docs(out: Path, force: bool, rules_dir: Path | None) -> None:
    """Regenerate the per-rule documentation pages.

    Only pages the command wrote before (listed in OUT/.advisor-rules-docs) are replaced or
    removed; a non-empty folder without that list is refused unless --force.
    """
    from advisor.rules.docs import generated_pages, write_pages

    rulebase = load_rules(rules_dir)
    done = write_pages(out, generated_pages(rulebase), force=force)
    removed = (", " + _("removed {n} of rules that no longer exist").format(n=len(done.removed))
               if done.removed else "")
    notice(_("wrote {n} pages to {path}").format(n=done.written, path=out) + removed)


@rules.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--check", is_flag=True,
              help="Also list every domain-knowledge citation (a fact the two sources do not state) with its reference.")
@rules_option
def coverage(fmt: str, check: bool, rules_dir: Path | None) -> None:
    """Check that every source statement is encoded by rules or recorded as context.

    Exits 2 when a statement is uncovered or the map and the rules disagree.
    """
    from advisor.coverage import coverage_report, domain_citations

    rulebase = load_rules(rules_dir)
    report = coverage_report(rulebase)
    domain = domain_citations(rulebase) if check else ()
    if fmt == "json":
        from advisor.reporters.json_format import to_json

        data = report.as_dict()
        if check:
            data["domain_citations"] = [
                {"rule": d.rule, "reference": d.reference, "title": d.title, "fact": d.fact} for d in domain
            ]
        click.echo(to_json(data), nl=False)
    else:
        click.echo(f"statements {report.statements}  covered {report.covered}  "
                   f"context {report.context}  uncovered {len(report.uncovered)}  "
                   f"errors {len(report.problems)}")
        if report.uncovered:
            click.echo("uncovered: " + ", ".join(report.uncovered))
        for problem in report.problems:
            click.echo(f"error: {problem.message}")
        if check:
            click.echo(f"domain-knowledge citations: {len(domain)} (facts the sources do not state)")
            for d in domain:
                click.echo(f"  {d.rule}  {d.reference}  {d.fact}")
    if not report.ok:
        raise SystemExit(EXIT_ERROR)
