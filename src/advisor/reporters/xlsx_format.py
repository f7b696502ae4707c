"""The donor's spreadsheet: a screening portfolio as an Excel workbook (openpyxl).

One sheet per portfolio (each PATH given to ``advisor screen``), one row per organisation:
the rating (its cell coloured), the parts of the risk, the grant's amount as a number with
its currency in a column of its own, the reasons and the conditions as text; a filter on
every column and the header row frozen. A last sheet, "Findings", has one row per finding
that counts toward the rating, for filtering by area, severity or dimension.

The columns are read off the Screening's records generically (dataclass or pydantic
fields), so a field the screening view gains (a finding's dimension, a risk part's
confidence) becomes a column without a change here.

Texts that Excel would run as a formula are written as text; the workbook's bytes do not
depend on the clock (:func:`advisor.workbook.workbook_bytes`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from advisor.views.screening import RATING_RANK, Screening

RATING_FILL = {"Low": "C6EFCE", "Moderate": "FFEB9C", "Significant": "F8CBAD", "High": "FF8B8B"}
FINDINGS_SHEET = "Findings"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]*?:/\\]")

Cells = tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One organisation, ready for the workbook (small and picklable: built in the workers)."""

    index: int
    path: str
    name: str
    rating: str
    cells: Cells  # the portfolio sheet's columns after rating, name and path
    findings: tuple[Cells, ...]


def _fields(record: Any) -> list[tuple[str, Any]]:
    if dataclasses.is_dataclass(record):
        return [(f.name, getattr(record, f.name)) for f in dataclasses.fields(record)]
    model_fields = getattr(type(record), "model_fields", None)
    if model_fields is not None:
        return [(name, getattr(record, name)) for name in model_fields]
    return []


def _evidence_text(items: Iterable[Any]) -> str:
    parts = []
    for item in items:
        values = dict(_fields(item))
        if "field" in values:
            value = values.get("value")
            parts.append(f"{values['field']} = {'unanswered' if value is None else value}")
        else:
            parts.append(str(item))
    return "; ".join(parts)


def _cell(value: Any) -> Any:
    """A value as a cell: numbers stay numbers, lists become text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        if value and _fields(value[0]):
            return _evidence_text(value)
        return "; ".join(str(v) for v in value)
    return str(value)


def _scalars(record: Any, skip: tuple[str, ...] = ()) -> Cells:
    return tuple((name, _cell(value)) for name, value in _fields(record)
                 if name not in skip and (not _fields(value) or isinstance(value, (tuple, list))))


def _risk_parts(risk: Any) -> list[tuple[str, Any]]:
    """The parts of the risk that carry a rating and reasons of their own (fiduciary, context…)."""
    return [(name, value) for name, value in _fields(risk) if hasattr(value, "rating") and hasattr(value, "reasons")]


def sheet_row(screening: Screening, path: str, index: int) -> SheetRow:
    risk = screening.risk
    cells: list[tuple[str, Any]] = []
    for name, part in _risk_parts(risk):
        cells.append((name, part.rating))
        cells.extend((f"{name} {key}", value) for key, value in _scalars(part, skip=("rating", "reasons")))
    for name, value in _fields(risk):
        if name in ("rating", "reasons", "explanation") or hasattr(value, "reasons"):
            continue
        if _fields(value):  # e.g. confidence: its level, and its other plain values
            level = getattr(value, "level", None)
            cells.append((name, level if level is not None else str(value)))
        else:
            cells.append((name, _cell(value)))
    for name, value in _fields(screening.grant):
        cells.append((f"grant {name}", value))
    reasons = risk.reasons or next((part.reasons for _, part in _risk_parts(risk) if part.reasons), ())
    cells.append(("reasons", "\n".join(f"{r.id} {r.title}" for r in reasons)))
    cells.append(("conditions", "\n".join(f"{c.id} {c.title}: {c.detail}" for c in screening.conditions)))
    cells.append(("notes", "\n".join(screening.notes)))
    findings: list[Cells] = []
    seen: set[str] = set()
    for part_name, part in _risk_parts(risk):
        for reason in part.reasons:
            seen.add(reason.id)
            findings.append((("part", part_name), *_scalars(reason)))
    for finding in screening.findings:
        if getattr(finding, "id", None) not in seen:
            findings.append((("part", "screening"), *_scalars(finding)))
    return SheetRow(index=index, path=path, name=screening.organisation or "(unnamed)", rating=risk.rating,
                    cells=tuple(cells), findings=tuple(findings))


# --- the workbook --------------------------------------------------------------------


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def _write(sheet: Any, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column)
    cell.value = _text(value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # an organisation's name is never run as a formula
    return cell


def _union(rows: Iterable[Cells]) -> list[str]:
    return list(dict.fromkeys(name for cells in rows for name, _ in cells))


def _sheet_names(portfolios: list[str]) -> list[str]:
    names: list[str] = []
    used = {FINDINGS_SHEET.casefold()}
    for portfolio in portfolios:
        last = portfolio.rstrip("/\\").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        last = re.sub(r"\.(ya?ml|jsonl?)$", "", last, flags=re.IGNORECASE)
        base = _SHEET_FORBIDDEN.sub("_", last).strip("'") or "Portfolio"
        name, n = base[:31], 2
        while name.casefold() in used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.casefold())
        names.append(name)
    return names


def _portfolio_of(path: str, portfolios: list[str]) -> int:
    for i, given in enumerate(portfolios):
        given = given.rstrip("/\\") or given
        if path == given or path.startswith((given + "/", given + "\\", given + ":")):
            return i
    return 0


def _table(sheet: Any, header: list[str], widths: dict[str, int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for column, title in enumerate(header, start=1):
        cell = _write(sheet, 1, column, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(title, 14)
    sheet.freeze_panes = "A2"


def portfolio_xlsx(rows: list[SheetRow], portfolios: list[str] | None = None) -> bytes:
    """The workbook: a sheet per portfolio (rows in the order given), then the findings."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    from advisor.workbook import workbook_bytes

    portfolios = portfolios or ["Portfolio"]
    names = _sheet_names(portfolios)
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    extra = _union(r.cells for r in rows)
    header = ["rating", "name", "path", *extra]
    wide = {"name": 32, "path": 30, "reasons": 60, "conditions": 80, "notes": 50}
    top = Alignment(wrap_text=True, vertical="top")
    groups: dict[int, list[SheetRow]] = {i: [] for i in range(len(portfolios))}
    for r in rows:
        groups[_portfolio_of(r.path, portfolios)].append(r)
    for i, name in enumerate(names):
        sheet = book.create_sheet(name)
        _table(sheet, header, wide)
        for line, r in enumerate(groups[i], start=2):
            values = {"rating": r.rating, "name": r.name, "path": r.path, **dict(r.cells)}
            for column, title in enumerate(header, start=1):
                cell = _write(sheet, line, column, values.get(title))
                if title in ("reasons", "conditions", "notes"):
                    cell.alignment = top
                if title == "grant amount" and isinstance(values.get(title), (int, float)):
                    cell.number_format = "#,##0.00"
            rating = sheet.cell(row=line, column=1)
            colour = RATING_FILL.get(r.rating)
            if colour:
                rating.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(groups[i]) + 1)}"
    findings = book.create_sheet(FINDINGS_SHEET)
    finding_header = ["organisation", "path", *_union(f for r in rows for f in r.findings)]
    _table(findings, finding_header, {"organisation": 32, "path": 30, "title": 60, "evidence": 60})
    line = 2
    for r in rows:
        for finding in sorted(r.findings, key=lambda f: (-RATING_RANK.get(dict(f).get("implies", ""), -1), str(dict(f).get("id")))):
            values = {"organisation": r.name, "path": r.path, **dict(finding)}
            for column, title in enumerate(finding_header, start=1):
                cell = _write(findings, line, column, values.get(title))
                if title == "implies" and values.get(title) in RATING_FILL:
                    colour = RATING_FILL[values[title]]
                    cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
            line += 1
    findings.auto_filter.ref = f"A1:{get_column_letter(len(finding_header))}{max(1, line - 1)}"
    return workbook_bytes(book)
