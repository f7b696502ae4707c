"""advisor screen: the donor's risk rating and grant conditions, for one partner or a portfolio."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from advisor.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError
from advisor.reporters import PORTFOLIO, SCREENING, STREAMING, row_builder
from advisor.i18n import _

if TYPE_CHECKING:
    from advisor.rules.loader import RuleBase

RATING_CHOICES = ("Low", "Moderate", "Significant", "High")
SORT_CHOICES = ("rating", "name", "path", "input")
FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")
# One file gives a Screening (its CSV and workbook are a one-row portfolio), anything more a Portfolio.
OUTPUTS = {"screen": {SCREENING: ("table", "json", "markdown", "html"), PORTFOLIO: FORMATS}}


def _grant(amount: float | None, currency: str, months: int | None) -> Any:
    from advisor.views.screening import GrantTerms

    currency = currency.upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise UsageError(_("--currency {currency}: not an ISO 4217 code").format(currency=currency),
                         suggestion=_("e.g. USD, EUR, KZT"))
    if amount is None and months is None:
        return GrantTerms()
    return GrantTerms(amount=amount, currency=currency if amount is not None else None, months=months)


def _single(path: Path) -> bool:
    from advisor.batch import is_stream

    return not path.is_dir() and not is_stream(path)


@cli.command(epilog="""\b
Exit codes:
  0  every profile was screened (and none reached --fail-on)
  1  a rating at or above --fail-on was given
  2  an input could not be read or validated (in a batch the others are still
     screened and each failure is named on stderr), or a usage or rule-base error
""")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--grant-amount", type=FiniteFloatRange(min=0, min_open=True), default=None,
              help="Total amount of the planned grant.")
@click.option("--currency", default="USD", show_default=True,
              help="Currency of --grant-amount (ISO 4217). The HACT bands are in USD; no exchange rate is assumed.")
@click.option("--grant-months", type=click.IntRange(1, 240), default=None, help="Length of the planned grant.")
@format_option(*FORMATS, help="xlsx: an Excel workbook (needs -o), a sheet per PATH and one of findings.")
@click.option("--sort", "sort_by", type=click.Choice(SORT_CHOICES), default="rating", show_default=True,
              help="Portfolio order: rating (highest first, then name, then path), name, path, or input "
                   "(input order, rows written as they come).")
@click.option("--jobs", type=click.IntRange(1, 512), default=1, show_default=True,
              help="Processes for a portfolio; the output is the same for any number.")
@click.option("--fail-on", type=click.Choice(RATING_CHOICES), default=None,
              help="Exit 1 when any organisation is rated this or higher.")
@click.option("--cohort-stats", is_flag=True,
              help="Add aggregates over the portfolio (maturity per area, main figures, most common gaps and "
                   "risks; at least 10 organisations, cells of at least 5 answers, no organisation singled out).")
@rules_option
@engine_option
@output_options
def screen(paths: tuple[Path, ...], grant_amount: float | None, currency: str, grant_months: int | None,
           fmt: str | None, sort_by: str, jobs: int, fail_on: str | None, cohort_stats: bool,
           rules_dir: Path | None, engine: str, output_path: Path | None, force: bool) -> None:
    """Screen partners before a grant: risk rating with reasons, proportionate conditions and support.

    PATHS are profile files (.yaml, .yml, .json), directories of them, or JSON Lines files (.jsonl,
    one profile per line). One profile file gives a full screening; anything more gives a portfolio,
    one row per organisation.
    """
    from advisor.engine import engine_notice

    grant = _grant(grant_amount, currency, grant_months)
    fmt = resolve_format(fmt, output_path, FORMATS)
    rulebase = load_rules(rules_dir)  # a broken rule base fails once, here
    if message := engine_notice(engine, rulebase):  # type: ignore[arg-type]
        notice(message)
    rating: str | None
    single = len(paths) == 1 and _single(paths[0])
    stats = _cohort_stats(paths, rulebase, engine, fmt, single) if cohort_stats else None
    if single:
        rating = _screen_one(paths[0], rulebase, engine, grant, fmt, output_path, force)
        code = EXIT_OK
    else:
        ratings, failed = _screen_many(paths, rulebase, engine, grant, fmt, sort_by, jobs, output_path, force, stats)
        code = EXIT_ERROR if failed else EXIT_OK
        rating = max(ratings, key=RATING_CHOICES.index) if ratings else None
    if code == EXIT_OK and fail_on is not None and rating is not None:
        if RATING_CHOICES.index(rating) >= RATING_CHOICES.index(fail_on):
            code = EXIT_FINDINGS
    raise SystemExit(code)


def _screen_one(path: Path, rulebase: Any, engine: str, grant: Any, fmt: str, output_path: Path | None,
                force: bool) -> str:
    from advisor.engine import assess
    from advisor.profile_io import load_profile
    from advisor.views.portfolio import Portfolio, Tally, row_from
    from advisor.views.screening import screen as screen_view

    profile = load_profile(path)
    result = screen_view(assess(profile, rulebase, engine), profile, grant)  # type: ignore[arg-type]
    view: object = result
    if fmt in ("csv", "xlsx"):  # the portfolio's formats: one file gives a one-row portfolio
        build = row_builder(fmt) or row_from
        view = Portfolio(rows=[build(result, str(path), 0)], tally=Tally(), grant=grant, inputs=(str(path),))
    output(view, fmt, output_path, force, render_context())
    return str(result.risk.rating)


def _cohort_stats(paths: tuple[Path, ...], rulebase: Any, engine: str, fmt: str, single: bool) -> Any:
    """The portfolio's aggregates (advisor.views.benchmark), computed before any row is written."""
    from advisor.cohort import finding_titles, load_cohort
    from advisor.views.benchmark import cohort_stats

    if single:
        raise UsageError("--cohort-stats summarises a portfolio", suggestion="give a directory or JSON Lines file")
    if fmt in ("csv", "xlsx", "html"):
        raise UsageError(f"--cohort-stats has no place in {fmt.upper()} output",
                         suggestion="use --format table, markdown or json")
    # unreadable entries are left out here; the screening below names each one
    records, _ = load_cohort(paths, rulebase, engine)  # type: ignore[arg-type]
    return cohort_stats(records, finding_titles(rulebase))


def _count(paths: tuple[Path, ...]) -> int | None:
    """How many items a batch holds, when that is cheap to know (not for JSON Lines)."""
    from advisor.batch import _expand, is_stream

    total = 0
    for given in paths:
        if not given.exists():
            total += 1
            continue
        for path in _expand(given):
            if is_stream(path):
                return None
            total += 1
    return total


def _screen_many(paths: tuple[Path, ...], rulebase: RuleBase, engine: str, grant: Any, fmt: str,
                 sort_by: str, jobs: int, output_path: Path | None, force: bool,
                 stats: Any = None) -> tuple[list[str], int]:
    from advisor.batch import DEFAULT_CHUNK, ItemError, init_screening, iter_items, ordered_map, screen_chunk
    from advisor.crypto import Opener
    from advisor.profile_io import note_opened
    from advisor.reporters.progress import progress
    from advisor.views.portfolio import Portfolio, Tally, sort_rows

    total = _count(paths)
    chunk = DEFAULT_CHUNK if total is None else max(1, min(DEFAULT_CHUNK, total // (jobs * 4) or 1))
    # JSON and CSV in input order are written row by row, as the profiles are screened.
    streamed = sort_by == "input" and (PORTFOLIO, fmt) in STREAMING
    tally = Tally()
    ratings: list[str] = []

    def screened() -> Iterator[Any]:
        # the workers build the rows the format needs (the workbook's are richer)
        results = ordered_map(screen_chunk, iter_items(paths), jobs=jobs, chunk=chunk, initializer=init_screening,
                              initargs=(rulebase, engine, grant, row_builder(fmt)))
        with progress(total) as tick:
            for result in results:
                if isinstance(result, Opener):
                    note_opened(result)
                    continue
                tick()
                if isinstance(result, ItemError):
                    tally.failed.append((result.label, result.message))
                    notice(f"skipped: {result.message}")
                    continue
                ratings.append(result.rating)
                tally.counts[result.rating] += 1
                yield result

    rows: Iterable[Any] = screened() if streamed else sort_rows(screened(), sort_by)  # type: ignore[arg-type]
    portfolio = Portfolio(rows=rows, tally=tally, streamed=streamed, grant=grant, inputs=tuple(str(p) for p in paths),
                          stats=stats)
    output(portfolio, fmt, output_path, force, render_context())
    failed = len(tally.failed)
    if failed:
        notice(f"{failed} of {failed + len(ratings)} inputs could not be screened (exit code 2)")
    return ratings, failed
