"""advisor plan: the trainer's capacity plan for one organisation."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice
from advisor.cli.common import FiniteFloatRange, emit, engine_option, load_rules, output_options, rules_option
from advisor.errors import EXIT_OK, UsageError
from advisor.views.capacity_plan import DEFAULT_HOURS_PER_WEEK, DEFAULT_WEEKS


@cli.command()
@click.argument("profile", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--weeks", type=click.IntRange(1, 104), default=DEFAULT_WEEKS, show_default=True,
              help="Length of the plan in weeks.")
@click.option("--hours-per-week", type=FiniteFloatRange(0.25, 60), default=DEFAULT_HOURS_PER_WEEK,
              show_default=True, help="Training hours the organisation can give each week.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown", "html"]), default="table",
              show_default=True)
@rules_option
@engine_option
@output_options
def plan(profile: Path, weeks: int, hours_per_week: float, fmt: str, rules_dir: Path | None, engine: str,
         output: Path | None, force: bool) -> None:
    """A capacity plan for PROFILE: training modules chosen for its findings, in prerequisite
    order, scheduled week by week within the hours budget (what does not fit is listed as
    unscheduled)."""
    from advisor.engine import assess as run_assessment
    from advisor.engine import engine_notice
    from advisor.profile_io import load_profile
    from advisor.views.capacity_plan import capacity_plan

    rulebase = load_rules(rules_dir)
    loaded = load_profile(profile)
    if message := engine_notice(engine, rulebase):  # type: ignore[arg-type]
        notice(message)
    result = run_assessment(loaded, rulebase, engine)  # type: ignore[arg-type]
    view = capacity_plan(result, rulebase, weeks=weeks, hours_per_week=hours_per_week)
    if fmt == "json":
        from advisor.reporters.json_format import to_json

        emit(to_json(view), output, force)
    elif fmt == "markdown":
        from advisor.reporters.markdown import capacity_plan_markdown

        emit(capacity_plan_markdown(view), output, force)
    elif fmt == "html":
        from advisor.reporters.html import capacity_plan_html

        emit(capacity_plan_html(view), output, force)
    else:
        if output is not None:
            raise UsageError("--format table prints to the terminal",
                             suggestion="use --format markdown, json or html with -o")
        from advisor.reporters.terminal import make_console, print_capacity_plan

        print_capacity_plan(view, make_console())
    raise SystemExit(EXIT_OK)
