"""Shared fixtures. Hypothesis runs 1,000 examples per property under CI (CI=true)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from advisor.rules.loader import RuleBase, load_rulebase

REPO = Path(__file__).resolve().parents[1]
# ADVISOR_TEST_RULES points the suite at another rule base (e.g. a frozen copy).
RULES = Path(os.environ.get("ADVISOR_TEST_RULES", REPO / "rules"))
PROFILES = REPO / "profiles"

settings.register_profile(
    "ci", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


SNAPSHOTS = REPO / "tests" / "snapshots"
# A frozen copy of the rules, so rule edits do not change view snapshots (tests/README.md).
PINNED_RULES = SNAPSHOTS / "rulebase"


def check_snapshot(name: str, text: str) -> None:
    """Compare with tests/snapshots/<name>; UPDATE_SNAPSHOTS=1 rewrites it instead."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}; create it with UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; rerun with UPDATE_SNAPSHOTS=1 if intended"


@pytest.fixture(scope="session")
def rulebase() -> RuleBase:
    return load_rulebase(RULES, with_cases=True)


@pytest.fixture(scope="session")
def example_profile_path() -> Path:
    return PROFILES / "example.yaml"
