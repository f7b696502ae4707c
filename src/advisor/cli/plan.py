"""advisor plan: the trainer's capacity plan for one organisation."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice
from advisor.cli.common import (
    FiniteFloatRange,
    engine_option,
    format_option,
    load_rules,
    output,
    output_options,
    render_context,
    resolve_format,
    rules_option,
)
from advisor.errors import EXIT_OK
from advisor.reporters import CAPACITY_PLAN
from advisor.views.capacity_plan import DEFAULT_HOURS_PER_WEEK, DEFAULT_WEEKS
from advisor.i18n import _

FORMATS = ("table", "json", "markdown", "html")
OUTPUTS = {"plan": {CAPACITY_PLAN: FORMATS}}


@cli.command()
@click.argument("profile", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--weeks", type=click.IntRange(1, 104), default=DEFAULT_WEEKS, show_default=True,
              help="Length of the plan in weeks.")
@click.option("--hours-per-week", type=FiniteFloatRange(0.25, 60), default=DEFAULT_HOURS_PER_WEEK,
              show_default=True, help="Training hours the organisation can give each week.")
@format_option(*FORMATS)
@rules_option
@engine_option
@output_options
def plan(profile: Path, weeks: int, hours_per_week: float, fmt: str | None, rules_dir: Path | None,
         engine: str, output_path: Path | None, force: bool) -> None:
    """A capacity plan for PROFILE: training modules chosen for its findings, in prerequisite
    order, scheduled week by week within the hours budget (what does not fit is listed as
    unscheduled)."""
    from advisor.engine import assess as run_assessment
    from advisor.engine import engine_notice
    from advisor.profile_io import load_profile
    from advisor.views.capacity_plan import capacity_plan

    fmt = resolve_format(fmt, output_path, FORMATS)
    rulebase = load_rules(rules_dir)
    loaded = load_profile(profile)
    if message := engine_notice(engine, rulebase):  # type: ignore[arg-type]
        notice(message)
    result = run_assessment(loaded, rulebase, engine)  # type: ignore[arg-type]
    view = capacity_plan(result, rulebase, weeks=weeks, hours_per_week=hours_per_week)
    output(view, fmt, output_path, force, render_context())
    raise SystemExit(EXIT_OK)
