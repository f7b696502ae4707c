"""A portfolio (or one screening) as rows: JSON and CSV, written row by row.

A portfolio screened in input order is a stream: each row is rendered as soon as it is
screened, so a registry of any size needs the memory of one row. The JSON's keys and layout
are fixed (``schema_version``, ``organisations``, ``summary``, ``failed``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, replace
from typing import Any

from advisor.reporters.context import RenderContext
from advisor.reporters.csv_format import csv_header, csv_row
from advisor.reporters.present import plain
from advisor.views.portfolio import PORTFOLIO_SCHEMA_VERSION, Portfolio, PortfolioRow


def row_data(row: PortfolioRow) -> dict[str, Any]:
    data = asdict(row)
    del data["index"]
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


def portfolio_json(portfolio: Portfolio, ctx: RenderContext) -> Iterator[str]:
    yield '{\n  "schema_version": "%s",\n  "organisations": [' % PORTFOLIO_SCHEMA_VERSION
    first = True
    for row in portfolio.rows:
        yield ("\n    " if first else ",\n    ") + json.dumps(row_data(row), ensure_ascii=False)
        first = False
    tally = portfolio.tally
    failed = [{"path": label, "error": message} for label, message in tally.failed]
    tail = (("],") if first else "\n  ],") + '\n  "summary": ' + json.dumps(tally.counts, ensure_ascii=False) \
        + ',\n  "failed": ' + json.dumps(failed, ensure_ascii=False)
    if portfolio.stats is not None:
        body = json.dumps(portfolio.stats.model_dump(mode="json"), indent=2, ensure_ascii=False)
        tail += ',\n  "cohort_stats": ' + body.replace("\n", "\n  ")
    yield tail + "\n}\n"


def _inert(row: PortfolioRow) -> PortfolioRow:
    """The row as shown: control characters in names and paths made visible (the data is kept)."""
    return replace(row, name=plain(row.name), path=plain(row.path), reasons=tuple(plain(r) for r in row.reasons))


def portfolio_csv(portfolio: Portfolio, ctx: RenderContext) -> Iterator[str]:
    yield csv_header()
    for row in portfolio.rows:
        yield csv_row(_inert(row), portfolio.grant)


def portfolio_xlsx(portfolio: Portfolio, ctx: RenderContext) -> bytes:
    """The donor's workbook (rows built by ``xlsx_format.sheet_row`` in the workers)."""
    from advisor.reporters.xlsx_format import portfolio_xlsx as workbook

    return workbook(list(portfolio.rows), list(portfolio.inputs))

