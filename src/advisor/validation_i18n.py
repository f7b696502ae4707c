"""pydantic's validation messages in the current language.

pydantic writes its messages in English. In English they are kept word for word; in another
language each error ``type`` has its own msgid here, filled from the error's ``ctx``. The
profile's cross-field checks (``Profile`` validators) raise English sentences with numbers
in them: they are matched by pattern and rebuilt from their parts. A message with no
translation stays English rather than being lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from advisor.i18n import N_, _, current_language, ngettext

# error type -> msgid, with the ctx names pydantic gives (see pydantic_core's error types).
TYPE_MESSAGES: dict[str, str] = {
    "missing": N_("Field required"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean"),
    "string_type": N_("Input should be a valid string"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid mapping"),
    "model_type": N_("Input should be a mapping of the section's fields"),
    "model_attributes_type": N_("Input should be a mapping of the section's fields"),
    "dataclass_type": N_("Input should be a mapping of the section's fields"),
    "literal_error": N_("Input should be {expected}"),
    "enum": N_("Input should be {expected}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "greater_than": N_("Input should be greater than {gt}"),
    "finite_number": N_("Input should be a finite number"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "too_short": N_("List should have at least {min_length} items"),
    "unique_items": N_("List items should be unique"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date"),
    "date_from_datetime_parsing": N_("Input should be a valid date"),
}

# Messages with a count, as ngettext pairs.
PLURAL_MESSAGES: dict[str, tuple[str, str, str]] = {
    "string_too_long": ("max_length", "String should have at most {max_length} character",
                        "String should have at most {max_length} characters"),
    "string_too_short": ("min_length", "String should have at least {min_length} character",
                         "String should have at least {min_length} characters"),
    "too_long": ("max_length", "List should have at most {max_length} item",
                 "List should have at most {max_length} items"),
}


def _dummy_plural_extraction() -> None:  # pragma: no cover - never called; for Babel
    ngettext("String should have at most {max_length} character",
             "String should have at most {max_length} characters", 1)
    ngettext("String should have at least {min_length} character",
             "String should have at least {min_length} characters", 1)
    ngettext("List should have at most {max_length} item", "List should have at most {max_length} items", 1)


def _number(value: Any) -> str:
    from advisor.formatting import format_number

    try:
        return format_number(float(value))
    except (TypeError, ValueError):
        return str(value)


def _expected(text: str) -> str:
    """pydantic's "'a', 'b' or 'c'" with the language's word for "or"."""
    head, sep, last = text.rpartition(" or ")
    word = _("or")
    return f"{head} {word} {last}" if sep else text


def type_message(error: Mapping[str, Any]) -> str:
    """One pydantic error in the current language (pydantic's own text in English)."""
    english: str = error["msg"]
    if current_language() == "en":
        return english
    kind = error["type"]
    ctx = {k: v for k, v in (error.get("ctx") or {}).items()}
    for key in ("le", "ge", "lt", "gt"):
        if key in ctx:
            ctx[key] = _number(ctx[key])
    if "expected" in ctx:
        ctx["expected"] = _expected(str(ctx["expected"]))
    try:
        if kind in PLURAL_MESSAGES:
            count_key, singular, plural = PLURAL_MESSAGES[kind]
            return ngettext(singular, plural, int(ctx[count_key])).format(**ctx)
        if kind in TYPE_MESSAGES:
            return _(TYPE_MESSAGES[kind]).format(**ctx)
    except (KeyError, ValueError, IndexError):
        return english
    return english


# The Profile's cross-field checks: English pattern -> how to say it again.
_CHECKS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"income shares add up to more than 100 % \((?P<parts>.*)\)$"),
     lambda m: _("income shares add up to more than 100 % ({parts})").format(parts=m["parts"])),
    (re.compile(r"income shares add up to (?P<total>[\d.e+]+) %, more than 100 % \((?P<parts>.*)\)$"),
     lambda m: _("income shares add up to {total} %, more than 100 % ({parts})").format(
         total=_number(m["total"]), parts=m["parts"])),
    (re.compile(r"the largest funder's share is more than all income shares together$"),
     lambda m: _("the largest funder's share is more than all income shares together")),
    (re.compile(r"(?P<largest>[\d.e+]+) % is more than all income shares together \((?P<total>[\d.e+]+) %\)$"),
     lambda m: _("the largest funder's share ({largest} %) is more than all income shares together ({total} %)").format(
         largest=_number(m["largest"]), total=_number(m["total"]))),
    (re.compile(r"no funders were reported \(donor_count 0\), so the largest funder's share must be 0 "
                r"or unanswered$"),
     lambda m: _("no funders were reported (donor_count 0), so the largest funder's share must be 0 "
                 "or unanswered")),
    (re.compile(r"answered, but reporting_obligation is false$"),
     lambda m: _("answered, but reporting_obligation is false")),
    (re.compile(r"the year founded lies in the future \(this year is (?P<year>\d+)\)$"),
     lambda m: _("the year founded lies in the future (this year is {year})").format(year=m["year"])),
    (re.compile(r"more than twice the current paid staff; check the numbers$"),
     lambda m: _("more than twice the current paid staff; check the numbers")),
    (re.compile(r"Input should be 1, 2, 3 or 4 \(a whole number, not true, false or a decimal\)$"),
     lambda m: _("Input should be 1, 2, 3 or 4 (a whole number, not true, false or a decimal)")),
)


def check_message(english: str) -> str:
    """A cross-field check's message (without its "field: " head) in the current language."""
    if current_language() == "en":
        return english
    for pattern, say in _CHECKS:
        if match := pattern.search(english):
            return say(match)
    return english
