"""Which question an export's column belongs to, and what an exported value means.

KoboToolbox and ODK Central name a column in one of many ways, all built from the form:

- the XML name (``paid_staff``), alone or after its group (``organisation/paid_staff``,
  ``organisation.paid_staff``, Central's ``organisation-paid_staff``; Kobo lets the user
  pick the group separator);
- the label in the export's language (English, Russian or Kazakh), again alone or after the
  group's label (``Организация/Сколько …?``);
- for a select_multiple, one more 0/1 column per choice: the question's header, ``/`` (or
  the group separator), then the choice's name or label.

All these spellings are generated from the form (:func:`advisor.xlsform.form_questions`,
:func:`~advisor.xlsform.question_label`, :func:`~advisor.xlsform.choice_labels`) and looked
up whole (labels may contain ``/`` or ``.`` themselves), with case and runs of spaces
ignored. A spelling two questions would share is ambiguous and matches neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from advisor import i18n
from advisor.xlsform import VERSION_FIELD, FormQuestion, choice_labels, form_questions, question_label

GROUP_SEPARATORS = ("/", ".", "-", "_", ":", "::", "|", " ", " / ", " - ")

CENTRAL_METADATA = frozenset(
    {
        "submissiondate", "key", "submitterid", "submittername", "attachmentspresent",
        "attachmentsexpected", "status", "reviewstate", "deviceid", "edits", "formversion",
        "instanceid", "start", "end", "today", "username", "version", "phonenumber",
        "simserial", "subscriberid", "audit", "parent_key",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Column:
    """A column of the export: a question, or one choice's 0/1 column of a select_multiple."""

    question: FormQuestion
    choice: str | None = None


def normalise(header: str) -> str:
    return " ".join(header.split()).casefold()


def _parts(key: str) -> list[str]:
    for separator in ("/", "-", "."):
        if separator in key:
            return key.split(separator)
    return [key]


@lru_cache(maxsize=8192)
def is_metadata(key: str) -> bool:
    """Submission metadata, not an answer: ``_id``, ``__version__``, ``meta/instanceID``,
    ``formhub/uuid``, Central's columns, the form's version field."""
    parts = _parts(key)
    return (
        key.startswith("_")
        or normalise(key) in CENTRAL_METADATA
        or parts[0] in ("meta", "formhub", "__system")
        or parts[-1] == VERSION_FIELD
    )


def _question_spellings(q: FormQuestion, labels: bool) -> set[str]:
    tokens = {q.name}
    groups = {q.section}
    if labels:
        tokens |= {question_label(q, lang) for lang in i18n.LANGUAGES}
        groups |= {i18n.section_title(q.section, lang) for lang in i18n.LANGUAGES}
    spellings = set(tokens)
    for group in groups:
        for separator in GROUP_SEPARATORS:
            spellings.update(f"{group}{separator}{token}" for token in tokens)
    return spellings


@cache
def column_index(labels: bool = True) -> dict[str, Column | None]:
    """Every spelling of every question's column, normalised; None where two share it.
    Without ``labels``, only the XML names (quick: no translations to load)."""
    index: dict[str, Column | None] = {}
    for q in form_questions():
        column = Column(q)
        for spelling in _question_spellings(q, labels):
            key = normalise(spelling)
            index[key] = None if key in index and index[key] != column else column
    return index


CHOICE_SEPARATORS = ("/", ".", "-", "_", ":", "::")


@lru_cache(maxsize=8192)
def match(header: str) -> Column | None:
    """The column a header names, or None (not a question of this form, or ambiguous).
    XML names are tried first; the labels (three languages to load) only when needed.
    Cached: an export repeats its headers on every row."""
    key = normalise(header)
    for labels in (False, True):
        index = column_index(labels)
        if key in index:
            return index[key]
        if (column := _choice_column(key, index)) is not None:
            return column
    return None


def _choice_column(key: str, index: dict[str, Column | None]) -> Column | None:
    """A select_multiple's choice column: "<question header><separator><choice>"."""
    for separator in CHOICE_SEPARATORS:
        start = len(key)
        while (at := key.rfind(separator, 0, start)) > 0:
            start = at
            base = index.get(key[:at].rstrip())
            if base is not None and base.question.kind == "choices":
                choice = choice_lookup(base.question).get(key[at + len(separator):].strip())
                if choice is not None:
                    return Column(base.question, choice)
    return None


@cache
def choice_lookup(q: FormQuestion) -> dict[str, str]:
    """Choice names and labels (any language), normalised, to the choice's name."""
    lookup: dict[str, str] = {}
    for choice, labels in choice_labels(q):
        for spelling in (choice, *labels.values()):
            lookup.setdefault(normalise(spelling), choice)
    return lookup


def split_choices(q: FormQuestion, text: str) -> list[str]:
    """A select_multiple answer: space-separated names, or (an export "with labels") the
    labels of the choices joined by spaces, which may contain spaces themselves.

    Text that reads neither way comes back as its words, for the Profile to name the
    item that is no choice."""
    lookup = choice_lookup(q)
    words = text.split()
    if all(normalise(w) in lookup for w in words):
        return [lookup[normalise(w)] for w in words]
    # Labels: the longest label that starts the rest of the text, again and again.
    chosen: list[str] = []
    rest = normalise(text)
    spellings = sorted(lookup, key=len, reverse=True)
    while rest:
        found = next((s for s in spellings if rest == s or rest.startswith(s + " ")), None)
        if found is None:
            return [lookup.get(normalise(w), w) for w in words]
        chosen.append(lookup[found])
        rest = rest[len(found):].lstrip()
    return chosen
