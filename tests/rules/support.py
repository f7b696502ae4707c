"""Helpers for the rule-base tests: the rule base under test (tests/conftest.py RULES, i.e.
rules/ or $ADVISOR_TEST_RULES), loaded once with its cases, and profile building."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest

from advisor.engine import durable_available
from advisor.profile import Profile
from advisor.profile_io import profile_from_data
from advisor.rules.lint import with_version
from advisor.rules.loader import RuleBase, load_rulebase

from ..conftest import RULES


@lru_cache(maxsize=1)
def bundled_rulebase() -> RuleBase:
    return load_rulebase(RULES, with_cases=True)


def engines() -> list[Any]:
    """Both evaluators; durable-rules is skipped where it cannot run (Python >= 3.13)."""
    return [
        pytest.param("reference", id="reference"),
        pytest.param(
            "durable", id="durable",
            marks=pytest.mark.skipif(not durable_available(), reason="durable-rules unavailable"),
        ),
    ]


def profile_of(excerpt: dict[str, Any], label: str = "case") -> Profile:
    return profile_from_data(with_version(excerpt), label)
