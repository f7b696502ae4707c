"""The donor's spreadsheet (screen --format xlsx) and the CSV Excel opens right."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from advisor.cli import cli

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
GRANT = ["--grant-amount", "50000000", "--currency", "KZT", "--grant-months", "18"]


def screen(*args: str) -> object:
    return CliRunner().invoke(cli, ["screen", "--engine", "reference", *args])


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "p.xlsx"
    result = screen(str(PROFILES), "--format", "xlsx", "-o", str(out), *GRANT)
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def _table(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], r)) for r in rows[1:]]


def test_a_sheet_for_the_portfolio_and_one_for_findings(workbook):
    assert workbook.sheetnames == ["profiles", "Findings"]
    header, rows = _table(workbook["profiles"])
    assert header[:3] == ["rating", "name", "path"]
    assert {"fiduciary", "context", "confidence", "grant amount", "grant currency", "conditions"} <= set(header)
    assert len(rows) == len(list(PROFILES.rglob("*.yaml")))


def test_cell_types_amounts_are_numbers_with_a_currency_column(workbook):
    _, rows = _table(workbook["profiles"])
    for row in rows:
        assert row["grant amount"] == 50_000_000 and isinstance(row["grant amount"], (int, float))
        assert row["grant currency"] == "KZT" and row["grant months"] == 18
        assert row["rating"] in ("Low", "Moderate", "Significant", "High")
        assert isinstance(row["conditions"], str) and row["conditions"].startswith("CND")


def test_filter_frozen_header_and_coloured_rating(workbook):
    for name in workbook.sheetnames:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
    sheet = workbook["profiles"]
    colours = {}
    for row in range(2, sheet.max_row + 1):
        colours.setdefault(sheet.cell(row, 1).value, set()).add(sheet.cell(row, 1).fill.start_color.rgb)
    assert all(len(c) == 1 for c in colours.values())  # one colour per rating
    assert len({next(iter(c)) for c in colours.values()}) == len(colours) >= 2  # and a different one each


def test_findings_sheet_lists_each_reason(workbook):
    header, rows = _table(workbook["Findings"])
    assert header[:2] == ["organisation", "path"]
    assert {"id", "title", "area", "severity", "implies", "evidence"} <= set(header)
    names = {r["name"] for r in _table(workbook["profiles"])[1]}
    assert rows and {r["organisation"] for r in rows} <= names
    assert all(isinstance(r["id"], str) and r["id"][:3].isalpha() for r in rows)


def test_same_input_same_bytes_and_jobs(tmp_path):
    one, two = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    assert screen(str(PROFILES), "--format", "xlsx", "-o", str(one)).exit_code == 0
    assert screen(str(PROFILES), "--format", "xlsx", "-o", str(two), "--jobs", "2").exit_code == 0
    assert one.read_bytes() == two.read_bytes()


def test_a_sheet_per_path_given(tmp_path):
    out = tmp_path / "p.xlsx"
    files = sorted(PROFILES.rglob("*.yaml"))
    single = tmp_path / "new-partner-with-a-long-file-name.yaml"
    single.write_bytes(files[0].read_bytes())
    result = screen(str(single), str(PROFILES), "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["new-partner-with-a-long-file-na", "profiles", "Findings"]  # 31 characters at most
    assert book.worksheets[0].max_row == 2 and book["profiles"].max_row == len(files) + 1


def test_one_profile_and_a_formula_like_name(tmp_path):
    profile = tmp_path / "x.yaml"
    profile.write_text("schema_version: '1.0'\norganisation: {name: '=HYPERLINK(\"http://x\")'}\n", encoding="utf-8")
    out = tmp_path / "one.xlsx"
    assert screen(str(profile), "--format", "xlsx", "-o", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.cell(2, 2).data_type == "s" and sheet.cell(2, 2).value.startswith("=HYPERLINK")


def test_xlsx_needs_an_output_file():
    result = screen(str(PROFILES), "--format", "xlsx")
    assert result.exit_code == 2 and "-o" in result.output and len(result.output.splitlines()) == 1


def test_csv_file_has_a_bom_and_plain_amounts(tmp_path):
    out = tmp_path / "p.csv"
    assert screen(str(PROFILES), "--format", "csv", "-o", str(out), *GRANT).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and all(r["grant_amount"] == "50000000" and r["grant_currency"] == "KZT" for r in rows)
    assert not any("KZT 50" in value for r in rows for value in r.values())


def test_csv_on_stdout_has_no_bom():
    result = screen(str(PROFILES), "--format", "csv")
    assert result.stdout.startswith("rating,name,path")


def test_a_field_the_screening_gains_becomes_a_column():
    """Fields the screening records gain (a part's confidence, a reason's new attribute) show in
    the workbook without a change to the reporter; the reasons' dimension is one already."""
    import dataclasses

    from advisor.engine import assess
    from advisor.profile_io import load_profile
    from advisor.reporters.xlsx_format import portfolio_xlsx, sheet_row
    from advisor.rules.loader import load_rulebase
    from advisor.views.screening import screen as screen_view

    profile = load_profile(PROFILES / "archetypes" / "weak-books-public-money.yaml")
    screening = screen_view(assess(profile, load_rulebase(None), "reference"), profile)
    reason = screening.risk.fiduciary.reasons[0]
    Wider = dataclasses.make_dataclass("Wider", [(f.name, f.type) for f in dataclasses.fields(reason)] + [("verified_by", str)])
    wider = Wider(**{f.name: getattr(reason, f.name) for f in dataclasses.fields(reason)}, verified_by="audit")
    Part = dataclasses.make_dataclass("Part", [("rating", str), ("reasons", tuple), ("confidence", str)])
    risk = dataclasses.replace(screening.risk, fiduciary=Part(screening.risk.fiduciary.rating, (wider,), "medium"))
    row = sheet_row(screening.model_copy(update={"risk": risk}), "example.yaml", 0)
    assert ("fiduciary confidence", "medium") in row.cells
    assert ("dimension", "fiduciary") in row.findings[0] and ("verified_by", "audit") in row.findings[0]
    book = openpyxl.load_workbook(io.BytesIO(portfolio_xlsx([row])))
    assert {"dimension", "verified_by"} <= {c.value for c in book["Findings"][1]}
