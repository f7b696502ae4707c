"""CSV for a screening portfolio: one row per organisation, written row by row.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) are prefixed with an apostrophe: organisation names come from outside.
"""

from __future__ import annotations

import csv
import io

from advisor.views.portfolio import PortfolioRow

COLUMNS = ("rating", "name", "path", "fiduciary", "context", "confidence", "reasons", "conditions")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([_safe(v) for v in values])
    return buffer.getvalue()


def csv_header() -> str:
    return _line(list(COLUMNS))


def csv_row(row: PortfolioRow) -> str:
    return _line([row.rating, row.name, row.path, row.fiduciary, row.context, row.confidence,
                  "; ".join(row.reasons), " ".join(row.conditions)])


def portfolio_csv(rows: list[PortfolioRow]) -> str:
    return csv_header() + "".join(csv_row(r) for r in rows)
