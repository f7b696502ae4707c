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


@pytest.fixture(scope="session")
def rulebase() -> RuleBase:
    return load_rulebase(RULES, with_cases=True)


@pytest.fixture(scope="session")
def example_profile_path() -> Path:
    return PROFILES / "example.yaml"
