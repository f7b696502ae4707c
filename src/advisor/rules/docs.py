"""One documentation page per rule, generated from its fields (docs/rules/<ID>.md)."""

from __future__ import annotations

import yaml

from advisor.rules.conditions import And, Expr, Or, Test
from advisor.rules.loader import CompiledRule, RuleBase
from advisor.rules.model import Rule

SECTIONS = ("What it finds", "Why it matters", "Example", "What to do", "Sources")
"""The ``##`` sections of a finding's page, in order."""
RECOMMENDATION_SECTIONS = ("What it asks", "Why it matters", "Example", "What to do", "Sources")
"""The ``##`` sections of a recommendation's page, in order."""


def sections_for(rule: Rule) -> tuple[str, ...]:
    """The sections a rule's page must have, in order."""
    return SECTIONS if rule.is_finding else RECOMMENDATION_SECTIONS


def _expr_text(expr: Expr) -> str:
    """A field expression in words; nested and/or groups are bracketed so they read unambiguously."""
    if isinstance(expr, Test):
        return expr.describe()
    if isinstance(expr, Or):
        return "(" + " or ".join(_expr_text(e) for e in expr.items) + ")"
    return "(" + " and ".join(_expr_text(e) for e in expr.items) + ")"


def _condition_text(compiled: CompiledRule) -> list[str]:
    lines = []
    for index, term in enumerate(compiled.terms):
        parts = []
        if term.expr is not None:
            items = term.expr.items if isinstance(term.expr, And) else (term.expr,)
            parts += [_expr_text(e) for e in items]
        parts += [f"{'not ' if r.negated else ''}finding {r.rule_id}" for r in term.refs]
        prefix = f"- alternative {index + 1}: " if len(compiled.terms) > 1 else "- "
        lines.append(prefix + "; ".join(parts))
    return lines


def rule_page(compiled: CompiledRule, rulebase: RuleBase) -> str:
    rule = compiled.rule
    kind = f"recommendation for the {rule.audience}" if rule.kind == "recommendation" else rule.kind
    out = [
        f"# {rule.id} {rule.title}",
        "",
        f"`{rule.slug}` · {kind} · area `{rule.area}` · severity `{rule.severity}`",
        "",
        f"## {sections_for(rule)[0]}",
        "",
        rule.doc.what,
        "",
        "Fires when (negations cover unanswered questions):",
        "",
        *_condition_text(compiled),
        "",
    ]
    if rule.params:
        out += ["Parameters:", ""]
        out += [
            f"- `{name}` = {p.value}{' ' + p.unit if p.unit else ''}: {p.rationale}"
            for name, p in sorted(rule.params.items())
        ]
        out.append("")
    out += ["## Why it matters", "", rule.doc.why, "", "## Example", "", "```yaml"]
    out.append(yaml.safe_dump(rule.doc.example, sort_keys=True, allow_unicode=True).rstrip())
    out += ["```", "", "## What to do", "", rule.doc.action, ""]
    if rule.advice is not None:
        out += [
            f"- who: {rule.advice.who}",
            f"- first step: {rule.advice.first_step}",
            f"- time frame: {rule.advice.timeframe}",
        ]
        if rule.advice.done_when:
            out.append(f"- done when: {rule.advice.done_when}")
        if rule.after:
            out.append(f"- comes after: {', '.join(rule.after)}")
        if rule.modules:
            out.append(f"- training modules: {', '.join(rule.modules)}")
        out.append("")
    out += ["## Sources", ""]
    for parts in (rulebase.citation_parts(c) for c in rule.sources):
        if parts.kind == "domain":
            out.append(f"- domain knowledge ({parts.statement}), {parts.section}: {parts.quote}")
        else:
            out.append(f"- {parts.source}, {parts.section} ({parts.statement}): “{parts.quote}”")
    return "\n".join(out) + "\n"


def rule_index(rulebase: RuleBase) -> str:
    out = [f"# Rules (rule base {rulebase.version})", "", "| ID | Kind | Area | Severity | Title |", "|---|---|---|---|---|"]
    for c in rulebase.rules:
        r = c.rule
        kind = r.kind if r.is_finding else f"recommendation ({r.audience})"
        out.append(f"| [{r.id}]({r.id}.md) | {kind} | {r.area} | {r.severity} | {r.title} |")
    return "\n".join(out) + "\n"


def generated_pages(rulebase: RuleBase) -> dict[str, str]:
    """File name -> content, for docs/rules/."""
    pages = {f"{c.id}.md": rule_page(c, rulebase) for c in rulebase.rules}
    pages["README.md"] = rule_index(rulebase)
    return pages
