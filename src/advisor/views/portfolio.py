"""A portfolio of screenings: one small row per organisation, sorted deterministically.

Rows are built from a Screening as soon as it is computed, so a batch keeps only rows (a
few hundred bytes each), never the assessments.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from collections.abc import Iterable
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


def summary(rows: Iterable[PortfolioRow]) -> dict[str, int]:
    counts = {"High": 0, "Significant": 0, "Moderate": 0, "Low": 0}
    for r in rows:
        counts[r.rating] += 1
    return counts


# --- JSON, written row by row (a stream can be long) ----------------------------------

PORTFOLIO_SCHEMA_VERSION = "1.0"


def row_data(row: PortfolioRow) -> dict[str, Any]:
    data = asdict(row)
    del data["index"]
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


def json_head() -> str:
    return '{\n  "schema_version": "%s",\n  "organisations": [' % PORTFOLIO_SCHEMA_VERSION


def json_row(row: PortfolioRow, first: bool) -> str:
    return ("\n    " if first else ",\n    ") + json.dumps(row_data(row), ensure_ascii=False)


def json_tail(counts: dict[str, int], failed: list[tuple[str, str]], any_rows: bool) -> str:
    failed_data = [{"path": label, "error": message} for label, message in failed]
    return (("\n  ]," if any_rows else "],") + '\n  "summary": ' + json.dumps(counts, ensure_ascii=False)
            + ',\n  "failed": ' + json.dumps(failed_data, ensure_ascii=False) + "\n}\n")
