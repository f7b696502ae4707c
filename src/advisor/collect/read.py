"""Reading an export file as it was downloaded: its format, its encoding, its rows.

Recognised by content, not by the file name:

- **XLSX** (KoboToolbox's default export): the first sheet, first row the header;
- **ODK Central's zip** ("all data and attachments"): the root table ``<form id>.csv``
  (repeat tables and media files are not read);
- **JSON**: KoboToolbox's API (a list, or ``{"count", "next", "results": [...]}``) and ODK
  Central's OData feed (``{"value": [...], "@odata.nextLink"}``; groups are nested objects
  and are flattened to ``group/question``);
- **CSV or tab-separated text** in UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
  "Unicode text", tab-separated) or Windows-1251 (a CSV re-saved by Russian Excel). The
  separator is the one of ``;``, ``,`` and tab that splits the header into most columns.

The encoding of a text file is named in a notice, and a paged API download (``next`` or
``@odata.nextLink`` set) warns that it holds one page only. Values come back as found
(text, numbers, booleans, nested values); what they mean is :mod:`advisor.kobo_import`'s job.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import InputFileError

MAX_EXPORT_BYTES = 64 * 1024 * 1024
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024  # all entries of an XLSX or zip together
MAX_ROWS = 200_000
MAX_COLUMNS = 10_000
MAX_DEPTH = 32
MAX_INT_DIGITS = 30
ZIP_MAGIC = b"PK\x03\x04"
SEPARATORS = (";", ",", "\t")


@dataclass
class Export:
    """The rows of one export file, and what the reader has to tell about it."""

    records: list[dict[str, Any]]
    kind: str
    notices: list[str] = field(default_factory=list)
    next_page: str | None = None  # a paged API download: the URL of the page not read
    total: int | None = None  # the number of submissions the server reported, if it did


# --- text ----------------------------------------------------------------------------


def decode_export(raw: bytes, name: str) -> tuple[str, str]:
    """The text of an export and the encoding it was read with (for the notice)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _decode(raw[3:], "utf-8", name), "UTF-8 with byte-order mark"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(raw, "utf-16", name), "UTF-16 (Excel's \"Unicode text\")"
    head = raw[:4096]
    if b"\x00" in head:
        # UTF-16 without a byte-order mark: every other byte of Latin text is zero.
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return _decode(raw, "utf-16-le", name), "UTF-16 little-endian (no byte-order mark)"
        if even > len(head) // 4 and odd == 0:
            return _decode(raw, "utf-16-be", name), "UTF-16 big-endian (no byte-order mark)"
        raise InputFileError(
            "looks like a binary file, not an export",
            file=name,
            suggestion="export from KoboToolbox or ODK Central as XLSX, CSV, JSON or Central's zip",
        )
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    text = _decode(raw, "cp1251", name)
    return text, "Windows-1251 (Cyrillic; a CSV saved by Russian Excel)"


def _decode(raw: bytes, encoding: str, name: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"cannot be read as {encoding} (bad byte at offset {exc.start})",
            file=name,
            suggestion="save it as \"CSV UTF-8\" in Excel",
        ) from None
    if any("\x80" <= ch <= "\x9f" for ch in text[:4096]):
        raise InputFileError(f"does not read as {encoding} text", file=name, suggestion="save it as \"CSV UTF-8\" in Excel")
    return text


# --- CSV -----------------------------------------------------------------------------


def _first_row(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return []


def _delimiter(text: str) -> str:
    head = text[:65536]
    widths = {d: len(_first_row(head, d)) for d in SEPARATORS}
    return max(SEPARATORS, key=lambda d: (widths[d], -SEPARATORS.index(d)))


def records_from_table(rows: list[list[Any]], name: str) -> list[dict[str, Any]]:
    """Rows (header first) as dicts; blank rows skipped; a row longer than the header refused."""
    rows = [r for r in rows if any(cell not in (None, "") and str(cell).strip() for cell in r)]
    if not rows:
        raise InputFileError("empty export", file=name)
    header = ["" if h is None else str(h).strip().lstrip("\ufeff") for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise InputFileError(f"more than {MAX_COLUMNS:,} columns", file=name)
    records = []
    for number, values in enumerate(rows[1:], start=2):
        values = list(values)
        while len(values) > len(header) and values[-1] in (None, ""):
            values.pop()
        if len(values) > len(header):
            raise InputFileError(f"{len(values)} values for {len(header)} columns", file=name, line=number)
        records.append({h: v for h, v in zip(header, values, strict=False) if h})
    return records


def records_from_csv(text: str, name: str) -> tuple[list[dict[str, Any]], str]:
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise InputFileError(f"more than {MAX_ROWS:,} rows", file=name)
    except csv.Error as exc:
        raise InputFileError(f"not valid CSV: {exc}", file=name, line=reader.line_num) from None
    return records_from_table(rows, name), {";": "semicolon", ",": "comma", "\t": "tab"}[delimiter]


# --- JSON ----------------------------------------------------------------------------


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a number with more than {MAX_INT_DIGITS} digits")
    return int(digits)


def _depth_ok(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """OData's nested groups as ``group/question`` keys; Kobo's ``_validation_status`` and
    other ``_`` metadata objects stay whole (``__system`` is flattened: it holds reviewState)."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and (not key.startswith("_") or key == "__system"):
            flat.update(_flatten(value, f"{path}/"))
        else:
            flat[path] = value
    return flat


def records_from_json(text: str, name: str) -> Export:
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"not valid JSON: {exc.msg}", file=name, line=exc.lineno) from None
    except RecursionError:
        raise InputFileError(f"not valid JSON: nested deeper than {MAX_DEPTH} levels", file=name) from None
    except ValueError as exc:
        raise InputFileError(f"not valid JSON: {exc}", file=name) from None
    if (text.count("{") + text.count("[")) > MAX_DEPTH and not _depth_ok(data):
        raise InputFileError(f"not valid JSON: nested deeper than {MAX_DEPTH} levels", file=name)
    kind, next_page, total = "JSON list of submissions", None, None
    if isinstance(data, dict) and isinstance(data.get("value"), list):
        kind = "ODK Central OData JSON"
        next_page = data.get("@odata.nextLink") or None
        total = data.get("@odata.count") if isinstance(data.get("@odata.count"), int) else None
        data = data["value"]
    elif isinstance(data, dict) and isinstance(data.get("results"), list):
        kind = "KoboToolbox API JSON"
        next_page = data.get("next") or None
        total = data.get("count") if isinstance(data.get("count"), int) else None
        data = data["results"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputFileError(
            'expected a list of submissions, {"results": [...]} or {"value": [...]}',
            file=name,
            suggestion="export the data from KoboToolbox (XLSX, CSV or API JSON) or ODK Central (CSV, zip or OData)",
        )
    if len(data) > MAX_ROWS:
        raise InputFileError(f"more than {MAX_ROWS:,} submissions", file=name)
    export = Export([_flatten(r) for r in data], kind, next_page=str(next_page) if next_page else None, total=total)
    return export


# --- zip: XLSX and Central's "all data and attachments" ------------------------------------


def _open_zip(raw: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputFileError(f"broken zip or XLSX file ({exc})", file=name) from None
    if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise InputFileError(f"unpacks to more than {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB", file=name)
    return archive


def records_from_xlsx(raw: bytes, name: str) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    _open_zip(raw, name).close()
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise InputFileError(f"cannot be read as an Excel workbook ({type(exc).__name__})", file=name) from None
    try:
        if not workbook.worksheets:
            raise InputFileError("the workbook has no sheet", file=name)
        rows: list[list[Any]] = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(list(row[:MAX_COLUMNS + 1]))
            if len(rows) > MAX_ROWS + 1:
                raise InputFileError(f"more than {MAX_ROWS:,} rows", file=name)
    finally:
        workbook.close()
    return records_from_table(rows, name)


def _root_table(names: list[str]) -> str | None:
    """Central's zip holds ``<form>.csv`` and ``<form>-<repeat>.csv`` files: the root is the
    one whose name starts every other's."""
    tables = sorted((n for n in names if n.lower().endswith(".csv") and "/" not in n.strip("/")), key=len)
    for table in tables:
        stem = table[: -len(".csv")]
        if all(other == table or other.startswith(stem + "-") for other in tables):
            return table
    return None


def records_from_central_zip(raw: bytes, name: str) -> tuple[list[dict[str, Any]], str, str]:
    with _open_zip(raw, name) as archive:
        root = _root_table(archive.namelist())
        if root is None:
            raise InputFileError(
                "a zip without the submissions table (<form id>.csv)",
                file=name,
                suggestion="download \"All data and attachments\" from ODK Central, or the CSV",
            )
        if archive.getinfo(root).file_size > MAX_EXPORT_BYTES:
            raise InputFileError(f"{root} is larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB", file=name)
        data = archive.read(root)
    text, encoding = decode_export(data, f"{name}: {root}")
    records, _ = records_from_csv(text, f"{name}: {root}")
    return records, root, encoding


# --- any export ----------------------------------------------------------------------


def read_export(path: Path) -> Export:
    """The submissions of an export file, whatever KoboToolbox or ODK Central gave."""
    name = str(path)
    try:
        if not path.exists():
            raise InputFileError("file not found", file=name)
        if path.is_dir():
            raise InputFileError("is a directory, not an export file", file=name)
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise InputFileError(f"larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB", file=name)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", file=name) from exc
    if raw.startswith(ZIP_MAGIC):
        with _open_zip(raw, name) as archive:
            is_xlsx = "xl/workbook.xml" in archive.namelist()
        if is_xlsx:
            return Export(records_from_xlsx(raw, name), "XLSX workbook")
        records, root, encoding = records_from_central_zip(raw, name)
        return Export(
            records,
            "ODK Central zip",
            [f"{name}: read {root} ({encoding}); attachments and repeat tables are not imported"],
        )
    text, encoding = decode_export(raw, name)
    if text.lstrip()[:1] in ("[", "{"):
        export = records_from_json(text, name)
        if encoding != "UTF-8":
            export.notices.append(f"{name}: read as {encoding}")
        return export
    records, separator = records_from_csv(text, name)
    return Export(records, "CSV", [f"{name}: read as {encoding} text, {separator}-separated"])
