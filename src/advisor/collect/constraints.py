"""Cross-field checks written once, read by both the XLSForm and the importer.

Each check is a small expression tree over question names. :func:`xpath` renders it as
an XLSForm ``constraint`` (``.`` for the question it sits on, ``${name}`` for the others),
and :func:`holds` evaluates it on one submission's answers, so the form refuses exactly what
the importer would refuse. Like ODK, a check only runs when its own question is answered;
an unanswered question is "blank" (``None``); arithmetic on a blank is not a number and
every comparison with it is false, as in XPath.

The Profile model's own cross-field validator stays the final word on import; a test checks
that every answer these checks let through also passes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Union

from advisor.profile import SHARE_TOLERANCE

Value = float | None


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Coalesce:
    ref: Ref
    default: float


@dataclass(frozen=True)
class Sum:
    terms: tuple[Expr, ...]


@dataclass(frozen=True)
class Times:
    factor: float
    term: Expr


@dataclass(frozen=True)
class Le:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Eq:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Blank:
    ref: Ref


@dataclass(frozen=True)
class Or:
    parts: tuple[Cond, ...]


Expr = Union[Ref, Num, Coalesce, Sum, Times]
Cond = Union[Le, Eq, Blank, Or]


@dataclass(frozen=True)
class CrossCheck:
    """A constraint on ``field`` (a question name), explained by the form message ``message``."""

    field: str
    condition: Cond
    message: str


SHARES = ("share_state_pct", "share_foreign_pct", "share_local_private_pct", "share_own_income_pct")


def _checks() -> tuple[CrossCheck, ...]:
    checks: list[CrossCheck] = []
    for share in SHARES:
        total = Sum((Ref(share), *(Coalesce(Ref(s), 0) for s in SHARES if s != share)))
        checks.append(CrossCheck(share, Le(total, Num(100 + SHARE_TOLERANCE)), "shares_total"))
    # The largest funder's share is part of the income: with all four shares answered it
    # cannot exceed their sum (the Profile checks it only then, and so does the form).
    all_shares = Sum(tuple(Ref(s) for s in SHARES))
    checks.append(
        CrossCheck(
            "largest_source_pct",
            Or((*(Blank(Ref(s)) for s in SHARES), Le(Ref("largest_source_pct"), Sum((all_shares, Num(SHARE_TOLERANCE)))))),
            "largest_within_shares",
        )
    )
    checks.append(
        CrossCheck(
            "key_staff_left_12m",
            Or((Blank(Ref("paid_staff")), Eq(Ref("paid_staff"), Num(0)),
                Le(Ref("key_staff_left_12m"), Times(2, Ref("paid_staff"))))),
            "staff_left",
        )
    )
    return tuple(checks)


CHECKS: tuple[CrossCheck, ...] = _checks()


# --- XPath -------------------------------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _x(node: Expr | Cond, here: str) -> str:
    if isinstance(node, Ref):
        return "." if node.name == here else f"${{{node.name}}}"
    if isinstance(node, Num):
        return _number(node.value)
    if isinstance(node, Coalesce):
        return f"coalesce({_x(node.ref, here)}, {_number(node.default)})"
    if isinstance(node, Sum):
        return " + ".join(_x(t, here) for t in node.terms)
    if isinstance(node, Times):
        return f"{_number(node.factor)} * {_x(node.term, here)}"
    if isinstance(node, Le):
        return f"{_x(node.left, here)} <= {_x(node.right, here)}"
    if isinstance(node, Eq):
        return f"{_x(node.left, here)} = {_x(node.right, here)}"
    if isinstance(node, Blank):
        return f"{_x(node.ref, here)} = ''"
    return "(" + " or ".join(_x(p, here) for p in node.parts) + ")"


def xpath(check: CrossCheck) -> str:
    """The check as an XLSForm constraint on its own question."""
    return _x(check.condition, check.field)


# --- Python ------------------------------------------------------------------------------


def _v(node: Expr, answers: dict[str, Any]) -> float:
    if isinstance(node, Ref):
        value = answers.get(node.name)
        return math.nan if value is None or isinstance(value, bool) else float(value)
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Coalesce):
        value = _v(node.ref, answers)
        return node.default if math.isnan(value) else value
    if isinstance(node, Sum):
        return sum(_v(t, answers) for t in node.terms)
    return node.factor * _v(node.term, answers)


def _holds(cond: Cond, answers: dict[str, Any]) -> bool:
    if isinstance(cond, Le):
        return _v(cond.left, answers) <= _v(cond.right, answers)
    if isinstance(cond, Eq):
        return _v(cond.left, answers) == _v(cond.right, answers)
    if isinstance(cond, Blank):
        return answers.get(cond.ref.name) is None
    return any(_holds(p, answers) for p in cond.parts)


def holds(check: CrossCheck, answers: dict[str, Any]) -> bool:
    """Whether one submission's answers (question name → value, None when blank) pass."""
    if answers.get(check.field) is None:
        return True
    return _holds(check.condition, answers)


def failed_checks(answers: dict[str, Any]) -> list[CrossCheck]:
    return [check for check in CHECKS if not holds(check, answers)]
