"""The reference evaluator: the same compiled rule base, evaluated in plain Python.

It is the test oracle for the durable-rules adapter (a property test asserts they agree)
and serves Python versions on which durable-rules cannot be imported.
"""

from __future__ import annotations

from advisor.engine.base import Firing, firing_order
from advisor.facts import Facts
from advisor.rules.conditions import expr_holds
from advisor.rules.loader import RuleBase


class ReferenceEvaluator:
    name = "reference"

    def __init__(self, rulebase: RuleBase) -> None:
        # Layer by layer: a rule only refers to findings of lower layers.
        self._ordered = sorted(rulebase.rules, key=lambda r: (r.stratum, r.id))

    def evaluate(self, facts: Facts) -> list[Firing]:
        fired: set[str] = set()
        firings: list[Firing] = []
        for compiled in self._ordered:
            held = False
            for index, term in enumerate(compiled.terms):
                if term.expr is not None and not expr_holds(term.expr, facts):
                    continue
                if any((ref.rule_id in fired) == ref.negated for ref in term.refs):
                    continue
                matched = facts if term.expr is not None else {}  # shared, read-only
                firings.append(Firing(compiled.id, index, matched, term.positive_refs))
                held = True
            if held:
                fired.add(compiled.id)
        firings.sort(key=firing_order)
        return firings
