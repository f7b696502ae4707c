"""Why a rule fired for a profile, or which condition kept it from firing."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.assessment import Assessment, cite, evidence_value
from advisor.facts import Facts, catalogue
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


def _show(value: object) -> str:
    if value is None:
        return "unanswered"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _expr_lines(expr: Expr, facts: Facts, indent: str) -> list[str]:
    mark = "✓" if expr_holds(expr, facts) else "✗"
    if isinstance(expr, Test):
        actual = evidence_value(catalogue()[expr.path], facts)
        ok = "✓" if test_holds(expr, facts) else "✗"
        return [f"{indent}{ok} {expr.describe()}   (profile: {_show(actual)})"]
    word = "all of" if isinstance(expr, And) else "any of"
    lines = [f"{indent}{mark} {word}:"]
    for item in expr.items:
        lines += _expr_lines(item, facts, indent + "    ")
    return lines


def explain(rule_id: str, rulebase: RuleBase, facts: Facts, assessment: Assessment) -> Explanation:
    compiled = rulebase.by_id[rule_id]
    fired_ids = set(assessment.fired_ids())
    fired = rule_id in fired_ids
    rule = compiled.rule
    lines = [f"{rule.id} {rule.title}", f"{'FIRED' if fired else 'did not fire'} for this profile."]
    for index, term in enumerate(compiled.terms):
        label = f"alternative {index + 1} of {len(compiled.terms)}" if len(compiled.terms) > 1 else "condition"
        lines.append(f"{label}:")
        if term.expr is not None:
            lines += _expr_lines(term.expr, facts, "    ")
        for ref in term.refs:
            present = ref.rule_id in fired_ids
            ok = present != ref.negated
            wanted = "did not fire" if ref.negated else "fired"
            lines.append(
                f"    {'✓' if ok else '✗'} finding {ref.rule_id} {wanted}   "
                f"(it {'fired' if present else 'did not fire'})"
            )
    lines.append("sources:")
    for parts in (rulebase.citation_parts(c) for c in rule.sources):
        lines.append(f"    {cite(parts)} — “{parts.quote}”")
    return Explanation(rule.id, rule.title, fired, tuple(lines))
