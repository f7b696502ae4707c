"""advisor benchmark: where one organisation stands among its peers, from aggregates only."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice
from advisor.cli.common import emit, engine_option, load_rules, output_options, rules_option
from advisor.errors import EXIT_ERROR, EXIT_OK, UsageError


def unreadable_notice(failed: int) -> None:
    notice(f"{failed} cohort entr{'ies' if failed != 1 else 'y'} could not be read and "
           f"{'were' if failed != 1 else 'was'} left out (not named here: run 'advisor screen' on the cohort "
           "to see which)")


@cli.command(epilog="""\b
Privacy: only aggregates are shown (medians, interquartile ranges, quarters, shares);
a cohort of fewer than 10 other organisations is refused, and any figure fewer than 5
peers answered is withheld. No peer's name, file or answer is ever printed.
Exit codes: 0 compared; 2 cohort too small, an unreadable input (the rest is still used),
or a usage error.
""")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--cohort", "cohort", type=click.Path(path_type=Path), required=True,
              help="A directory of profiles or a JSON Lines file (one profile per line).")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table",
              show_default=True)
@rules_option
@engine_option
@output_options
def benchmark(profile_path: Path, cohort: Path, fmt: str, rules_dir: Path | None, engine: str,
              output_path: Path | None, force: bool) -> None:
    """Where PROFILE stands in a cohort: each area's maturity and the main figures (reserves, grant
    length, largest funder's share, number of funders) against the peers' median, with the
    organisation's quarter, and the gaps and risks most common among the peers."""
    from advisor.cohort import finding_titles, load_cohort
    from advisor.engine import assess
    from advisor.profile_io import load_profile
    from advisor.views.benchmark import benchmark as benchmark_view

    if not cohort.exists():
        raise UsageError("not found", field="--cohort", file=str(cohort))
    rulebase = load_rules(rules_dir)
    profile = load_profile(profile_path)
    records, failed = load_cohort([cohort], rulebase, engine)  # type: ignore[arg-type]
    if failed:
        unreadable_notice(failed)
    result = benchmark_view(profile, assess(profile, rulebase, engine), records,  # type: ignore[arg-type]
                            finding_titles(rulebase))
    if fmt == "json":
        from advisor.reporters.json_format import to_json

        emit(to_json(result), output_path, force)
    else:
        from advisor.reporters.benchmark_report import cohort_text

        emit(cohort_text(result, markdown=fmt == "markdown"), output_path, force)
    raise SystemExit(EXIT_ERROR if failed else EXIT_OK)
