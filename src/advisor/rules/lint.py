"""Checks over the whole rule base beyond what loading enforces: every rule's cases behave,
every example fires its rule, exclusive recommendations never fire together."""

from __future__ import annotations

from typing import Any

from advisor.errors import AdvisorError
from advisor.profile import SCHEMA_VERSION
from advisor.profile_io import profile_from_data
from advisor.rules.loader import RuleBase


def with_version(excerpt: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, **excerpt}


def lint(rulebase: RuleBase, engine: str = "reference") -> list[str]:
    """Problems found, one line each (empty when the rule base is clean)."""
    from advisor.engine import assess

    problems: list[str] = []
    exclusive = {(r.id, o) for c in rulebase.rules for r in [c.rule] for o in r.exclusive_with}

    def run(excerpt: dict[str, Any], label: str) -> set[str] | None:
        try:
            profile = profile_from_data(with_version(excerpt), label)
        except AdvisorError as exc:
            problems.append(f"{label}: not a valid profile: {exc}")
            return None
        fired = set(assess(profile, rulebase, engine).fired_ids())  # type: ignore[arg-type]
        for a, b in exclusive:
            if a in fired and b in fired:
                problems.append(f"{label}: exclusive recommendations {a} and {b} both fire")
        return fired

    for compiled in rulebase.rules:
        rule = compiled.rule
        where = compiled.path
        fired = run(rule.doc.example, f"{where}: doc.example")
        if fired is not None and rule.id not in fired:
            problems.append(f"{where}: doc.example does not fire {rule.id}")
        cases = rulebase.cases.get(rule.id)
        if cases is None:
            problems.append(f"{where}: no cases file ({rule.slug}.cases.yaml) beside the rule")
            continue
        for case in cases.fires:
            fired = run(case.profile, f"{where}: case '{case.name}'")
            if fired is not None and rule.id not in fired:
                problems.append(f"{where}: case '{case.name}' should fire {rule.id} but does not")
        for case in cases.does_not_fire:
            fired = run(case.profile, f"{where}: case '{case.name}'")
            if fired is not None and rule.id in fired:
                problems.append(f"{where}: case '{case.name}' should not fire {rule.id} but does")
    return problems
