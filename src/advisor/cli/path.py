"""advisor path and advisor whatif: the fewest changes to a better picture, and what one change does."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli
from advisor.cli.common import emit, engine_option, load_rules, output_options, rules_option
from advisor.errors import EXIT_OK, UsageError

FORMATS = click.Choice(["table", "markdown", "json"])


@cli.command(epilog="""\b
Goals (--goal, repeatable; default: donor-band and high-gaps):
  donor-band        the donor rating one band better
  high-gaps         no gap or risk of high or critical severity left
  area:AREA=LEVEL   the area's maturity at LEVEL (1-4) or better
  close:RULE_ID     one finding closed, e.g. close:FIN001
Exit codes: 0 searched (found or not); 2 an input, option or rule-base error.
""")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--goal", "goals", multiple=True, metavar="GOAL", help="What to reach (see below).")
@click.option("--max-changes", type=click.IntRange(1, 4), default=3, show_default=True,
              help="Largest set of changes searched (exhaustively).")
@click.option("--top", type=click.IntRange(1, 100), default=5, show_default=True, help="Paths shown per goal.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@rules_option
@output_options
def path(profile_path: Path, goals: tuple[str, ...], max_changes: int, top: int, fmt: str,
         rules_dir: Path | None, output_path: Path | None, force: bool) -> None:
    """The fewest changes to the organisation's own answers that reach a goal.

    Only answers the organisation can change itself are changed (controls, practices, plans,
    reserves, policies; not the register, inspections or the political climate), to the values
    at the rules' own thresholds. Paths are ordered by number of changes, then effort; each
    lists the findings it closes, the recommendations it retires, the maturity and the donor
    rating it leads to. Nothing is written unless -o is given.
    """
    from advisor.pathsearch import DEFAULT_GOALS, find_paths, parse_goal
    from advisor.profile_io import load_profile

    rulebase = load_rules(rules_dir)
    chosen = tuple(parse_goal(g, rulebase) for g in goals) or DEFAULT_GOALS
    profile = load_profile(profile_path)
    report = find_paths(profile, rulebase, chosen, max_changes=max_changes, top=top)
    if fmt == "json":
        from advisor.reporters.json_format import to_json

        emit(to_json(report), output_path, force)
    else:
        from advisor.reporters.path_report import path_text

        emit(path_text(report, markdown=fmt == "markdown"), output_path, force)
    raise SystemExit(EXIT_OK)


@cli.command(epilog="""\b
Values are read by the field's type: yes/no, numbers, a choice, a comma-separated list of
choices, a self-rating 1-4; an empty value makes the question unanswered.
Exit codes: 0 compared; 2 an unknown field, a bad value or an unreadable profile.
""")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--set", "assignments", multiple=True, required=True, metavar="FIELD=VALUE",
              help="An answer to change, e.g. funding.reserves_months=3 (repeatable).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@rules_option
@engine_option
@output_options
def whatif(profile_path: Path, assignments: tuple[str, ...], fmt: str, rules_dir: Path | None, engine: str,
           output_path: Path | None, force: bool) -> None:
    """What changes if some answers were different: the comparison 'advisor compare' shows,
    between PROFILE and PROFILE with the --set answers, computed in memory (nothing is written)."""
    from advisor.edits import parse_assignment
    from advisor.profile_io import load_profile
    from advisor.views.whatif import whatif as whatif_view

    if fmt == "table" and output_path is not None:
        raise UsageError("--format table prints to the terminal", suggestion="use --format markdown or json with -o")
    changes = [parse_assignment(a) for a in assignments]
    seen: set[str] = set()
    for field, _ in changes:
        if field in seen:
            raise UsageError("set twice", field=field, suggestion="give each field once")
        seen.add(field)
    rulebase = load_rules(rules_dir)
    profile = load_profile(profile_path)
    result = whatif_view(profile, changes, rulebase, engine=engine, label=str(profile_path))  # type: ignore[arg-type]
    from advisor.cli.common import output as render_output
    from advisor.cli.common import render_context

    render_output(result, fmt, output_path, force, render_context())
    raise SystemExit(EXIT_OK)
