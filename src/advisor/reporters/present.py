"""How facts read in a report, in the reader's language: one set of helpers for the
templates and the terminal reporters.

Questions and answers come from the self-assessment's own wording (``advisor.i18n``): an
answer reads as its choice label (``Yes``, ``Rural``, ``3 — moderate``), a number in the
language's format. Labels of the report itself (headings, severities, kinds, ratings) are
gettext messages with English msgids, translated through ``ctx``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from advisor.formatting import format_money, format_number, format_percent

if TYPE_CHECKING:
    from advisor.reporters.context import RenderContext


def L_(message: str) -> str:
    """Mark a label for extraction (``pybabel extract -k L_ -k tr``); it is translated where it
    is shown, with ``ctx.tr``."""
    return message


SEVERITY_LABELS = {"critical": L_("critical"), "high": L_("high"), "medium": L_("medium"), "low": L_("low"),
                   "info": L_("info")}
KIND_LABELS = {"gap": L_("gap"), "risk": L_("risk"), "strength": L_("strength"), "opportunity": L_("opportunity"),
               "note": L_("note"), "recommendation": L_("recommendation")}
RATING_LABELS = {"Low": L_("Low"), "Moderate": L_("Moderate"), "Significant": L_("Significant"), "High": L_("High")}
CONFIDENCE_LABELS = {"high": L_("high"), "medium": L_("medium"), "low": L_("low"), "unknown": L_("unknown")}
MATURITY_LABELS = {1: L_("clear need"), 2: L_("basic"), 3: L_("moderate"), 4: L_("high capacity")}
CHANGE_LABELS = {"better": L_("better"), "worse": L_("worse"), "same": L_("same"), "unknown": L_("unknown"),
                 "resolved": L_("resolved"), "new": L_("new"), "persists": L_("persists"),
                 "rule_gone": L_("rule no longer in the rule base")}
CONDITION_KINDS = {"assurance": L_("assurance"), "protection": L_("protection"), "support": L_("support")}
FINDING_DIMENSIONS = {"fiduciary": L_("fiduciary"), "programmatic": L_("programmatic"),
                      "sustainability": L_("sustainability"), "context": L_("context")}
FORMAT_LABELS = {"workshop": L_("workshop"), "mentoring": L_("mentoring"), "peer_exchange": L_("peer exchange"),
                 "e_learning": L_("e-learning")}
GRANT_FIELDS = {"grant.amount": L_("Planned grant amount"), "grant.currency": L_("Currency of the grant"),
                "grant.months": L_("Length of the grant in months")}


def label(table: dict[Any, str], value: Any, ctx: RenderContext) -> str:
    """A value's label from one of the tables above, translated; the value itself if unknown."""
    found = table.get(value)
    return ctx.tr(found) if found is not None else str(value)


# --- user text: neutralised at render --------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: object) -> str:
    """User text made inert for any output: control characters, escape sequences and
    bidirectional overrides become visible (``\\x1b`` → ``␛``-like ``\\u241b`` or removed),
    newlines and tabs become spaces. The data is untouched; only what is shown changes."""
    value = str(text)
    value = value.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")

    def visible(match: re.Match[str]) -> str:
        ch = match.group(0)
        code = ord(ch)
        if code < 0x20:
            return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC
        if code == 0x7F:
            return "\u2421"
        return ""  # C1 controls, zero-width and bidi formatting characters: dropped

    return _CONTROL.sub(visible, value)


def is_control_free(text: str) -> bool:
    return not any(unicodedata.category(ch) == "Cc" for ch in text)


# --- questions and answers -----------------------------------------------------------------


def question(field: str, ctx: RenderContext) -> str:
    """The question a field path asks, in the reader's language (the path itself if unknown)."""
    if field in GRANT_FIELDS:
        return ctx.tr(GRANT_FIELDS[field])
    from advisor.i18n import question as localized_question

    try:
        return localized_question(field, ctx.lang)
    except KeyError:
        return field


def answer(field: str, value: Any, ctx: RenderContext) -> str:
    """An answer as the reader says it: a choice label, yes/no, a number in the language's format."""
    from advisor.i18n import choice_label

    if value is None:
        return ctx.tr("not answered")
    if isinstance(value, bool):
        return choice_label(field, value, ctx.lang)
    if isinstance(value, list | tuple):
        return ", ".join(answer(field, v, ctx) for v in value) or ctx.tr("none")
    if isinstance(value, int | float):
        if field.startswith("ratings.") and isinstance(value, int) and 1 <= value <= 4:
            return choice_label(field, value, ctx.lang)
        unit = _unit(field)
        if unit == "%":
            return format_percent(value, ctx.lang)
        if unit == "months":  # the plural form of a fraction is chosen as for the next whole number
            return ctx.ntr("{n} month", "{n} months", math.ceil(value)).format(n=format_number(value, ctx.lang))
        return format_number(value, ctx.lang)
    if isinstance(value, str):
        try:
            return plain(choice_label(field, value, ctx.lang))
        except (KeyError, ValueError):
            return plain(value)
    return plain(value)


def _unit(field: str) -> str | None:
    from advisor.facts import catalogue

    spec = catalogue().get(field)
    return spec.unit if spec is not None else None


def yes_no(value: bool, ctx: RenderContext) -> str:
    return ctx.tr("yes") if value else ctx.tr("no")


def number(value: float | int, ctx: RenderContext) -> str:
    return format_number(value, ctx.lang)


def money(amount: float | None, currency: str | None, ctx: RenderContext) -> str:
    return ctx.tr("not given") if amount is None else format_money(amount, currency, ctx.lang)


def percent(value: float, ctx: RenderContext) -> str:
    """A value in percent (45 for 45 %)."""
    return format_percent(value, ctx.lang)


def maturity(level: int | None, self_rating: int | None, capped_by: tuple[str, ...], ctx: RenderContext) -> str:
    """Maturity only where the area was rated (or a gap caps it): never a guessed level."""
    if level is None:
        return ctx.tr("not assessed")
    if self_rating is None:
        return ctx.tr("at most {level} (capped by {ids})").format(level=level, ids=", ".join(capped_by))
    text = f"{level} — {label(MATURITY_LABELS, level, ctx)}"
    if capped_by:
        text += " " + ctx.tr("(capped by {ids})").format(ids=", ".join(capped_by))
    return text


def score(value: float | None, ctx: RenderContext) -> str:
    return ctx.tr("not assessed") if value is None else format_number(value, ctx.lang)


def plan_why(module: Any, titles: dict[str, str], ctx: RenderContext) -> str:
    """Why a module is in the plan, in words: the findings it answers, not rule IDs."""
    def named(ids: tuple[str, ...]) -> str:
        return "; ".join(titles.get(i, i) for i in ids)

    if module.reason == "prerequisite":
        return ctx.tr("Needed before: {modules}").format(modules=named(module.prerequisite_for))
    if module.addresses:
        return ctx.tr("Found: {findings}").format(findings=named(module.addresses))
    return ctx.tr("Recommended: {advice}").format(advice=named(module.recommended_by))
