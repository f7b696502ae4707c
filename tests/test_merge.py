"""Merging several respondents: agreement kept, conflicts not guessed, ratings combined."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.errors import ProfileError
from advisor.merge import Respondent, median_down, merge, respondent_names
from advisor.profile_io import profile_from_data


def resp(name: str, **sections: Any) -> Respondent:
    return Respondent(name, profile_from_data({"schema_version": "1.0", **sections}))


def test_agreeing_facts_are_kept_and_conflicts_left_unanswered() -> None:
    result = merge([
        resp("director.yaml", organisation={"name": "Org", "paid_staff": 5, "areas_served": ["rural", "urban"]},
             funding={"annual_budget": 1000.0}),
        resp("finance.yaml", organisation={"name": "Org", "paid_staff": 7, "areas_served": ["urban", "rural"]},
             funding={"annual_budget": 1000.0, "currency": "KZT"}),
    ])
    p = result.profile
    assert p.organisation.name == "Org" and p.organisation.areas_served == ["rural", "urban"]
    assert p.funding.annual_budget == 1000.0 and p.funding.currency == "KZT"
    assert p.organisation.paid_staff is None
    (conflict,) = result.conflicts
    assert conflict.field == "organisation.paid_staff"
    assert conflict.said == (("director.yaml", 5), ("finance.yaml", 7))


def test_bool_and_number_are_not_confused() -> None:
    result = merge([resp("a", organisation={"paid_staff": 1}), resp("b", organisation={"paid_staff": 1})])
    assert result.profile.organisation.paid_staff == 1 and not result.conflicts


@pytest.mark.parametrize(("levels", "median"), [([1, 2], 1), ([2, 3, 4], 3), ([1, 4], 2), ([3, 3, 4, 4], 3), ([4], 4)])
def test_median_rounds_down(levels: list[int], median: int) -> None:
    assert median_down(levels) == median


def test_ratings_combined_with_spread_and_disagreement_flagged() -> None:
    result = merge([
        resp("a", ratings={"governance": {"level": 1, "evidence": "no board"}, "networks": {"level": 3}}),
        resp("b", ratings={"governance": {"level": 4}, "networks": {"level": 3}}),
        resp("c", ratings={"governance": {"level": 2}}),
    ])
    gov = result.profile.ratings.governance
    assert gov is not None and gov.level == 2 and "a: no board" in (gov.evidence or "")
    assert [r.area for r in result.disagreements] == ["governance"]
    networks = next(r for r in result.ratings if r.area == "networks")
    assert (networks.merged, networks.spread, networks.disagree) == (3, 0, False)


def test_partial_answers_that_fail_a_cross_field_check_are_not_kept() -> None:
    result = merge([
        resp("a", funding={"share_foreign_pct": 80.0, "annual_budget": 5.0}),
        resp("b", funding={"share_state_pct": 40.0, "annual_budget": 5.0}),
    ])
    assert result.profile.funding.share_foreign_pct is None and result.profile.funding.share_state_pct is None
    assert result.profile.funding.annual_budget == 5.0
    assert {c.field for c in result.conflicts} == {"funding.share_foreign_pct", "funding.share_state_pct"}


def test_needs_two_respondents_and_names_are_unique() -> None:
    with pytest.raises(ProfileError):
        merge([resp("a")])
    assert respondent_names(["x/a.yaml", "y/a.yaml", "b.yaml"]) == ["x/a.yaml", "y/a.yaml", "b.yaml"]
