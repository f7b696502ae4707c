"""durable-rules size limits, on the adapter's side: a synthetic base of 1,000+ rules.

Raw durable-rules 2.0.28 fails with error 303 when more than 64 rules match one fact at
one node, and loops forever with 512 or more distinct conditions under one node (see
test_durable_adapter.py: test_raw_more_than_64_rules_matching_one_fact_fail_with_303 and
test_raw_512_distinct_children_of_one_node_hang). The adapter spreads rules over a label
tree; this base puts 600 distinct thresholds on ONE field (hundreds of them matching the
same profile), plus chained rules on two layers, and checks that every evaluation finishes
and agrees with the reference evaluator.
"""

from __future__ import annotations

import faulthandler
import random
import time
from typing import Any

import pytest

from advisor.engine.reference import ReferenceEvaluator
from advisor.facts import Facts
from advisor.rules.loader import RuleBase
from tests.engine.test_durable_adapter import facts_of, field, require_durable, rule, write_rulebase

THRESHOLD_RULES = 600  # on funding.reserves_months alone
WATCHDOG_SECONDS = 120  # a hang (the failure this guards against) kills the run instead


def _threshold_rule(k: int) -> dict[str, Any]:
    value = round(0.4 * k, 1)  # 600 distinct values in 0..239.6 (the field allows 0..240)
    op = ("gt", "lte", "gte", "lt")[k % 4]
    return rule(f"FIN{k:03d}", field("funding.reserves_months", op, value))


def large_rules() -> list[dict[str, Any]]:
    rules = [_threshold_rule(k) for k in range(THRESHOLD_RULES)]
    # 200 thresholds on a second field.
    rules += [rule(f"GOV{k:03d}", field("organisation.volunteers", "gt", k * 5)) for k in range(200)]
    # 100 negated thresholds: "not (paid_staff < k)" is "paid_staff >= k or unanswered" (an $or).
    rules += [rule(f"HRV{k:03d}", {"not": field("organisation.paid_staff", "lt", k)}) for k in range(100)]
    # Layer 1: 100 chained rules, with absence and with two alternatives.
    rules += [
        rule(f"NET{k:03d}", {"all": [{"finding": f"FIN{k * 6:03d}"}, {"not": {"finding": f"GOV{k * 2:03d}"}}]})
        if k % 2 else
        rule(f"NET{k:03d}", {"any": [{"finding": f"FIN{k * 6 + 1:03d}"},
                                     {"all": [{"finding": f"HRV{k:03d}"},
                                              field("organisation.volunteers", "lt", 50 + k)]}]})
        for k in range(100)
    ]
    # Layer 2: 50 rules on layer-1 findings.
    rules += [rule(f"STR{k:03d}", {"all": [{"finding": f"NET{k * 2:03d}"},
                                           {"not": {"finding": f"NET{k * 2 + 1:03d}"}}]})
              for k in range(50)]
    return rules


def profiles(seed: int = 7, count: int = 30) -> list[Facts]:
    rng = random.Random(seed)
    found: list[Facts] = [facts_of({}), facts_of({"funding": {"reserves_months": 120}}),
                          facts_of({"funding": {"reserves_months": 0.00001}})]
    for _ in range(count):
        data: dict[str, Any] = {}
        if rng.random() < 0.9:
            data["funding"] = {"reserves_months": rng.choice([rng.uniform(0, 240), rng.randrange(241) * 0.4])}
        org: dict[str, Any] = {}
        if rng.random() < 0.8:
            org["volunteers"] = rng.randrange(1100)
        if rng.random() < 0.7:
            org["paid_staff"] = rng.randrange(120)
        if org:
            data["organisation"] = org
        found.append(facts_of(data))
    return found


@pytest.fixture(scope="module")
def large_base(tmp_path_factory: pytest.TempPathFactory) -> RuleBase:
    return write_rulebase(tmp_path_factory.mktemp("large") / "rules", large_rules())


def test_large_rulebase_evaluates_and_agrees_with_reference(large_base: RuleBase) -> None:
    require_durable()
    from advisor.engine.durable_adapter import DurableEvaluator

    assert len(large_base.rules) >= 1000
    assert large_base.max_stratum == 2
    reference = ReferenceEvaluator(large_base)
    cases = profiles()
    expected = [reference.evaluate(f) for f in cases]
    # Hundreds of rules hold for one profile: far over durable's 64 pending entries.
    assert max(sum(1 for f in firings if f.rule_id.startswith("FIN")) for firings in expected) > 250

    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    try:
        start = time.monotonic()
        evaluator = DurableEvaluator(large_base)
        for facts, want in zip(cases, expected, strict=True):
            assert evaluator.evaluate(facts) == want
        elapsed = time.monotonic() - start
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert elapsed < 30
