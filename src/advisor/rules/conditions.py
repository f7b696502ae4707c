"""Rule conditions in the form both engines evaluate: negation pushed to the leaves, then
split into terms (one per alternative that involves other findings).

A condition tree (``all`` / ``any`` / ``not`` over field tests and finding references) is
normalised so that ``not`` only ever sits on a finding reference:

- ``not (x < 5)`` becomes ``x >= 5 or x unanswered`` (every comparison is false on an
  unanswered field, in both engines, so negation must say what it means for "unanswered");
- ``not all(...)`` / ``not any(...)`` follow De Morgan.

Then the tree is expanded into *terms*: a term is one field expression (a tree of
and/or over field tests, tested against the profile fact in one pattern) together with the
finding references it needs. Subtrees without finding references stay whole, so only
the structure over findings is expanded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import product
from typing import Literal, Union

from advisor.facts import NUMBER_DECIMALS, Facts, FieldSpec, fact_key
from advisor.rules.model import (
    AllCondition,
    AnyCondition,
    Condition,
    FieldCondition,
    FindingCondition,
    NotCondition,
    ParamValue,
)

TestOp = Literal[
    "eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "lacks", "answered", "unanswered"
]
MAX_TERMS = 32


@dataclass(frozen=True)
class Test:
    """A resolved test on one field (params substituted)."""

    path: str
    op: TestOp
    value: ParamValue | tuple[ParamValue, ...] | None = None

    @property
    def key(self) -> str:
        return fact_key(self.path)

    def describe(self) -> str:
        symbol = {
            "eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥",
            "in": "is one of", "contains": "includes", "lacks": "does not include",
        }
        if self.op == "answered":
            return f"{self.path} is answered"
        if self.op == "unanswered":
            return f"{self.path} is unanswered"
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return f"{self.path} {symbol[self.op]} {_show(value)}"


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


Expr = Union[Test, And, Or]


@dataclass(frozen=True)
class Ref:
    """A reference to another finding; ``negated`` means "that finding did not fire"."""

    rule_id: str
    negated: bool = False


@dataclass(frozen=True)
class Term:
    """One alternative of a rule's condition: a field expression and the findings it needs."""

    expr: Expr | None
    refs: tuple[Ref, ...]

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """The fields the term tests, in order (computed once: evidence reads it per firing)."""
        return tuple(dict.fromkeys(_fields(self.expr))) if self.expr is not None else ()

    @property
    def positive_refs(self) -> tuple[str, ...]:
        return tuple(r.rule_id for r in self.refs if not r.negated)


# The IR before expansion: field expressions and finding references under and/or.
Node = Union[Test, Ref, "NAnd", "NOr"]


@dataclass(frozen=True)
class NAnd:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class NOr:
    items: tuple[Node, ...]


_NEGATE: dict[str, TestOp] = {
    "eq": "ne", "ne": "eq", "lt": "gte", "lte": "gt", "gt": "lte", "gte": "lt",
    "contains": "lacks", "lacks": "contains",
}


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def resolve_value(cond: FieldCondition, params: dict[str, ParamValue]) -> ParamValue | tuple[ParamValue, ...] | None:
    raw = params[cond.param] if cond.param is not None else cond.value
    if isinstance(raw, list):
        return tuple(raw)
    return raw


def to_nnf(cond: Condition, params: dict[str, ParamValue], negate: bool = False) -> Node:
    """The condition with ``not`` pushed down to the leaves (see module docstring)."""
    if isinstance(cond, NotCondition):
        return to_nnf(cond.not_, params, not negate)
    if isinstance(cond, AllCondition):
        items = tuple(to_nnf(c, params, negate) for c in cond.all)
        return NOr(items) if negate else NAnd(items)
    if isinstance(cond, AnyCondition):
        items = tuple(to_nnf(c, params, negate) for c in cond.any)
        return NAnd(items) if negate else NOr(items)
    if isinstance(cond, FindingCondition):
        return Ref(cond.finding, negated=negate)
    test = Test(cond.field, cond.op, resolve_value(cond, params))
    return _negate_test(test) if negate else test


def _negate_test(test: Test) -> Node:
    if test.op == "answered":
        return Test(test.path, "unanswered")
    if test.op == "unanswered":
        return Test(test.path, "answered")
    unanswered = Test(test.path, "unanswered")
    if test.op == "in":
        assert isinstance(test.value, tuple)
        not_any = NAnd(tuple(Test(test.path, "ne", v) for v in test.value))
        return NOr((not_any, unanswered))
    return NOr((Test(test.path, _NEGATE[test.op], test.value), unanswered))


def _has_refs(node: Node) -> bool:
    if isinstance(node, Ref):
        return True
    if isinstance(node, (NAnd, NOr)):
        return any(_has_refs(i) for i in node.items)
    return False


def _as_expr(node: Node) -> Expr:
    if isinstance(node, Test):
        return node
    if isinstance(node, NAnd):
        return And(tuple(_as_expr(i) for i in node.items))
    if isinstance(node, NOr):
        return Or(tuple(_as_expr(i) for i in node.items))
    raise AssertionError("a finding reference inside a field expression")


def _conj(a: Expr | None, b: Expr | None) -> Expr | None:
    if a is None:
        return b
    if b is None:
        return a
    left = a.items if isinstance(a, And) else (a,)
    right = b.items if isinstance(b, And) else (b,)
    return And(left + right)


def count_terms(node: Node) -> int:
    """How many terms ``expand(node)`` gives, counted without building them.

    ``all`` of nine ``any`` blocks of eight finding references expands to 8**9 terms: the
    count is checked against MAX_TERMS first, so such a rule is refused at once instead of
    being built term by term."""
    if not _has_refs(node) or isinstance(node, Ref):
        return 1
    if isinstance(node, NOr):
        return sum(count_terms(item) for item in node.items)
    assert isinstance(node, NAnd)
    total = 1
    for item in node.items:
        if _has_refs(item):
            total *= count_terms(item)
    return total


def leaf_count(expr: Expr) -> int:
    """How many single-value tests a field expression makes (``in`` of n values: n).

    An upper bound on the distinct conditions the expression hangs under one node of
    durable-rules' network (engine/durable_adapter.py bounds their sum)."""
    if isinstance(expr, Test):
        return len(expr.value) if expr.op == "in" and isinstance(expr.value, tuple) else 1
    return sum(leaf_count(item) for item in expr.items)


def expand(node: Node) -> list[Term]:
    """The terms of a normalised condition (its alternatives over finding references)."""
    if not _has_refs(node):
        return [Term(_as_expr(node), ())]
    if isinstance(node, Ref):
        return [Term(None, (node,))]
    if isinstance(node, NOr):
        return [t for item in node.items for t in expand(item)]
    assert isinstance(node, NAnd)
    field_parts = [i for i in node.items if not _has_refs(i)]
    ref_parts = [expand(i) for i in node.items if _has_refs(i)]
    base: Expr | None = None
    for part in field_parts:
        base = _conj(base, _as_expr(part))
    terms: list[Term] = []
    for combo in product(*ref_parts):
        expr = base
        refs: list[Ref] = []
        for term in combo:
            expr = _conj(expr, term.expr)
            refs.extend(r for r in term.refs if r not in refs)
        terms.append(Term(expr, tuple(refs)))
    return terms


def _fields(expr: Expr) -> list[str]:
    if isinstance(expr, Test):
        return [expr.path]
    return [p for item in expr.items for p in _fields(item)]


def tests_of(expr: Expr) -> list[Test]:
    if isinstance(expr, Test):
        return [expr]
    return [t for item in expr.items for t in tests_of(item)]


# --- plain-Python evaluation (the reference semantics) -------------------------------


def test_holds(test: Test, facts: Facts) -> bool:
    key = test.key
    if test.op == "answered":
        return key in facts
    if test.op == "unanswered":
        return key not in facts
    if test.op in ("contains", "lacks"):
        flag = facts.get(fact_key(test.path, test.value))  # type: ignore[arg-type]
        if flag is None:
            return False
        return flag is True if test.op == "contains" else flag is False
    if key not in facts:
        return False
    actual = facts[key]
    value = test.value
    if test.op == "eq":
        return _equal(actual, value)
    if test.op == "ne":
        return not _equal(actual, value)
    if test.op == "in":
        assert isinstance(value, tuple)
        return any(_equal(actual, v) for v in value)
    assert isinstance(value, (int, float)) and not isinstance(actual, (str, bool))
    if test.op == "lt":
        return actual < value
    if test.op == "lte":
        return actual <= value
    if test.op == "gt":
        return actual > value
    return actual >= value


def _equal(actual: object, value: object) -> bool:
    if isinstance(actual, bool) or isinstance(value, bool):
        return actual is value
    return actual == value


def expr_holds(expr: Expr, facts: Facts) -> bool:
    if isinstance(expr, Test):
        return test_holds(expr, facts)
    if isinstance(expr, And):
        return all(expr_holds(i, facts) for i in expr.items)
    return any(expr_holds(i, facts) for i in expr.items)


def matched_fields(expr: Expr, facts: Facts) -> list[str]:
    """The fields of the tests that made ``expr`` hold for ``facts``, in order: every item of a
    holding ``and``, and only the holding branches of an ``or`` (empty when it does not hold).
    This is a firing's evidence: the branch that did not match is not a reason."""
    if isinstance(expr, Test):
        return [expr.path] if test_holds(expr, facts) else []
    if isinstance(expr, And):
        parts = [matched_fields(i, facts) for i in expr.items]
        return [p for part in parts for p in part] if all(parts) else []
    return [p for item in expr.items for p in matched_fields(item, facts)]


def check_value(spec: FieldSpec, test: Test) -> str | None:
    """Why ``test`` cannot apply to the field ``spec`` (wrong op or operand), or None."""
    kind = spec.kind
    op = test.op
    if not spec.usable_in_conditions:
        return "is free text and cannot be used in a condition"
    if op in ("answered", "unanswered"):
        return None
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    if op == "in" and not isinstance(test.value, tuple):
        return "op 'in' needs a list value"
    if op != "in" and isinstance(test.value, tuple):
        return f"op '{op}' needs a single value, not a list"
    if kind == "choices":
        if op not in ("contains", "lacks"):
            return f"is a list of choices: use op 'contains' (or 'answered'), not '{op}'"
    elif op in ("contains", "lacks"):
        return f"op '{op}' is only for lists of choices; this field is a {kind}"
    if kind == "bool":
        if op not in ("eq", "ne"):
            return f"is yes/no: use op 'eq' or 'ne', not '{op}'"
        if not all(isinstance(v, bool) for v in values):
            return "is yes/no: compare it with true or false"
    elif kind in ("int", "number", "rating"):
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return f"is a number: compare it with a number, not {values!r}"
        for v in values:
            assert isinstance(v, (int, float))
            if spec.ge is not None and v < spec.ge or spec.le is not None and v > spec.le:
                return f"value {_show(v)} is outside the field's range {_show(spec.ge)}–{_show(spec.le)}"
            if isinstance(v, float) and round(v, NUMBER_DECIMALS) != v:
                # Facts are compared at this precision (and durable-rules cannot read 1e-05).
                return f"value {v!r} has more than {NUMBER_DECIMALS} decimal places"
    elif kind in ("choice", "choices"):
        if op in ("lt", "lte", "gt", "gte"):
            return f"is a choice: op '{op}' does not apply"
        for v in values:
            if v not in spec.choices:
                choices = ", ".join(str(c) for c in spec.choices)
                return f"'{v}' is not one of its choices ({choices})"
    elif kind == "string":
        if op not in ("eq", "ne", "in") or not all(isinstance(v, str) for v in values):
            return "is a code: compare it with op eq, ne or in and a text value"
    return None
