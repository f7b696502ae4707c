"""advisor screen: the donor's risk rating and grant conditions, for one partner or a portfolio."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from advisor.cli import cli, notice
from advisor.cli.common import FiniteFloatRange, emit, engine_option, load_rules, output_options, rules_option
from advisor.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError

if TYPE_CHECKING:
    from advisor.rules.loader import RuleBase

RATING_CHOICES = ("Low", "Moderate", "Significant", "High")
SORT_CHOICES = ("rating", "name", "path", "input")


def _grant(amount: float | None, currency: str, months: int | None) -> Any:
    from advisor.views.screening import GrantTerms

    currency = currency.upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise UsageError(f"--currency {currency}: not an ISO 4217 code", suggestion="e.g. USD, EUR, KZT")
    if amount is None and months is None:
        return GrantTerms()
    return GrantTerms(amount=amount, currency=currency if amount is not None else None, months=months)


def _bom(text: str, output: Path | None) -> str:
    """A CSV file starts with a byte-order mark, so Excel reads it as UTF-8 (not on stdout)."""
    from advisor.reporters.csv_format import FILE_PREFIX

    return FILE_PREFIX + text if output is not None else text


def _write_bytes(data: bytes, output: Path, force: bool) -> None:
    from advisor.files import write_private

    write_private(output, data, force=force)
    notice(f"wrote {output}")


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
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown", "xlsx"]), default="table",
              show_default=True, help="xlsx: an Excel workbook (needs -o), a sheet per PATH and one of findings.")
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
           fmt: str, sort_by: str, jobs: int, fail_on: str | None, cohort_stats: bool, rules_dir: Path | None,
           engine: str, output: Path | None, force: bool) -> None:
    """Screen partners before a grant: risk rating with reasons, proportionate conditions and support.

    PATHS are profile files (.yaml, .yml, .json), directories of them, or JSON Lines files (.jsonl,
    one profile per line). One profile file gives a full screening; anything more gives a portfolio,
    one row per organisation.
    """
    from advisor.engine import engine_notice

    grant = _grant(grant_amount, currency, grant_months)
    if fmt == "table" and output is not None:
        raise UsageError("--format table prints to the terminal", suggestion="use --format markdown, json or csv with -o")
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx writes a workbook", suggestion="give the file with -o, e.g. -o portfolio.xlsx")
    rulebase = load_rules(rules_dir)  # a broken rule base fails once, here
    if message := engine_notice(engine, rulebase):  # type: ignore[arg-type]
        notice(message)
    rating: str | None
    single = len(paths) == 1 and _single(paths[0])
    stats = _cohort_stats(paths, rulebase, engine, fmt, single) if cohort_stats else None
    if single:
        rating = _screen_one(paths[0], rulebase, engine, grant, fmt, output, force)
        code = EXIT_OK
    else:
        ratings, failed = _screen_many(paths, rulebase, engine, grant, fmt, sort_by, jobs, output, force, stats)
        code = EXIT_ERROR if failed else EXIT_OK
        rating = max(ratings, key=RATING_CHOICES.index) if ratings else None
    if code == EXIT_OK and fail_on is not None and rating is not None:
        if RATING_CHOICES.index(rating) >= RATING_CHOICES.index(fail_on):
            code = EXIT_FINDINGS
    raise SystemExit(code)


def _screen_one(path: Path, rulebase: Any, engine: str, grant: Any, fmt: str, output: Path | None,
                force: bool) -> str:
    from advisor.engine import assess
    from advisor.profile_io import load_profile
    from advisor.views.portfolio import row_from
    from advisor.views.screening import screen as screen_view

    profile = load_profile(path)
    result = screen_view(assess(profile, rulebase, engine), profile, grant)  # type: ignore[arg-type]
    if fmt == "json":
        from advisor.reporters.json_format import to_json

        emit(to_json(result), output, force)
    elif fmt == "markdown":
        from advisor.reporters.screening_markdown import screening_markdown

        emit(screening_markdown(result), output, force)
    elif fmt == "csv":
        from advisor.reporters.csv_format import portfolio_csv

        emit(_bom(portfolio_csv([row_from(result, str(path), 0)], grant), output), output, force)
    elif fmt == "xlsx":
        from advisor.reporters.xlsx_format import portfolio_xlsx, sheet_row

        assert output is not None  # checked by the command
        _write_bytes(portfolio_xlsx([sheet_row(result, str(path), 0)], [str(path)]), output, force)
    else:
        from advisor.reporters.terminal_screening import make_console, print_screening

        print_screening(result, make_console())
    return str(result.risk.rating)


def _cohort_stats(paths: tuple[Path, ...], rulebase: Any, engine: str, fmt: str, single: bool) -> Any:
    """The portfolio's aggregates (advisor.views.benchmark), computed before any row is written."""
    from advisor.cohort import finding_titles, load_cohort
    from advisor.views.benchmark import cohort_stats

    if single:
        raise UsageError("--cohort-stats summarises a portfolio", suggestion="give a directory or JSON Lines file")
    if fmt in ("csv", "xlsx"):
        raise UsageError(f"--cohort-stats has no place in {fmt.upper()} rows",
                         suggestion="use --format table, markdown or json")
    # unreadable entries are left out here; the screening below names each one
    records, _ = load_cohort(paths, rulebase, engine)  # type: ignore[arg-type]
    return cohort_stats(records, finding_titles(rulebase))


def _with_stats(tail: str, stats: Any) -> str:
    if stats is None:
        return tail
    import json

    body = json.dumps(stats.model_dump(mode="json"), indent=2, ensure_ascii=False)
    return tail.removesuffix("\n}\n") + ',\n  "cohort_stats": ' + body.replace("\n", "\n  ") + "\n}\n"


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
                 sort_by: str, jobs: int, output: Path | None, force: bool,
                 stats: Any = None) -> tuple[list[str], int]:
    from advisor.batch import DEFAULT_CHUNK, ItemError, init_screening, iter_items, ordered_map, screen_chunk
    from advisor.crypto import Opener
    from advisor.profile_io import note_opened
    from advisor.reporters.progress import progress
    from advisor.views import portfolio as pf

    total = _count(paths)
    chunk = DEFAULT_CHUNK if total is None else max(1, min(DEFAULT_CHUNK, total // (jobs * 4) or 1))
    stream = sort_by == "input" and fmt in ("json", "csv")
    pieces: list[str] = []

    def write(text: str) -> None:
        if output is None:
            click.echo(text, nl=False)
        else:
            pieces.append(text)

    rows: list[Any] = []
    ratings: list[str] = []
    failed: list[tuple[str, str]] = []
    counts = {"High": 0, "Significant": 0, "Moderate": 0, "Low": 0}
    first = True
    if stream:
        from advisor.reporters.csv_format import csv_header

        write(csv_header() if fmt == "csv" else pf.json_head())
    row_builder: Callable[..., Any] | None = None
    if fmt == "xlsx":  # the workers build the spreadsheet's richer rows
        from advisor.reporters.xlsx_format import sheet_row

        row_builder = sheet_row
    results = ordered_map(screen_chunk, iter_items(paths), jobs=jobs, chunk=chunk,
                          initializer=init_screening, initargs=(rulebase, engine, grant, row_builder))
    with progress(total) as tick:
        for result in results:
            if isinstance(result, Opener):
                note_opened(result)
                continue
            tick()
            if isinstance(result, ItemError):
                failed.append((result.label, result.message))
                notice(f"skipped: {result.message}")
                continue
            ratings.append(result.rating)
            counts[result.rating] += 1
            if stream:
                from advisor.reporters.csv_format import csv_row

                write(csv_row(result, grant) if fmt == "csv" else pf.json_row(result, first))
                first = False
            else:
                rows.append(result)
    if stream:
        if fmt == "json":
            write(_with_stats(pf.json_tail(counts, failed, not first), stats))
    else:
        ordered = pf.sort_rows(rows, sort_by)  # type: ignore[arg-type]
        if fmt == "json":
            write(pf.json_head() + "".join(pf.json_row(r, i == 0) for i, r in enumerate(ordered))
                  + _with_stats(pf.json_tail(counts, failed, bool(ordered)), stats))
        elif fmt == "csv":
            from advisor.reporters.csv_format import portfolio_csv

            write(portfolio_csv(ordered, grant))
        elif fmt == "xlsx":
            from advisor.reporters.xlsx_format import portfolio_xlsx

            assert output is not None
            _write_bytes(portfolio_xlsx(ordered, [str(p) for p in paths]), output, force)  # type: ignore[arg-type]
        elif fmt == "markdown":
            from advisor.reporters.screening_markdown import portfolio_markdown

            write(portfolio_markdown(ordered, counts))
            if stats is not None:
                from advisor.reporters.benchmark_report import cohort_text

                write("\n" + cohort_text(stats, markdown=True, heading_level=2))
        else:
            from advisor.reporters.terminal_screening import make_console, print_portfolio

            print_portfolio(ordered, counts, make_console())
            if stats is not None:
                from advisor.reporters.benchmark_report import cohort_text

                click.echo("\n" + cohort_text(stats), nl=False)
    if output is not None and fmt != "xlsx":
        emit(_bom("".join(pieces), output) if fmt == "csv" else "".join(pieces), output, force)
    if failed:
        notice(f"{len(failed)} of {len(failed) + len(ratings)} inputs could not be screened (exit code 2)")
    return ratings, len(failed)
