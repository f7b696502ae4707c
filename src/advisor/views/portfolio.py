"""A portfolio of screenings: one small row per organisation, sorted deterministically.

Rows are built from a Screening as soon as it is computed, so a batch keeps only rows (a
few hundred bytes each), never the assessments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import advisor.engine  # noqa: F401  (loads advisor.assessment without the engine/assessment import cycle)
from advisor.assessment import RECORD_CONFIG
from advisor.views.screening import RATING_RANK, Screening

SortKey = Literal["rating", "name", "path", "input"]
SORT_KEYS: tuple[str, ...] = ("rating", "name", "path", "input")
TOP_REASONS = 3


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    __pydantic_config__ = RECORD_CONFIG

    index: int  # position in the input (0-based), for --sort input and as a last tie-break
    path: str  # file, or file:line for JSON Lines
    name: str
    rating: str
    fiduciary: str
    context: str
    confidence: str
    reasons: tuple[str, ...]  # "ID title", at most TOP_REASONS
    conditions: tuple[str, ...]  # condition IDs


def row_from(screening: Screening, path: str, index: int) -> PortfolioRow:
    risk = screening.risk
    reasons = risk.reasons or risk.fiduciary.reasons
    return PortfolioRow(
        index=index,
        path=path,
        name=screening.organisation or "(unnamed)",
        rating=risk.rating,
        fiduciary=risk.fiduciary.rating,
        context=risk.context.rating,
        confidence=risk.confidence.level,
        reasons=tuple(f"{r.id} {r.title}" for r in reasons[:TOP_REASONS]),
        conditions=tuple(c.id for c in screening.conditions),
    )


def sort_key(key: SortKey) -> Any:
    if key == "rating":
        return lambda r: (-RATING_RANK[r.rating], r.name.casefold(), r.name, r.path, r.index)
    if key == "name":
        return lambda r: (r.name.casefold(), r.name, r.path, r.index)
    if key == "path":
        return lambda r: (r.path, r.index)
    return lambda r: r.index


def sort_rows(rows: Iterable[PortfolioRow], key: SortKey = "rating") -> list[PortfolioRow]:
    return sorted(rows, key=sort_key(key))


# --- the portfolio as a whole ------------------------------------------------------------

PORTFOLIO_SCHEMA_VERSION = "1.0"


def empty_counts() -> dict[str, int]:
    return {"High": 0, "Significant": 0, "Moderate": 0, "Low": 0}


@dataclass(slots=True)
class Tally:
    """Ratings counted and inputs that failed; complete once a portfolio's rows are consumed."""

    counts: dict[str, int] = field(default_factory=empty_counts)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The rows of a portfolio screening, for a reporter.

    ``rows`` is a sorted list, or (``streamed``: input order, rows rendered as they are
    screened) an iterator that fills ``tally`` as it goes: read the tally after the rows.
    """

    rows: Iterable[Any]  # PortfolioRow, or the row a format builds itself (reporters.row_builder)
    tally: Tally
    streamed: bool = False
    grant: Any = None  # the GrantTerms every row was screened for
    inputs: tuple[str, ...] = ()  # the PATHS as given (a workbook has a sheet for each)
    stats: Any = None  # the cohort's aggregates (views.benchmark), with --cohort-stats
