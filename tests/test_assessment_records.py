"""The Assessment's parts are slotted dataclasses for speed: they must still validate,
serialise and compare like the pydantic models they replaced, and the Outcome a screening
builds must be exactly the first part of the full Assessment."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

import advisor.engine  # noqa: F401  (import order: engine before assessment)
from advisor.assessment import Assessment, Evidence, Finding, Outcome
from advisor.engine import assess, assess_outcome
from advisor.profile_io import load_profile
from advisor.rules.loader import load_rulebase
from advisor.views.screening import GrantTerms, screen

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "profiles").glob("*.yaml"))


@pytest.fixture(scope="module")
def rulebase():  # type: ignore[no-untyped-def]
    return load_rulebase(REPO / "rules")


def test_assessment_round_trips_through_json(rulebase) -> None:  # type: ignore[no-untyped-def]
    a = assess(load_profile(EXAMPLES[0]), rulebase, "reference")
    data = json.loads(a.model_dump_json())
    again = Assessment.model_validate(data)
    assert again == a
    assert again.model_dump_json() == a.model_dump_json()
    assert isinstance(again.findings[0], Finding)
    assert all(isinstance(e, Evidence) for f in again.findings for e in f.evidence)


def test_unknown_keys_inside_a_part_are_refused(rulebase) -> None:  # type: ignore[no-untyped-def]
    """A saved assessment read back (advisor compare) must not accept a misspelled key in a
    finding, any more than at the top level."""
    data = json.loads(assess(load_profile(EXAMPLES[0]), rulebase, "reference").model_dump_json())
    assert data["findings"], "the example must have findings for this test"
    data["findings"][0]["severty"] = "high"
    with pytest.raises(ValidationError, match="severty"):
        Assessment.model_validate(data)


def test_parts_are_immutable(rulebase) -> None:  # type: ignore[no-untyped-def]
    a = assess(load_profile(EXAMPLES[0]), rulebase, "reference")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.findings[0].severity = "info"  # type: ignore[misc]
    # No new attributes either (slots). Python 3.11 raises TypeError here, from the frozen
    # check of a slotted class; either way the record is left as it was.
    with pytest.raises((AttributeError, TypeError)):
        a.findings[0].extra = 1  # type: ignore[attr-defined]
    assert not hasattr(a.findings[0], "extra")


def test_outcome_fields_lead_the_assessment_in_the_same_order() -> None:
    outcome_fields = list(Outcome.model_fields)
    assert list(Assessment.model_fields)[: len(outcome_fields)] == outcome_fields
    assert "trace" in Assessment.model_fields and "trace" not in Outcome.model_fields


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_outcome_is_the_assessment_without_its_extra_parts(rulebase, path: Path, engine: str) -> None:  # type: ignore[no-untyped-def]
    if engine == "durable" and not advisor.engine.durable_available():
        pytest.skip("durable-rules is not available on this Python")
    profile = load_profile(path)
    full = assess(profile, rulebase, engine)  # type: ignore[arg-type]
    outcome = assess_outcome(profile, rulebase, engine)  # type: ignore[arg-type]
    assert type(outcome) is Outcome
    assert outcome.model_dump() == full.model_dump(include=set(Outcome.model_fields))
    grant = GrantTerms(amount=80_000, currency="USD", months=18)
    assert screen(outcome, profile, grant) == screen(full, profile, grant)
