"""Submissions exported from KoboToolbox or ODK Central, turned into validated Profiles.

Accepted exports:

- KoboToolbox API JSON: a list of submissions, or ``{"results": [...]}``; flat keys with
  ``group/question`` paths, numbers as strings, select_multiple as space-separated values;
- KoboToolbox CSV, "XML values and headers" (``;`` or ``,`` separated, ``group/question``
  headers; the extra ``group/question/choice`` 0/1 columns of select_multiple are ignored);
- ODK Central CSV (``group-question`` headers, ``meta-instanceID``, ``KEY``, ``FormVersion``).

Question names and their Profile paths come from the same mapping as the XLSForm
(:func:`advisor.xlsform.form_questions`). Metadata (``_id``, ``_uuid``, ``_submission_time``,
``__version__``, ``meta/instanceID``, ``formhub/uuid``, Central's columns) is not profile data.
A submission that does not validate is reported with its row number and field; the others
are still imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.documents import decode_text
from advisor.errors import AdvisorError, InputFileError, OutputError, ProfileError
from advisor.files import write_private
from advisor.profile import SCHEMA_VERSION, Profile
from advisor.profile_io import profile_from_data
from advisor.xlsform import FORM_VERSION, VERSION_FIELD, FormQuestion, form_questions

MAX_EXPORT_BYTES = 64 * 1024 * 1024

CENTRAL_METADATA = frozenset(
    {
        "SubmissionDate", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
        "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
        "instanceID", "start", "end", "today", "deviceid", "username", "version",
    }
)  # fmt: skip
VERSION_KEYS = (VERSION_FIELD, "FormVersion", "version", "__version__")
ID_KEYS = ("_uuid", "meta/instanceID", "meta-instanceID", "KEY", "instanceID")


@dataclass(frozen=True)
class Submission:
    """One submission: its row number (1-based), identifier, and profile or error."""

    row: int
    ident: str | None
    version: str | None
    profile: Profile | None = None
    error: AdvisorError | None = None

    @property
    def older_version(self) -> bool:
        return self.version is not None and self.version != FORM_VERSION

    @property
    def filename(self) -> str:
        return f"{self.ident}.yaml" if self.ident else f"row-{self.row:04d}.yaml"


@dataclass(frozen=True)
class ImportResult:
    submissions: tuple[Submission, ...]
    unknown_columns: tuple[str, ...] = field(default=())

    @property
    def imported(self) -> tuple[Submission, ...]:
        return tuple(s for s in self.submissions if s.profile is not None)

    @property
    def failed(self) -> tuple[Submission, ...]:
        return tuple(s for s in self.submissions if s.error is not None)


# --- reading the export ---------------------------------------------------------------


def read_export(path: Path) -> list[dict[str, Any]]:
    """The submissions of a Kobo/ODK export file, as flat dicts (values as exported)."""
    try:
        size = path.stat().st_size
        if size > MAX_EXPORT_BYTES:
            raise InputFileError(f"larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB", file=str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", file=str(path)) from exc
    text = decode_text(raw, str(path)).lstrip("\ufeff")
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        return _records_from_json(text, str(path))
    return _records_from_csv(text, str(path))


def _records_from_json(text: str, name: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"not valid JSON: {exc.msg}", file=name, line=exc.lineno) from None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputFileError(
            "expected a list of submissions or {\"results\": [...]}",
            file=name,
            suggestion="export the data from KoboToolbox's API (format=json) or as CSV",
        )
    return data


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: header.count(d) for d in ";,\t"}
        return max(counts, key=lambda d: counts[d])


def _records_from_csv(text: str, name: str) -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputFileError(f"not valid CSV: {exc}", file=name) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise InputFileError("empty export", file=name)
    header, body = rows[0], rows[1:]
    records = []
    for number, values in enumerate(body, start=2):
        if len(values) > len(header):
            raise InputFileError(f"{len(values)} values for {len(header)} columns", file=name, line=number)
        records.append(dict(zip(header, values, strict=False)))
    return records


# --- one submission --------------------------------------------------------------------


def _parts(key: str) -> list[str]:
    return key.split("/") if "/" in key else key.split("-")


def _is_metadata(key: str) -> bool:
    parts = _parts(key)
    return (
        key.startswith("_")
        or key in CENTRAL_METADATA
        or parts[0] in ("meta", "formhub")
        or parts[-1] == VERSION_FIELD
    )


def _by_name() -> dict[str, FormQuestion]:
    return {q.name: q for q in form_questions()}


def _question_for(key: str, by_name: dict[str, FormQuestion]) -> FormQuestion | None | bool:
    """The question a column belongs to; True for a select_multiple's split 0/1 column."""
    parts = _parts(key)
    q = by_name.get(parts[-1])
    if q is not None and (len(parts) == 1 or parts[-2] == q.section):
        return q
    if len(parts) >= 2:
        parent = by_name.get(parts[-2])
        if parent is not None and parent.kind == "choices" and parts[-1] in map(str, parent.spec.choices):
            return True
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value)


def _convert(q: FormQuestion, value: Any) -> Any:
    """An exported value as the Profile expects it; raises ValueError with a reason."""
    text = _text(value)
    if q.kind == "bool":
        if isinstance(value, bool):
            return value
        lowered = text.lower()
        if lowered in ("yes", "true", "1"):
            return True
        if lowered in ("no", "false", "0"):
            return False
        raise ValueError(f"expected yes or no (got {text!r})")
    if q.kind in ("int", "rating"):
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a whole number (got {text!r})") from None
        if not number.is_integer():
            raise ValueError(f"expected a whole number (got {text!r})")
        return int(number)
    if q.kind == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number (got {text!r})") from None
    if q.kind == "choices":
        return list(value) if isinstance(value, list) else text.split()
    if q.name == "donor_names":
        return [name.strip() for name in re.split(r"[\n;]", text) if name.strip()]
    return text


def _ident(record: dict[str, Any]) -> str | None:
    for key in ID_KEYS:
        value = record.get(key)
        if value:
            ident = re.sub(r"[^A-Za-z0-9_.-]", "_", _text(value).removeprefix("uuid:")).strip("._")
            if ident:
                return ident[:100]
    return None


def _version(record: dict[str, Any]) -> str | None:
    for wanted in VERSION_KEYS:
        for key, value in record.items():
            if (key == wanted or _parts(key)[-1] == wanted) and _text(value):
                return _text(value)
    return None


def submission_data(record: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A flat submission as nested profile data, and the columns that are not questions.

    Raises ProfileError (with the field) when a value cannot be converted.
    """
    by_name = _by_name()
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    unknown: list[str] = []
    for key, value in record.items():
        if not isinstance(key, str) or _is_metadata(key):
            continue
        q = _question_for(key, by_name)
        if q is True:
            continue
        if q is None or q is False:
            unknown.append(key)
            continue
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            continue
        try:
            converted = _convert(q, value)
        except ValueError as exc:
            raise ProfileError(str(exc), field=q.path) from None
        target = data.setdefault(q.section, {})
        parts = q.path.split(".")[1:]
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = converted
    return data, unknown


def import_records(records: list[dict[str, Any]], name: str = "<export>") -> ImportResult:
    """Validate every submission; failures are kept, with their row number and field."""
    submissions: list[Submission] = []
    unknown: set[str] = set()
    seen: set[str] = set()
    for row, record in enumerate(records, start=1):
        ident, version = _ident(record), _version(record)
        try:
            data, extra = submission_data(record)
            unknown.update(extra)
            profile = profile_from_data(data, name=f"{name}: row {row}")
        except ProfileError as exc:
            exc.file = f"{name}: row {row}"
            submissions.append(Submission(row, ident, version, error=exc))
            continue
        if ident is not None and ident in seen:
            error = ProfileError(f"duplicate submission {ident}", file=f"{name}: row {row}")
            submissions.append(Submission(row, ident, version, error=error))
            continue
        if ident is not None:
            seen.add(ident)
        submissions.append(Submission(row, ident, version, profile=profile))
    return ImportResult(tuple(submissions), tuple(sorted(unknown)))


def import_export(path: Path) -> ImportResult:
    return import_records(read_export(path), str(path))


# --- writing profiles -------------------------------------------------------------------


def profile_yaml(profile: Profile) -> str:
    """A profile as a YAML document: unanswered fields and empty sections left out."""
    data = profile.model_dump(mode="json", exclude_none=True)
    data = {k: v for k, v in data.items() if v not in ({}, None)}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_profiles(result: ImportResult, directory: Path, *, force: bool = False) -> list[Path]:
    """Write one YAML file per imported submission into ``directory`` (created if missing).

    Nothing is written if any target exists and ``force`` is not given.
    """
    targets = [(directory / s.filename, s.profile) for s in result.imported]
    if not force:
        for target, _ in targets:
            if target.exists():
                raise OutputError(
                    "already exists; nothing was imported", file=str(target), suggestion="use --force to replace it"
                )
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create directory: {exc.strerror or exc}", file=str(directory)) from exc
    written = []
    for target, profile in targets:
        assert profile is not None
        write_private(target, profile_yaml(profile), force=True)
        written.append(target)
    return written


def profile_to_record(profile: Profile, *, separator: str = "/", ident: str | None = None) -> dict[str, str]:
    """A Profile as one flat submission, the way KoboToolbox exports it (all values as text).

    Used by tests (round trip) and to prefill a form; the inverse of :func:`submission_data`.
    """
    record: dict[str, str] = {}
    for q in form_questions():
        section, *rest = q.path.split(".")
        value: Any = getattr(profile, section)
        for part in rest:
            value = getattr(value, part) if value is not None else None
        if value is None:
            continue
        key = f"{q.section}{separator}{q.name}"
        if q.kind == "bool":
            record[key] = "yes" if value else "no"
        elif q.kind == "choices":
            record[key] = " ".join(str(v) for v in value)
        elif q.name == "donor_names":
            record[key] = "\n".join(value)
        else:
            record[key] = str(value)
    record[VERSION_FIELD] = FORM_VERSION
    if ident:
        record["_uuid"] = ident
    return record
