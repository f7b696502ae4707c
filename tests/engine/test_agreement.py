"""Properties of evaluation: the engines agree, results are deterministic, file order is irrelevant."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from advisor.engine import assess, durable_available
from advisor.profile_io import profile_from_data
from advisor.reporters.json_format import to_json
from advisor.rules.loader import RuleBase, load_rulebase
from tests.conftest import RULES
from tests.strategies import profile_data

needs_durable = pytest.mark.skipif(not durable_available(), reason="durable-rules needs Python < 3.13")


def _comparable(rulebase: RuleBase, data: dict[str, Any], engine: str) -> dict[str, Any]:
    result = assess(profile_from_data(data), rulebase, engine)  # type: ignore[arg-type]
    dumped = result.model_dump(mode="json")
    dumped.pop("engine")
    return dumped


@needs_durable
@given(data=profile_data())
def test_durable_rules_and_reference_agree(rulebase: RuleBase, data: dict[str, Any]) -> None:
    """Same findings, recommendations, evidence, priorities and trace from both evaluators."""
    assert _comparable(rulebase, data, "durable") == _comparable(rulebase, data, "reference")


@given(data=profile_data())
def test_assessment_is_deterministic(rulebase: RuleBase, data: dict[str, Any]) -> None:
    profile = profile_from_data(data)
    first = to_json(assess(profile, rulebase))
    second = to_json(assess(profile_from_data(data), rulebase))
    assert first == second


def _shuffled_copy(tmp: Path, seed: int) -> Path:
    """The rule base with every rule moved to a randomly named directory and file."""
    target = tmp / f"rules-{seed}"
    rng = random.Random(seed)
    shutil.copytree(RULES, target)
    for rule_file in sorted(p for p in target.rglob("*.yaml") if p.parent != target
                            and not p.name.endswith(".cases.yaml")
                            and p.relative_to(target).parts[0] not in ("modules", "coverage")):
        new_dir = target / f"d{rng.randrange(1000)}"
        new_dir.mkdir(exist_ok=True)
        stem = f"r{rng.randrange(10**6)}-{rule_file.stem}"
        rule_file.rename(new_dir / f"{stem}.yaml")
        cases = rule_file.with_name(rule_file.stem + ".cases.yaml")
        if cases.exists():
            cases.rename(new_dir / f"{stem}.cases.yaml")
    return target


def test_rule_file_order_does_not_change_results(tmp_path: Path, rulebase: RuleBase) -> None:
    shuffled = [load_rulebase(_shuffled_copy(tmp_path, seed)) for seed in (1, 2)]
    assert {rb.digest for rb in shuffled} == {rulebase.digest}
    data = {
        "schema_version": "1.0",
        "funding": {"typical_grant_months": 6, "reserves_months": 1, "share_foreign_pct": 90},
        "foreign_funding": {"on_public_register": True},
    }
    expected = to_json(assess(profile_from_data(data), rulebase))
    for rb in shuffled:
        assert to_json(assess(profile_from_data(data), rb)) == expected
