"""CSV for a screening portfolio: one row per organisation, written row by row.

The planned grant's amount is a plain number (``50000000``, a dot before any decimals) in a
column of its own, with its currency and length beside it, so a spreadsheet can sum and sort
it. A file written with ``-o`` starts with a UTF-8 byte-order mark (:data:`FILE_PREFIX`):
without it Excel in a Russian or Kazakh locale reads UTF-8 as Windows-1251 and garbles
Cyrillic names.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) are prefixed with an apostrophe: organisation names come from outside.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from advisor.views.portfolio import PortfolioRow

COLUMNS = ("rating", "name", "path", "fiduciary", "context", "confidence", "reasons", "conditions",
           "grant_amount", "grant_currency", "grant_months")
FILE_PREFIX = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([_safe(v) for v in values])
    return buffer.getvalue()


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _grant(grant: Any) -> list[str]:
    if grant is None:
        return ["", "", ""]
    return [_number(grant.amount), grant.currency or "", _number(grant.months)]


def csv_header() -> str:
    return _line(list(COLUMNS))


def csv_row(row: PortfolioRow, grant: Any = None) -> str:
    """One organisation; ``grant`` (GrantTerms, the same for the whole portfolio) fills the
    grant columns."""
    return _line([row.rating, row.name, row.path, row.fiduciary, row.context, row.confidence,
                  "; ".join(row.reasons), " ".join(row.conditions), *_grant(grant)])


def portfolio_csv(rows: list[PortfolioRow], grant: Any = None) -> str:
    return csv_header() + "".join(csv_row(r, grant) for r in rows)
