"""advisor assess / advisor explain."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice
from advisor.cli.common import (
    engine_option,
    format_option,
    load_rules,
    output,
    output_options,
    render_context,
    resolve_format,
    rules_option,
)
from advisor.errors import EXIT_FINDINGS, EXIT_OK, UsageError, did_you_mean
from advisor.reporters import ASSESSMENT, EXPLANATION, NGO_REPORT
from advisor.rules.model import SEVERITIES, SEVERITY_RANK
from advisor.i18n import _

FORMATS = ("table", "json", "markdown", "html")
# What each command can show, and in which formats (tests/cli/test_outputs.py checks the registry).
OUTPUTS = {
    "assess": {ASSESSMENT: ("table", "json", "markdown"), NGO_REPORT: FORMATS},
    "explain": {EXPLANATION: ("table",)},
}


@cli.command()
@click.argument("profile", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--audience", type=click.Choice(["ngo", "donor", "trainer", "all"]), default="all",
              show_default=True, help="Whose recommendations to show.")
@format_option(*FORMATS, help="With --audience ngo every format shows the NGO's self-assessment report; "
               "html is always that report (one self-contained file).")
@click.option("--select", multiple=True, help="Only these rule IDs or prefixes (comma-separated).")
@click.option("--ignore", multiple=True, help="Leave out these rule IDs or prefixes (comma-separated).")
@click.option("--fail-on", type=click.Choice(list(SEVERITIES)), default=None,
              help="Exit 1 when a gap or risk of this severity or worse is reported.")
@rules_option
@engine_option
@output_options
def assess(profile: Path, audience: str, fmt: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
           fail_on: str | None, rules_dir: Path | None, engine: str, output_path: Path | None,
           force: bool) -> None:
    """Assess PROFILE: findings, maturity per area and prioritised recommendations."""
    from advisor.engine import assess as run_assessment
    from advisor.engine import engine_notice
    from advisor.profile_io import load_profile
    from advisor.selection import check_ids, parse_ids, select_results

    fmt = resolve_format(fmt, output_path, FORMATS)
    ngo = audience == "ngo" or fmt == "html"
    if ngo and audience in ("donor", "trainer"):
        raise UsageError(f"--format html is the NGO's report, not the {audience}'s",
                         suggestion="use --audience ngo, or 'advisor plan --format html' for the trainer")
    rulebase = load_rules(rules_dir)
    chosen, ignored = parse_ids(select), parse_ids(ignore)
    check_ids(chosen, rulebase, "--select")
    check_ids(ignored, rulebase, "--ignore")
    loaded = load_profile(profile)
    if message := engine_notice(engine, rulebase):  # type: ignore[arg-type]
        notice(message)
    result = run_assessment(loaded, rulebase, engine)  # type: ignore[arg-type]
    result = select_results(result, select=chosen, ignore=ignored, audience=audience)
    if ngo:
        from advisor.views.ngo_report import ngo_report

        output(ngo_report(result, rulebase, loaded), fmt, output_path, force, render_context())
    else:
        output(result, fmt, output_path, force, render_context())
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on]
        if any(f.kind in ("gap", "risk") and SEVERITY_RANK[f.severity] >= threshold for f in result.findings):
            raise SystemExit(EXIT_FINDINGS)
    raise SystemExit(EXIT_OK)


@cli.command()
@click.argument("profile", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("rule_id")
@rules_option
@engine_option
def explain(profile: Path, rule_id: str, rules_dir: Path | None, engine: str) -> None:
    """Why RULE_ID fired for PROFILE, or which condition kept it from firing."""
    from advisor.engine import assess as run_assessment
    from advisor.explain import explain as explain_rule
    from advisor.facts import profile_facts
    from advisor.profile_io import load_profile

    rulebase = load_rules(rules_dir)
    rule_id = rule_id.upper()
    if rule_id not in rulebase.by_id:
        raise UsageError(_("no rule with ID {id}").format(id=rule_id),
                         suggestion=did_you_mean(rule_id, rulebase.by_id) or _("see 'advisor rules list'"))
    loaded = load_profile(profile)
    result = run_assessment(loaded, rulebase, engine)  # type: ignore[arg-type]
    output(explain_rule(rule_id, rulebase, profile_facts(loaded), result), "table", None, False, render_context())
