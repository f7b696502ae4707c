"""The self-assessment as an XLSForm (KoboToolbox, ODK), generated from the Profile model.

The form and the importer (``kobo_import.py``) share one mapping, :func:`form_questions`:
one group per Profile section, one question per field, named after the field (field names
are unique across sections), so a submission's ``group/question`` keys lead straight back
to Profile paths. A self-rating becomes two questions: ``<area>`` (select_one 1–4) and
``<area>_evidence`` (text). Labels, hints and constraint messages come in English,
Russian and Kazakh (``label::Russian (ru)``…); English questions are the model's own
descriptions, the others come from ``questions_i18n/``.

Cross-field checks of the Profile that an XLSForm can express are in the form as
``relevant`` (skip logic) or ``constraint``; the constraints come from
:mod:`advisor.collect.constraints`, which the importer evaluates too, so the form never
accepts an answer the import refuses. Labels (:func:`question_label`, :func:`choice_labels`)
are the ones an export "with labels" carries as headers and values, and the importer
reads them back through the same functions.

Settings: ``instance_name`` (the organisation's name or alias, so a list of submissions is
readable), ``style: pages`` (one page per section on the web form), defaults for country
(KZ) and currency (KZT), and the form's default language chosen by the caller.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from advisor import i18n
from advisor.collect.constraints import CHECKS, xpath
from advisor.facts import FieldSpec, catalogue
from advisor.files import write_private
from advisor.profile import SCHEMA_VERSION, Profile
from advisor.workbook import workbook_bytes

FORM_ID = "advisor_self_assessment"
FORM_VERSION = SCHEMA_VERSION
"""The form's version is the profile schema's: a model change that changes the questions
must bump SCHEMA_VERSION, and with it the version submissions are checked against."""
VERSION_FIELD = "form_version"
"""A calculated field that carries FORM_VERSION into every submission (Kobo's own
``__version__`` is a deployment ID, not the form's version)."""

LANG_COLUMNS: dict[str, str] = {lang: f"{i18n.LANGUAGE_NAMES[lang]} ({lang})" for lang in i18n.LANGUAGES}
YES_NO = "yes_no"
RATING_LIST = "rating_level"
DEFAULTS = {"country": "KZ", "currency": "KZT"}
"""Answers prefilled in the form (most users are in Kazakhstan and budget in tenge)."""
INSTANCE_NAME = "concat(${name}, ' ', ${country})"


@dataclass(frozen=True)
class FormQuestion:
    """One question of the form and the Profile value it fills."""

    name: str  # XLSForm name, unique in the form
    section: str  # the group (Profile section)
    path: str  # Profile path: "funding.reserves_months", "ratings.strategy.level", "….evidence"
    kind: str  # FieldSpec.kind, or "evidence"
    spec: FieldSpec
    list_name: str | None = None

    @property
    def xls_type(self) -> str:
        return {
            "bool": f"select_one {YES_NO}",
            "int": "integer",
            "number": "decimal",
            "choice": f"select_one {self.list_name}",
            "choices": f"select_multiple {self.list_name}",
            "rating": f"select_one {RATING_LIST}",
            "string": "text",
            "text": "text",
            "evidence": "text",
        }[self.kind]


@cache
def form_questions() -> tuple[FormQuestion, ...]:
    """Every question of the form, in model order."""
    questions: list[FormQuestion] = []
    for path, spec in catalogue().items():
        section, name = path.split(".")
        if spec.kind == "rating":
            questions.append(FormQuestion(name, section, f"{path}.level", "rating", spec, RATING_LIST))
            questions.append(FormQuestion(f"{name}_evidence", section, f"{path}.evidence", "evidence", spec))
        elif spec.kind in ("choice", "choices"):
            questions.append(FormQuestion(name, section, path, spec.kind, spec, name))
        else:
            questions.append(FormQuestion(name, section, path, spec.kind, spec))
    names = [q.name for q in questions]
    assert len(names) == len(set(names)), "XLSForm names must be unique"
    return tuple(questions)


def is_name_list(q: FormQuestion) -> bool:
    """A free list of names (``list[str]``), asked as one multiline text, one name a line."""
    return q.kind == "text" and typing.get_origin(_strip_optional(_field_info(q.spec.path).annotation)) is list


def _strip_optional(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1 else annotation


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _field_info(path: str) -> Any:
    section, name = path.split(".")[:2]
    model = Profile.model_fields[section].annotation
    return model.model_fields[name]  # type: ignore[union-attr]


def _max_length(path: str) -> int | None:
    for meta in _field_info(path).metadata:
        if (n := getattr(meta, "max_length", None)) is not None:
            return int(n)
    return None


FOREIGN_FUNDED = "(${share_foreign_pct} = '' or ${share_foreign_pct} > 0)"
HAS_FUNDERS = "(${donor_count} = '' or ${donor_count} > 0)"


def _relevant(q: FormQuestion) -> str:
    if q.kind == "evidence":
        return f"${{{q.spec.path.split('.')[1]}}} != ''"
    if q.name in ("reporting_obligation", "on_public_register"):
        return FOREIGN_FUNDED
    if q.name == "reports_filed_on_time":
        return f"{FOREIGN_FUNDED} and ${{reporting_obligation}} != 'no'"
    if q.name in ("largest_source_pct", "donor_names"):
        return HAS_FUNDERS
    return ""


def _constraint(q: FormQuestion) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """The constraint and the messages (form_message keys and values) that explain it."""
    parts: list[str] = []
    messages: list[tuple[str, dict[str, Any]]] = []
    spec = q.spec
    if q.kind in ("int", "number") and spec.ge is not None and spec.le is not None:
        parts.append(f". >= {_number(spec.ge)} and . <= {_number(spec.le)}")
        messages.append(("range", {"ge": _number(spec.ge), "le": _number(spec.le)}))
    for check in CHECKS:
        if check.field == q.name:
            parts.append(xpath(check))
            messages.append((check.message, {}))
    if q.name == "country":
        parts.append("regex(., '^[A-Z]{2}$')")
        messages.append(("country_code", {}))
    if q.name == "currency":
        parts.append("regex(., '^[A-Z]{3}$')")
        messages.append(("currency_code", {}))
    if q.kind in ("text", "evidence") and not is_name_list(q):
        n = _max_length(q.path)
        if n is not None:
            parts.append(f"string-length(.) <= {n}")
            messages.append(("max_length", {"n": n}))
    return " and ".join(parts), messages


def _hint(q: FormQuestion, lang: str) -> str:
    if is_name_list(q):
        return i18n.form_message("one_per_line", lang)
    if q.spec.unit and q.kind in ("int", "number"):
        return i18n.unit_hint(q.spec.unit, lang)
    return ""


def question_label(q: FormQuestion, lang: str) -> str:
    """The question's label in ``lang``. The twelve evidence questions share one text, so
    each carries its area's number (an export with labels needs distinct headers)."""
    if q.kind == "evidence":
        areas = _rating_paths()
        return f"{i18n.question(q.path, lang)} ({areas.index(q.spec.path) + 1}/{len(areas)})"
    return i18n.question(q.spec.path, lang)


@cache
def _rating_paths() -> list[str]:
    return [spec.path for spec in catalogue().values() if spec.kind == "rating"]


@cache
def choice_labels(q: FormQuestion) -> list[tuple[str, dict[str, str]]]:
    """The choices of a select question: (name, {lang: label}), in form order."""
    langs = i18n.LANGUAGES
    if q.kind == "bool":
        return [(v, {lang: i18n.choice_label("", v, lang) for lang in langs}) for v in ("yes", "no")]
    if q.kind == "rating":
        return [
            (str(level), {lang: i18n.choice_label("ratings.", level, lang) for lang in langs}) for level in (1, 2, 3, 4)
        ]
    if q.kind in ("choice", "choices"):
        return [(str(v), {lang: i18n.choice_label(q.path, v, lang) for lang in langs}) for v in q.spec.choices]
    return []


def _choice_lists() -> list[tuple[str, list[tuple[str, dict[str, str]]]]]:
    lists: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for q in form_questions():
        name = {"bool": YES_NO, "rating": RATING_LIST}.get(q.kind, q.list_name)
        if name and name not in lists and (choices := choice_labels(q)):
            lists[name] = choices
    ordered = [YES_NO, RATING_LIST] + [n for n in lists if n not in (YES_NO, RATING_LIST)]
    return [(n, lists[n]) for n in ordered if n in lists]


def form_sheets(lang: str = "en") -> dict[str, list[list[Any]]]:
    """The three sheets (survey, choices, settings) as rows, header row first; ``lang`` is the
    form's default language (the title too); every language's labels are in the form."""
    langs = i18n.LANGUAGES
    survey_header = (
        ["type", "name"]
        + [f"label::{LANG_COLUMNS[other]}" for other in langs]
        + [f"hint::{LANG_COLUMNS[other]}" for other in langs]
        + ["required", "relevant", "constraint"]
        + [f"constraint_message::{LANG_COLUMNS[other]}" for other in langs]
        + ["appearance", "calculation", "default"]
    )

    def row(**cells: Any) -> list[Any]:
        return [cells.get(col, "") for col in survey_header]

    survey: list[list[Any]] = [survey_header]
    survey.append(row(type="calculate", name=VERSION_FIELD, calculation=f"'{FORM_VERSION}'"))
    current = None
    for q in form_questions():
        if q.section != current:
            if current is not None:
                survey.append(row(type="end_group", name=current))
            current = q.section
            survey.append(
                row(
                    type="begin_group",
                    name=q.section,
                    **{f"label::{LANG_COLUMNS[other]}": i18n.section_title(q.section, other) for other in langs},
                )
            )
        constraint, messages = _constraint(q)
        cells: dict[str, Any] = {
            "type": q.xls_type,
            "name": q.name,
            "relevant": _relevant(q),
            "constraint": constraint,
            "required": "yes" if _field_info(q.spec.path).is_required() else "",
            "appearance": "multiline" if is_name_list(q) or q.kind == "evidence" else "",
            "default": DEFAULTS.get(q.name, ""),
        }
        for other in langs:
            cells[f"label::{LANG_COLUMNS[other]}"] = question_label(q, other)
            cells[f"hint::{LANG_COLUMNS[other]}"] = _hint(q, other)
            if messages:
                cells[f"constraint_message::{LANG_COLUMNS[other]}"] = " ".join(
                    i18n.form_message(key, other, **values) for key, values in messages
                )
        survey.append(row(**cells))
    if current is not None:
        survey.append(row(type="end_group", name=current))

    choices_header = ["list_name", "name"] + [f"label::{LANG_COLUMNS[other]}" for other in langs]
    choices: list[list[Any]] = [choices_header]
    for list_name, items in _choice_lists():
        for name, labels in items:
            choices.append([list_name, name] + [labels[other] for other in langs])

    settings = [
        ["form_title", "form_id", "version", "default_language", "instance_name", "style"],
        [i18n.form_title(lang), FORM_ID, FORM_VERSION, LANG_COLUMNS[lang], INSTANCE_NAME, "pages"],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def form_bytes(lang: str = "en") -> bytes:
    """The XLSForm as .xlsx bytes (deterministic: the same bytes for the same model)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    first = True
    for title, rows in form_sheets(lang).items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title
        for values in rows:
            sheet.append(values)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)


def write_form(path: Path, *, lang: str = "en", force: bool = False) -> None:
    """Write the XLSForm to ``path`` (atomically, owner-only), ``lang`` its default language."""
    write_private(path, form_bytes(lang), force=force)
