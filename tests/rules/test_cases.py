"""Every rule's own cases: the profiles in ``<slug>.cases.yaml`` must (not) fire the rule,
on both evaluators."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.engine import assess

from .support import bundled_rulebase, engines, profile_of


def _cases() -> list[Any]:
    params = []
    rb = bundled_rulebase()
    for compiled in rb.rules:
        cases = rb.cases.get(compiled.id)
        if cases is None:
            continue  # test_meta reports the missing cases file
        for expected, group in ((True, cases.fires), (False, cases.does_not_fire)):
            for case in group:
                verb = "fires" if expected else "quiet"
                params.append(pytest.param(
                    compiled.id, case.profile, expected, id=f"{compiled.id}-{verb}-{case.name}"
                ))
    return params


@pytest.mark.parametrize("engine", engines())
@pytest.mark.parametrize(("rule_id", "excerpt", "should_fire"), _cases())
def test_case(rule_id: str, excerpt: dict[str, Any], should_fire: bool, engine: str) -> None:
    rb = bundled_rulebase()
    fired = set(assess(profile_of(excerpt, rule_id), rb, engine).fired_ids())  # type: ignore[arg-type]
    assert (rule_id in fired) is should_fire, (
        f"{rule_id} {'did not fire' if should_fire else 'fired'} on {excerpt}; fired: {sorted(fired)}"
    )
