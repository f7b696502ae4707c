"""The interview as a pure question flow: which question comes next, how an answer is read.

No terminal and no files here: ``cli/interview.py`` asks and saves. The questions are read
off the Profile model (one source of truth), grouped by section in model order, a self-rating
followed by its evidence. Skip rules are data (``SKIP_RULES``) beside the flow. A
``Draft`` holds the answers given so far and the questions answered "skip / don't know"
(recorded, so a resumed interview does not ask them again; they stay unanswered in the profile).

Draft file format (YAML, written with ``files.write_private``, optionally age-encrypted)::

    schema_version: "1.0"          # the partial profile, exactly as a profile file
    funding: {share_foreign_pct: 0}
    ratings: {governance: {level: 3, evidence: "..."}}
    _interview:                    # interview bookkeeping, dropped from the final profile
      format: 1
      skipped: [funding.annual_budget]
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel

from advisor.areas import AREA_KEYS
from advisor.documents import Document
from advisor.errors import ProfileError, did_you_mean
from advisor.facts import FieldKind, FieldSpec, catalogue
from advisor.profile import SCHEMA_VERSION, SECTIONS, AreaRating, Profile
from advisor.profile_io import profile_from_data, profile_from_document

DRAFT_FORMAT: Final = 1
DRAFT_KEY: Final = "_interview"

SECTION_TITLES: Final[dict[str, str]] = {
    "organisation": "The organisation",
    "funding": "Funding",
    "controls": "Financial controls",
    "government": "Relations with the state",
    "foreign_funding": "Foreign funding",
    "pressure": "Pressure and constraints",
    "practices": "Practices",
    "ratings": "Self-ratings, one per capacity area",
}
assert set(SECTION_TITLES) == set(SECTIONS), "every profile section needs a title"

RATING_LABELS: Final[dict[int, str]] = {1: "clear need", 2: "basic", 3: "moderate", 4: "high capacity"}
EVIDENCE_QUESTION: Final = "What supports this rating (a document, an example, a number)?"

SKIP_WORDS: Final = frozenset({"", "skip", "s", "?", "-", "dk", "don't know", "dont know", "unknown"})
YES_WORDS: Final = frozenset({"y", "yes", "true", "1", "да", "иә"})
NO_WORDS: Final = frozenset({"n", "no", "false", "0", "нет", "жоқ"})


class _Skip:
    """The answer "skip / don't know": recorded as asked, left unanswered in the profile."""

    _instance: _Skip | None = None

    def __new__(cls) -> _Skip:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SKIP"


SKIP: Final = _Skip()


class AnswerError(ProfileError):
    """An answer that cannot be used (wrong type, out of bounds, not a choice, inconsistent)."""


# --- skip rules (data) -------------------------------------------------------------------


@dataclass(frozen=True)
class SkipRule:
    """Do not ask ``skip`` when the answer at ``when`` is ``equals`` (or is unanswered)."""

    when: str
    skip: tuple[str, ...]
    reason: str
    equals: Any = None
    test: Literal["equals", "unanswered"] = "equals"

    def applies(self, answers: Mapping[str, Any]) -> bool:
        value = answers.get(self.when)
        if self.test == "unanswered":
            return value is None
        if value is None:
            return False
        if isinstance(self.equals, bool) or isinstance(value, bool):
            return value is self.equals
        return bool(value == self.equals)


SKIP_RULES: Final[tuple[SkipRule, ...]] = (
    SkipRule(
        "funding.share_foreign_pct",
        ("foreign_funding.reporting_obligation", "foreign_funding.reports_filed_on_time",
         "foreign_funding.on_public_register"),
        "no foreign funding",
        equals=0,
    ),
    SkipRule(
        "foreign_funding.reporting_obligation",
        ("foreign_funding.reports_filed_on_time",),
        "no obligation to report foreign funding",
        equals=False,
    ),
    SkipRule(
        "funding.donor_count",
        ("funding.largest_source_pct", "funding.donor_names", "funding.typical_grant_months",
         "funding.has_multi_year_grant"),
        "no funders",
        equals=0,
    ),
    SkipRule(
        "organisation.paid_staff",
        ("organisation.key_staff_left_12m",),
        "no paid staff",
        equals=0,
    ),
    *(
        SkipRule(f"ratings.{area}", (f"ratings.{area}.evidence",), "no rating given", test="unanswered")
        for area in AREA_KEYS
    ),
)


# --- questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    path: str
    kind: FieldKind
    text: str
    sensitive: bool
    choices: tuple[str | int, ...] = ()
    ge: float | None = None
    le: float | None = None
    unit: str | None = None
    is_list: bool = False
    max_length: int | None = None

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def section_title(self) -> str:
        return SECTION_TITLES[self.section]


def _field_info(path: str) -> Any:
    section, name = path.split(".")[:2]
    model = typing.get_args(Profile.model_fields[section].annotation) or (
        Profile.model_fields[section].annotation,
    )
    cls = next(m for m in model if isinstance(m, type) and issubclass(m, BaseModel))
    return cls.model_fields[name]


def _question(spec: FieldSpec) -> Question:
    info = _field_info(spec.path)
    max_length = next((getattr(m, "max_length", None) for m in info.metadata
                       if getattr(m, "max_length", None) is not None), None)
    is_list = typing.get_origin(_unwrap(info.annotation)) is list
    from advisor.i18n import question  # in the language chosen with --lang / LANG

    return Question(spec.path, spec.kind, question(spec.path), spec.sensitive, spec.choices, spec.ge,
                    spec.le, spec.unit, is_list, max_length)


def _unwrap(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[0] if len(args) == 1 and typing.get_origin(annotation) is not list else annotation


@cache
def questions() -> tuple[Question, ...]:
    """Every question, grouped by section in model order; a rating followed by its evidence."""
    evidence_max = AreaRating.model_fields["evidence"].metadata
    ev_len = next((m.max_length for m in evidence_max if getattr(m, "max_length", None)), None)
    result: list[Question] = []
    for spec in catalogue().values():
        result.append(_question(spec))
        if spec.kind == "rating":
            result.append(Question(f"{spec.path}.evidence", "text", EVIDENCE_QUESTION, True,
                                   max_length=ev_len))
    return tuple(result)


@cache
def question_index() -> dict[str, Question]:
    return {q.path: q for q in questions()}


# --- answers -----------------------------------------------------------------------------


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _bounds_check(q: Question, value: float) -> None:
    unit = f" {q.unit}" if q.unit and q.unit != "currency" else ""
    if q.ge is not None and value < q.ge:
        raise AnswerError(f"must be at least {_num(q.ge)}{unit}", field=q.path)
    if q.le is not None and value > q.le:
        raise AnswerError(f"must be at most {_num(q.le)}{unit}", field=q.path)


def _number_text(text: str) -> str:
    text = re.sub(r"[\s_\u00a0\u202f']", "", text).removesuffix("%")
    if "," in text and "." not in text and text.count(",") == 1 and len(text.split(",")[1]) != 3:
        text = text.replace(",", ".")
    return text.replace(",", "")


def _choice(q: Question, raw: Any) -> str | int:
    if isinstance(raw, str):
        token = raw.strip()
        for choice in q.choices:
            if token.lower() == str(choice).lower():
                return choice
        if token.isdigit() and q.kind != "rating" and 1 <= int(token) <= len(q.choices):
            return q.choices[int(token) - 1]
    elif not isinstance(raw, bool) and raw in q.choices:
        return typing.cast(str | int, raw)
    shown = ", ".join(str(c) for c in q.choices)
    if q.sensitive:  # the answer itself is never echoed for a sensitive question
        raise AnswerError(f"the answer is not one of: {shown}", field=q.path)
    raise AnswerError(f"{str(raw)[:40]!r} is not one of: {shown}", field=q.path)


def parse_answer(q: Question, raw: Any) -> Any:
    """Turn a typed or loaded answer into the field's value, ``SKIP``, or an ``AnswerError``."""
    if raw is None or raw is SKIP:
        return SKIP
    if isinstance(raw, str) and raw.strip().lower() in SKIP_WORDS:
        return SKIP
    if q.kind == "bool":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise AnswerError("answer yes or no (or skip)", field=q.path)
    if q.kind in ("int", "number"):
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise AnswerError("expected a number", field=q.path)
        try:
            number = float(_number_text(raw)) if isinstance(raw, str) else float(raw)
        except (ValueError, OverflowError):
            if q.sensitive:
                raise AnswerError("the answer is not a number", field=q.path) from None
            raise AnswerError(f"{str(raw)[:40]!r} is not a number", field=q.path) from None
        if math.isnan(number) or math.isinf(number):
            raise AnswerError("expected a finite number", field=q.path)
        _bounds_check(q, number)
        if q.kind == "int":
            if not number.is_integer():
                raise AnswerError("expected a whole number", field=q.path)
            return int(number)
        return number
    if q.kind in ("choice", "rating"):
        if isinstance(raw, Mapping) and q.kind == "rating":
            raw = raw.get("level")
            if raw is None:
                return SKIP
        value = _choice(q, str(raw) if isinstance(raw, int) and not isinstance(raw, bool)
                        and q.kind == "choice" else raw)
        return int(value) if q.kind == "rating" else value
    if q.kind == "choices":
        if isinstance(raw, str):
            if raw.strip().lower() == "none":
                return []
            items: list[Any] = [t for t in re.split(r"[,;\s]+", raw) if t]
        elif isinstance(raw, list):
            items = raw
        else:
            raise AnswerError("expected a list of choices", field=q.path)
        chosen: list[Any] = []
        for item in items:
            value = _choice(q, item)
            if value not in chosen:
                chosen.append(value)
        return chosen
    # string / text
    if q.is_list:
        if isinstance(raw, str):
            values = [t.strip() for t in re.split(r"[;\n]+", raw) if t.strip()]
        elif isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            values = [v.strip() for v in raw if v.strip()]
        else:
            raise AnswerError("expected a list of names", field=q.path)
        if q.max_length is not None and len(values) > q.max_length:
            raise AnswerError(f"at most {q.max_length} entries", field=q.path)
        return values
    if not isinstance(raw, str):
        raise AnswerError("expected text", field=q.path)
    text = raw.strip()
    if q.kind == "string":
        text = text.upper()
    if q.max_length is not None and len(text) > q.max_length:
        raise AnswerError(f"at most {q.max_length} characters (got {len(text)})", field=q.path)
    return text


# --- the draft ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    answers: dict[str, Any] = field(default_factory=dict)
    skipped: frozenset[str] = frozenset()

    def profile_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for q in questions():
            if q.path not in self.answers:
                continue
            value = self.answers[q.path]
            parts = q.path.split(".")
            if q.kind == "rating":
                data.setdefault(parts[0], {})[parts[1]] = {"level": value}
            elif len(parts) == 3:  # a rating's evidence
                rating = data.get(parts[0], {}).get(parts[1])
                if rating is not None:
                    rating["evidence"] = value
            else:
                data.setdefault(parts[0], {})[parts[1]] = value
        return data

    def profile(self, name: str = "<interview>") -> Profile:
        return profile_from_data(self.profile_data(), name)


def skipped_by_rules(answers: Mapping[str, Any]) -> dict[str, str]:
    """Questions not to ask given these answers, each with the reason."""
    out: dict[str, str] = {}
    for rule in SKIP_RULES:
        if rule.applies(answers):
            for path in rule.skip:
                out.setdefault(path, rule.reason)
    return out


def applicable(draft: Draft) -> list[Question]:
    hidden = skipped_by_rules(draft.answers)
    return [q for q in questions() if q.path not in hidden]


def is_asked(draft: Draft, q: Question) -> bool:
    return q.path in draft.answers or q.path in draft.skipped


def next_question(draft: Draft) -> Question | None:
    """The first applicable question neither answered nor skipped."""
    return next((q for q in applicable(draft) if not is_asked(draft, q)), None)


def progress(draft: Draft) -> tuple[int, int]:
    """(questions answered or skipped, questions to ask) under the current skip rules."""
    todo = applicable(draft)
    return sum(1 for q in todo if is_asked(draft, q)), len(todo)


def missing(draft: Draft) -> list[Question]:
    return [q for q in applicable(draft) if not is_asked(draft, q)]


def apply(draft: Draft, q: Question, value: Any) -> Draft:
    """Record one parsed answer; the whole partial profile must still validate."""
    if value is SKIP:
        answers = {k: v for k, v in draft.answers.items() if k != q.path}
        if q.kind == "rating":
            answers.pop(f"{q.path}.evidence", None)
        return Draft(answers, draft.skipped | {q.path})
    candidate = Draft({**draft.answers, q.path: value}, draft.skipped - {q.path})
    try:
        candidate.profile()
    except ProfileError as exc:
        raise AnswerError(exc.message, field=exc.field or q.path) from None
    return candidate


def flatten_answers(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{funding: {donor_count: 3}}`` and ``{"funding.donor_count": 3}`` alike, as flat paths."""
    index = question_index()
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        rating = index.get(path)
        if rating is not None and rating.kind == "rating" and isinstance(value, Mapping):
            flat[path] = value.get("level")
            if "evidence" in value:
                flat[f"{path}.evidence"] = value["evidence"]
            extra = set(value) - {"level", "evidence"}
            for name in sorted(str(k) for k in extra):
                flat[f"{path}.{name}"] = value[name]
        elif path not in index and isinstance(value, Mapping) and path.count(".") < 2:
            flat.update(flatten_answers(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def apply_answers(draft: Draft, data: Any, name: str) -> tuple[Draft, list[AnswerError]]:
    """Apply an answers document (flat paths or nested sections); collect every problem."""
    if data is None:
        return draft, []
    if not isinstance(data, Mapping):
        raise AnswerError("answers must be a mapping of question path to value "
                          "(e.g. funding.donor_count: 3)", file=name)
    flat = flatten_answers(data)
    flat.pop("schema_version", None)
    index = question_index()
    problems: list[AnswerError] = []
    for path in sorted(p for p in flat if p not in index):
        problems.append(AnswerError("no such question", file=name, field=path,
                                    suggestion=did_you_mean(path, index)))
    for q in questions():
        if q.path not in flat:
            continue
        try:
            draft = apply(draft, q, parse_answer(q, flat[q.path]))
        except AnswerError as exc:
            problems.append(AnswerError(exc.message, file=name, field=exc.field or q.path,
                                        suggestion=exc.suggestion))
    return draft, problems


def draft_from_profile(profile: Profile) -> Draft:
    answers: dict[str, Any] = {}
    for q in questions():
        parts = q.path.split(".")
        value: Any = getattr(getattr(profile, parts[0]), parts[1])
        if value is None:
            continue
        if q.kind == "rating":
            value = int(value.level)
        elif len(parts) == 3:
            value = getattr(value, parts[2])
            if value is None:
                continue
        elif isinstance(value, tuple):
            value = list(value)
        answers[q.path] = value
    return Draft(answers)


def draft_from_document(doc: Document) -> Draft:
    """Read a draft file's document back (the partial profile plus the ``_interview`` block)."""
    if not isinstance(doc.data, dict):
        raise ProfileError("a draft must be a mapping (a partial profile and an _interview block)",
                           file=doc.path)
    data = dict(doc.data)
    meta = data.pop(DRAFT_KEY, None)
    if not isinstance(meta, dict) or meta.get("format") != DRAFT_FORMAT:
        raise ProfileError(f"is not an interview draft of format {DRAFT_FORMAT}", file=doc.path,
                           field=DRAFT_KEY, suggestion="rerun with --restart to start afresh")
    skipped = meta.get("skipped", [])
    index = question_index()
    if not isinstance(skipped, list) or not all(isinstance(p, str) and p in index for p in skipped):
        raise ProfileError("skipped must list question paths", file=doc.path,
                           field=f"{DRAFT_KEY}.skipped", line=doc.line_of((DRAFT_KEY, "skipped")))
    profile = profile_from_document(Document(data=data, path=doc.path, lines=doc.lines))
    draft = draft_from_profile(profile)
    return Draft(draft.answers, frozenset(skipped) - set(draft.answers))


def profile_yaml(profile: Profile) -> str:
    """A profile as YAML: sections in model order, unanswered fields left out."""
    data = profile.model_dump(mode="json", exclude_none=True)
    data = {k: v for k, v in data.items() if v != {}}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def draft_yaml(draft: Draft) -> str:
    body = profile_yaml(draft.profile())
    meta = {DRAFT_KEY: {"format": DRAFT_FORMAT, "skipped": sorted(draft.skipped)}}
    return (
        "# advisor interview draft: run the same `advisor interview` command to resume.\n"
        + body
        + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    )


def describe(q: Question) -> str:
    """The question with its unit, bounds and how to answer."""
    hints: list[str] = []
    if q.kind in ("int", "number"):
        if q.unit and q.unit != "currency":
            hints.append(q.unit)
        if q.ge is not None and q.le is not None:
            hints.append(f"{_num(q.ge)}–{_num(q.le)}")
    elif q.kind == "choices":
        hints.append("comma-separated, or 'none'")
    elif q.is_list:
        hints.append("separate names with ';'")
    text = q.text + (f" [{', '.join(hints)}]" if hints else "")
    return text


def paths(qs: Iterable[Question]) -> list[str]:
    return [q.path for q in qs]


__all__ = [
    "SKIP", "SKIP_RULES", "AnswerError", "Draft", "Question", "SkipRule", "apply", "apply_answers",
    "applicable", "describe", "draft_from_document", "draft_yaml", "missing", "next_question",
    "parse_answer", "profile_yaml", "progress", "questions",
]
