"""Submissions exported from KoboToolbox or ODK Central, turned into validated Profiles.

Reading the file (XLSX, CSV in any of the encodings Excel writes, JSON from Kobo's API or
Central's OData feed, Central's zip) is :mod:`advisor.collect.read`; which question a column
is (XML names or labels in English, Russian or Kazakh, any group separator, split
select_multiple columns) is :mod:`advisor.collect.columns`. Both follow the XLSForm
(:mod:`advisor.xlsform`), so a new Profile field is imported as soon as the form asks it.

Per submission:

- values are read as the export wrote them: names or labels of choices, ``yes``/``Да``/``1``,
  numbers as text or as numbers (a decimal comma too), ``n/a`` (Kobo's legacy CSV) as blank;
- a submission marked "Not Approved" in KoboToolbox (``_validation_status``) or "rejected"
  in ODK Central (``ReviewState``, ``__system/reviewState``) is skipped with its reason,
  unless the caller includes rejected submissions;
- the form's cross-field constraints (:mod:`advisor.collect.constraints`) are checked with
  the form's own message, then the Profile validates the rest;
- a submission that answers no question of the form is an error, never an empty profile;
- a failure names the row, its identifier (``_id``, ``_uuid`` or instance ID) and the field;
  the other submissions are still imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor import i18n
from advisor.collect.columns import Column, choice_lookup, is_metadata, match, normalise, split_choices
from advisor.collect.constraints import failed_checks
from advisor.collect.read import Export, read_export
from advisor.errors import AdvisorError, InputFileError, OutputError, ProfileError
from advisor.files import write_private
from advisor.profile import SCHEMA_VERSION, Profile
from advisor.profile_io import profile_from_data
from advisor.xlsform import FORM_VERSION, VERSION_FIELD, FormQuestion, choice_labels, form_questions, is_name_list

VERSION_KEYS = (VERSION_FIELD, "FormVersion", "version", "__version__")
# Where a submission's identifier is, best first; the file name comes from the first found.
ID_KEYS = ("_uuid", "meta/instanceID", "meta-instanceID", "meta.instanceID", "KEY", "__id", "instanceID", "_id")
BLANK = ("", "n/a")  # Kobo's legacy CSV writes n/a for a question that was not asked
TRUE = ("1", "true", "yes")
FALSE = ("0", "false", "no")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}


@dataclass(frozen=True)
class Submission:
    """One submission: its row number (1-based), identifier, and profile, error or skip reason."""

    row: int
    ident: str | None
    version: str | None
    profile: Profile | None = None
    error: AdvisorError | None = None
    skipped: str | None = None  # why it was not imported (review status)
    where: str = ""  # "row 3 (_id 1003)", for messages

    @property
    def older_version(self) -> bool:
        """Made with another version of the form ("1,0" is 1.0 after Russian Excel saved it)."""
        return self.version is not None and self.version.replace(",", ".") != FORM_VERSION


@dataclass(frozen=True)
class ImportResult:
    submissions: tuple[Submission, ...]
    unknown_columns: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()  # about the file: its encoding, a page of a paged download
    kind: str = ""

    @property
    def imported(self) -> tuple[Submission, ...]:
        return tuple(s for s in self.submissions if s.profile is not None)

    @property
    def failed(self) -> tuple[Submission, ...]:
        return tuple(s for s in self.submissions if s.error is not None)

    @property
    def skipped(self) -> tuple[Submission, ...]:
        return tuple(s for s in self.submissions if s.skipped is not None)


# --- one value -----------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.strip() if isinstance(value, str) else str(value)


def _is_blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and value.strip().casefold() in BLANK)


def _number(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = re.sub(r"[\s\u00a0\u202f']", "", _text(value))
    if "," in text and "." not in text:  # a decimal comma (Russian Excel)
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"expected a number (got {_text(value)!r})") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"expected a number (got {_text(value)!r})")
    return number


def _choice(q: FormQuestion, value: Any) -> str:
    text = _text(value)
    found = choice_lookup(q).get(normalise(text))
    if found is None:
        raise ValueError(f"not a choice of this question: {text!r}")
    return found


def convert(q: FormQuestion, value: Any) -> Any:
    """An exported value as the Profile expects it; raises ValueError with a reason."""
    if q.kind == "bool":
        if isinstance(value, bool):
            return value
        lowered = normalise(_text(value))
        if lowered in TRUE:
            return True
        if lowered in FALSE:
            return False
        label = choice_lookup(q).get(lowered)
        if label is None:
            raise ValueError(f"expected yes or no (got {_text(value)!r})")
        return label == "yes"
    if q.kind in ("int", "rating"):
        try:
            number = _number(value)
        except ValueError:
            if q.kind == "rating":
                return int(_choice(q, value))
            raise ValueError(f"expected a whole number (got {_text(value)!r})") from None
        if not number.is_integer():
            raise ValueError(f"expected a whole number (got {_text(value)!r})")
        return int(number)
    if q.kind == "number":
        return _number(value)
    if q.kind == "choice":
        return _choice(q, value)
    if q.kind == "choices":
        if isinstance(value, list):
            return [_text(v) for v in value]
        return split_choices(q, _text(value))
    if is_name_list(q):
        return [name.strip() for name in re.split(r"[\n;]", _text(value)) if name.strip()]
    return _text(value)


def _selected(value: Any) -> bool | None:
    """A split select_multiple cell: 1/True selected, 0/False not, blank unknown."""
    if _is_blank(value):
        return None
    lowered = normalise(_text(value))
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError(f"expected 0 or 1 (got {_text(value)!r})")


# --- one submission ----------------------------------------------------------------------


def _ident(record: dict[str, Any]) -> str | None:
    for key in ID_KEYS:
        value = record.get(key)
        if value not in (None, "") and not isinstance(value, (dict, list)):
            ident = re.sub(r"[^A-Za-z0-9_.-]", "_", _text(value).removeprefix("uuid:")).strip("._")
            if ident:
                return ident[:100]
    return None


def _where(row: int, record: dict[str, Any]) -> str:
    """How a message names a submission: its row and the identifiers the export has."""
    found = [
        (key, _text(record[key]))
        for key in ("_id", "_uuid", "meta/instanceID", "meta-instanceID", "KEY", "__id")
        if record.get(key) not in (None, "") and not isinstance(record.get(key), (dict, list))
    ]
    # Kobo's numeric _id, and one instance identifier (they all repeat the same UUID).
    ids = [f"{k} {v}" for k, v in found if k == "_id"][:1] + [f"{k} {v}" for k, v in found if k != "_id"][:1]
    return f"row {row}" + (f" ({', '.join(ids)})" if ids else "")


def _version(record: dict[str, Any]) -> str | None:
    for wanted in VERSION_KEYS:
        for key, value in record.items():
            if (key == wanted or re.split(r"[/.-]", key)[-1] == wanted) and not _is_blank(value):
                return _text(value)
    return None


def review_rejection(record: dict[str, Any]) -> str | None:
    """Why a reviewer turned this submission down, or None."""
    status = record.get("_validation_status")
    if isinstance(status, dict):
        status = status.get("uid") or status.get("label")
    if isinstance(status, str) and normalise(status) in ("validation_status_not_approved", "not approved"):
        return "marked \"Not Approved\" in KoboToolbox"
    for key in ("ReviewState", "__system/reviewState", "reviewState"):
        state = record.get(key)
        if isinstance(state, str) and normalise(state) == "rejected":
            return "review state \"rejected\" in ODK Central"
    return None


def _set(data: dict[str, Any], q: FormQuestion, value: Any) -> None:
    target = data.setdefault(q.section, {})
    parts = q.path.split(".")[1:]
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def submission_data(record: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A flat submission as nested profile data, and the columns that are not questions.

    Raises ProfileError (with the field) when a value cannot be converted or a cross-field
    constraint of the form is not met.
    """
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    unknown: list[str] = []
    answers: dict[str, Any] = {}  # question name -> value, for the constraints
    split: dict[str, dict[str, bool | None]] = {}  # select_multiple name -> its 0/1 columns
    questions: dict[str, FormQuestion] = {}
    for key, value in record.items():
        if not isinstance(key, str) or is_metadata(key):
            continue
        column: Column | None = match(key)
        if column is None:
            unknown.append(key)
            continue
        q = column.question
        questions[q.name] = q
        try:
            if column.choice is not None:
                split.setdefault(q.name, {})[column.choice] = _selected(value)
            elif not _is_blank(value):
                answers[q.name] = convert(q, value)
        except ValueError as exc:
            raise ProfileError(str(exc), field=q.path) from None
    for name, cells in split.items():
        if any(v is not None for v in cells.values()):
            # The 0/1 columns win over the summary column: labels there may hold spaces.
            # (The summary keeps the order of the answer; the 0/1 columns are in form order.)
            chosen = [choice for choice, _ in choice_labels(questions[name]) if cells.get(choice)]
            if name not in answers or set(answers[name]) != set(chosen):
                answers[name] = chosen
    for q in form_questions():
        if answers.get(q.name) not in (None, []):
            _set(data, q, answers[q.name])
    for check in failed_checks(answers):
        q = next(q for q in form_questions() if q.name == check.field)
        raise ProfileError(i18n.form_message(check.message), field=q.path)
    return data, unknown


def import_records(
    records: list[dict[str, Any]], name: str = "<export>", *, include_rejected: bool = False
) -> ImportResult:
    """Validate every submission; failures are kept, with their row, identifier and field."""
    keys = {k for r in records for k in r if isinstance(k, str)}
    if records and not any(match(k) for k in keys if not is_metadata(k)):
        shown = ", ".join(sorted(keys)[:5]) + (", …" if len(keys) > 5 else "")
        raise InputFileError(
            f"no column is a question of the advisor form (columns: {shown or 'none'})",
            file=name,
            suggestion="export the submissions of the form 'advisor xlsform' wrote, with XML names or labels as headers",
        )
    submissions: list[Submission] = []
    unknown: set[str] = set()
    seen: set[str] = set()
    for row, record in enumerate(records, start=1):
        ident, version, where = _ident(record), _version(record), _where(row, record)
        label = f"{name}: {where}"
        if not include_rejected and (reason := review_rejection(record)) is not None:
            submissions.append(Submission(row, ident, version, skipped=reason, where=where))
            continue
        try:
            data, extra = submission_data(record)
            unknown.update(extra)
            if len(data) == 1:
                raise ProfileError("answers no question of the form; not imported as an empty profile")
            profile = profile_from_data(data, name=label)
        except ProfileError as exc:
            exc.file = label
            submissions.append(Submission(row, ident, version, error=exc, where=where))
            continue
        if ident is not None and ident in seen:
            error = ProfileError(f"duplicate submission {ident}", file=label)
            submissions.append(Submission(row, ident, version, error=error, where=where))
            continue
        if ident is not None:
            seen.add(ident)
        submissions.append(Submission(row, ident, version, profile=profile, where=where))
    return ImportResult(tuple(submissions), tuple(sorted(unknown)))


def import_export(path: Path, *, include_rejected: bool = False) -> ImportResult:
    export: Export = read_export(path)
    result = import_records(export.records, str(path), include_rejected=include_rejected)
    notices = list(export.notices)
    if export.next_page:
        count = f" of {export.total}" if export.total is not None else ""
        notices.append(
            f"{path}: one page of a paged download ({len(export.records)}{count} submissions); the next page "
            f"({export.next_page}) was not read: download every page, or use the XLSX or CSV export"
        )
    return ImportResult(result.submissions, result.unknown_columns, tuple(notices), export.kind)


# --- writing profiles -------------------------------------------------------------------


def profile_yaml(profile: Profile) -> str:
    """A profile as a YAML document: unanswered fields and empty sections left out."""
    data = profile.model_dump(mode="json", exclude_none=True)
    data = {k: v for k, v in data.items() if v not in ({}, None)}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def file_names(submissions: tuple[Submission, ...]) -> list[str]:
    """One file name per submission: its identifier or row number, made unique (ignoring
    case, as Windows and macOS do) with -2, -3…; never a name Windows reserves."""
    used: set[str] = set()
    names = []
    for s in submissions:
        base = s.ident or f"row-{s.row:04d}"
        if base.split(".")[0].casefold() in WINDOWS_RESERVED:
            base = f"id-{base}"
        name, n = base, 2
        while name.casefold() in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name.casefold())
        names.append(f"{name}.yaml")
    return names


def write_profiles(result: ImportResult, directory: Path, *, force: bool = False) -> list[Path]:
    """Write one YAML file per imported submission into ``directory`` (created if missing).

    Nothing is written if any target exists and ``force`` is not given.
    """
    imported = result.imported
    targets = [(directory / n, s.profile) for n, s in zip(file_names(imported), imported, strict=True)]
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


def profile_answers(profile: Profile) -> dict[FormQuestion, Any]:
    """A Profile's answers by question, in form order (unanswered questions left out)."""
    answers: dict[FormQuestion, Any] = {}
    for q in form_questions():
        section, *rest = q.path.split(".")
        value: Any = getattr(profile, section)
        for part in rest:
            value = getattr(value, part) if value is not None else None
        if value is not None:
            answers[q] = value
    return answers


def profile_to_record(profile: Profile, *, separator: str = "/", ident: str | None = None) -> dict[str, str]:
    """A Profile as one flat submission, the way KoboToolbox exports it (all values as text).

    Used by tests (round trip) and the fixture builder; the inverse of :func:`submission_data`.
    """
    record: dict[str, str] = {}
    for q, value in profile_answers(profile).items():
        key = f"{q.section}{separator}{q.name}"
        if q.kind == "bool":
            record[key] = "yes" if value else "no"
        elif q.kind == "choices":
            record[key] = " ".join(str(v) for v in value)
        elif is_name_list(q):
            record[key] = "\n".join(value)
        else:
            record[key] = str(value)
    record[VERSION_FIELD] = FORM_VERSION
    if ident:
        record["_uuid"] = ident
    return record
