"""Why a rule fired for a profile, or which condition kept it from firing.

Written in the current language: the rule's own title, the conditions as field path,
comparison and answer (choices by label, numbers in the language's format), the words
around them from the gettext catalogue. Source quotes stay as the sources wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.assessment import Assessment, cite, evidence_value
from advisor.facts import Facts, catalogue
from advisor.i18n import _, localized_rule_text
from advisor.labels import display_answer
from advisor.rules.conditions import And, Expr, Test, expr_holds, test_holds
from advisor.rules.loader import RuleBase


@dataclass(frozen=True)
class Explanation:
    rule_id: str
    title: str
    fired: bool
    lines: tuple[str, ...]

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _show(value: object, path: str = "") -> str:
    return display_answer(path, value)


def _describe(test: Test) -> str:
    """A test as "path comparison value", in the current language."""
    if test.op == "answered":
        return _("{path} is answered").format(path=test.path)
    if test.op == "unanswered":
        return _("{path} is unanswered").format(path=test.path)
    value = list(test.value) if isinstance(test.value, tuple) else test.value
    shown = _show(value, test.path)
    symbols = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}
    if test.op in symbols:
        return f"{test.path} {symbols[test.op]} {shown}"
    words = {
        "in": _("{path} is one of: {value}"),
        "contains": _("{path} includes {value}"),
        "lacks": _("{path} does not include {value}"),
    }
    return words.get(test.op, "{path} {value}").format(path=test.path, value=shown)


def _expr_lines(expr: Expr, facts: Facts, indent: str) -> list[str]:
    mark = "✓" if expr_holds(expr, facts) else "✗"
    if isinstance(expr, Test):
        actual = evidence_value(catalogue()[expr.path], facts)
        ok = "✓" if test_holds(expr, facts) else "✗"
        answer = _("profile: {answer}").format(answer=_show(actual, expr.path))
        return [f"{indent}{ok} {_describe(expr)}   ({answer})"]
    word = _("all of") if isinstance(expr, And) else _("any of")
    lines = [f"{indent}{mark} {word}:"]
    for item in expr.items:
        lines += _expr_lines(item, facts, indent + "    ")
    return lines


def explain(rule_id: str, rulebase: RuleBase, facts: Facts, assessment: Assessment) -> Explanation:
    compiled = rulebase.by_id[rule_id]
    fired_ids = set(assessment.fired_ids())
    fired = rule_id in fired_ids
    rule = compiled.rule
    title = localized_rule_text(rule).title
    lines = [f"{rule.id} {title}", _("FIRED for this profile.") if fired else _("did not fire for this profile.")]
    for index, term in enumerate(compiled.terms):
        label = (_("alternative {n} of {total}").format(n=index + 1, total=len(compiled.terms))
                 if len(compiled.terms) > 1 else _("condition"))
        lines.append(f"{label}:")
        if term.expr is not None:
            lines += _expr_lines(term.expr, facts, "    ")
        for ref in term.refs:
            present = ref.rule_id in fired_ids
            ok = present != ref.negated
            wanted = (_("finding {id} did not fire") if ref.negated else _("finding {id} fired")).format(id=ref.rule_id)
            actual = _("it fired") if present else _("it did not fire")
            lines.append(f"    {'✓' if ok else '✗'} {wanted}   ({actual})")
    lines.append(_("sources:"))
    for parts in (rulebase.citation_parts(c) for c in rule.sources):
        lines.append(f"    {cite(parts)} — “{parts.quote}”")
    return Explanation(rule.id, title, fired, tuple(lines))
