"""The path search: the fewest answer changes that reach a goal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.edits import apply_changes
from advisor.engine import assess
from advisor.errors import ProfileError, UsageError
from advisor.facts import catalogue, profile_facts
from advisor.pathsearch import (
    Goal,
    _Evaluator,
    _field_facts,
    _new_values,
    candidate_moves,
    find_paths,
    parse_goal,
)
from advisor.profile import Profile
from advisor.profile_io import load_profile, profile_from_data
from advisor.rules.loader import RuleBase
from advisor.views.screening import RATING_RANK, screen
from tests.strategies import profile_data

PROFILES = Path(__file__).resolve().parents[1] / "profiles"


@pytest.fixture(scope="module")
def example() -> Profile:
    return load_profile(PROFILES / "example.yaml")


def _values(path: Any) -> list[tuple[str, Any]]:
    from advisor.pathsearch import Move

    moves = [Move(c.field, c.action, c.after, c.before, c.effort_weeks) for c in path.changes]
    return sorted(_new_values(moves).items())


def test_closes_fin001_by_extending_grant_length(example: Profile, rulebase: RuleBase) -> None:
    report = find_paths(example, rulebase, [parse_goal("close:FIN001", rulebase)])
    (goal,) = report.goals
    assert goal.status == "found"
    best = goal.paths[0]
    assert [(c.field, c.before) for c in best.changes] == [("funding.typical_grant_months", 9)]
    assert best.changes[0].after >= 12  # the rule's own threshold (short_grant_months)
    assert "FIN001" in [c.id for c in best.closes]
    changed = apply_changes(example, _values(best))
    assert "FIN001" not in [f.id for f in assess(changed, rulebase).findings]


def test_reserves_candidate_is_the_rules_threshold(example: Profile, rulebase: RuleBase) -> None:
    moves = candidate_moves(example, rulebase, ["funding.reserves_months"], catalogue())
    assert [(m.before, m.value) for m in moves] == [(1.0, 3.0)]


def test_donor_band_path(rulebase: RuleBase) -> None:
    example = load_profile(PROFILES / "government-founded.yaml")
    report = find_paths(example, rulebase, [Goal("donor-band")])
    (goal,) = report.goals
    assert goal.status == "found" and goal.paths
    before = RATING_RANK[report.rating]
    for p in goal.paths:
        changed = apply_changes(example, _values(p))
        after = screen(assess(changed, rulebase), changed).risk.rating
        assert RATING_RANK[after] < before and p.rating_after == after


def _goal_met(profile: Profile, rulebase: RuleBase, goal: str, base_rating: str) -> bool:
    result = assess(profile, rulebase)
    if goal == "donor-band":
        return RATING_RANK[screen(result, profile).risk.rating] < RATING_RANK[base_rating]
    area = next(a for a in result.areas if a.area == "financial_sustainability")
    return (area.maturity is not None and area.maturity >= 3) or (area.maturity is None and area.self_rating is None)


@pytest.mark.parametrize("name", ["project-drifter.yaml", "small-rural-newcomer.yaml"])
def test_paths_are_ordered_minimal_and_actionable(name: str, rulebase: RuleBase) -> None:
    specs = catalogue()
    example = load_profile(PROFILES / name)
    goal = parse_goal("area:financial_sustainability=3", rulebase)
    report = find_paths(example, rulebase, [goal, Goal("donor-band")], specs=specs, top=1000)
    assert all(r.paths for r in report.goals)
    for result in report.goals:
        sets = [frozenset((c.field, c.action, repr(c.after)) for c in p.changes) for p in result.paths]
        assert not any(a < b for a in sets for b in sets)  # no path holds another
    for result in report.goals:
        ranks = [(len(p.changes), p.effort_unknown, p.effort_weeks) for p in result.paths]
        assert ranks == sorted(ranks)
        for p in result.paths:
            assert all(specs[c.field].actionable for c in p.changes)
            assert not any(c.field.startswith("ratings.") for c in p.changes)
            assert _goal_met(apply_changes(example, _values(p)), rulebase, result.goal, report.rating)
            # nothing superfluous: leaving out any one change misses the goal
            for left_out in range(len(p.changes)):
                rest = p.model_copy(update={"changes": tuple(c for i, c in enumerate(p.changes) if i != left_out)})
                try:
                    changed = apply_changes(example, _values(rest))
                except ProfileError:
                    continue  # without it the answers do not add up: not a path either
                assert not _goal_met(changed, rulebase, result.goal, report.rating)


def test_no_path_within_the_limit_is_said(example: Profile, rulebase: RuleBase) -> None:
    goal = parse_goal("area:financial_sustainability=3", rulebase)
    (result,) = find_paths(example, rulebase, [goal], max_changes=1).goals
    assert result.status == "none_within_limit" and not result.paths
    assert result.lower_bound == 3
    assert "no path within 1 change" in result.message and "at least 3 changes" in result.message
    (again,) = find_paths(example, rulebase, [goal], max_changes=3).goals
    assert again.status == "found" and min(len(p.changes) for p in again.paths) == 3


def test_non_actionable_findings_stand_in_the_way(rulebase: RuleBase) -> None:
    profile = profile_from_data({"schema_version": "1.0", "foreign_funding": {"on_public_register": True},
                                 "pressure": {"tax_audits_3y": 4}})
    found = {f.id for f in assess(profile, rulebase).findings}
    target = "CTX001" if "CTX001" in found else sorted(found)[0]
    (result,) = find_paths(profile, rulebase, [parse_goal(f"close:{target}", rulebase)]).goals
    assert result.status == "impossible"
    assert [b.id for b in result.blocking] == [target]
    assert "foreign_funding.on_public_register" in result.blocking[0].fields


def test_self_rating_is_never_changed(example: Profile, rulebase: RuleBase) -> None:
    (result,) = find_paths(example, rulebase, [parse_goal("area:context=4", rulebase)]).goals
    assert result.status == "impossible" and "self-rating" in result.message


def test_deterministic(example: Profile, rulebase: RuleBase) -> None:
    first = find_paths(example, rulebase).model_dump_json()
    assert find_paths(example, rulebase).model_dump_json() == first


@pytest.mark.parametrize("text", ["donor", "area:finance=3", "area:strategy=5", "close:FIN999", "close:NGO001"])
def test_bad_goals(text: str, rulebase: RuleBase) -> None:
    with pytest.raises(UsageError) as err:
        parse_goal(text, rulebase)
    assert err.value.field == "--goal"


@settings(max_examples=60)
@given(data=profile_data(), picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=3))
def test_fast_evaluation_agrees_with_the_engine(rulebase: RuleBase, data: dict[str, Any], picks: list[int]) -> None:
    """The search re-evaluates only the rules a change reaches; the engine evaluates all."""
    profile = profile_from_data(data)
    specs = catalogue()
    evaluator = _Evaluator(rulebase, specs)
    moves = candidate_moves(profile, rulebase, evaluator.by_field.keys(), specs)
    if not moves:
        return
    chosen = {moves[i % len(moves)].sort_key: moves[i % len(moves)] for i in picks}
    if len({(m.path, m.action == "set") for m in chosen.values() if m.action == "set"}) != sum(
            m.action == "set" for m in chosen.values()):
        return  # two values for one field: not a set the search makes
    values = _new_values(list(chosen.values()))
    facts = profile_facts(profile)
    base = evaluator.fired(facts)
    for path, value in values.items():
        spec = specs[path]
        for key in [spec.key, *(k for _, k in spec.choice_keys)]:
            facts.pop(key, None)
        facts.update(_field_facts(spec, value))
    reach = set().union(*(evaluator.reach(p) for p in values))
    fast = evaluator.fired(facts, base, reach)
    try:
        changed = apply_changes(profile, sorted(values.items()))
    except Exception:
        return  # e.g. income shares over 100 %: the search drops such sets too
    assert facts == profile_facts(changed)
    assert fast == frozenset(f.id for f in assess(changed, rulebase, "reference").findings)


@pytest.mark.parametrize("name, goal, sizes", [("capable-partner-without-say.yaml", "donor-band", {1, 2}),
                                               ("isolated.yaml", "donor-band", {1, 2}),
                                               ("religion-and-gender.yaml", "high-gaps", {2}),
                                               ("example.yaml", "area:financial_sustainability=3", set())])
def test_search_finds_every_minimal_set(name: str, goal: str, sizes: set[int], rulebase: RuleBase) -> None:
    """Brute force over the same candidates (every set of up to 2, each assessed in full)
    finds exactly the sets the search reports: none missed, none extra."""
    from itertools import combinations

    profile = load_profile(PROFILES / name)
    specs = catalogue()
    target = parse_goal(goal, rulebase)
    moves = candidate_moves(profile, rulebase, _Evaluator(rulebase, specs).by_field.keys(), specs)
    base = assess(profile, rulebase)
    base_rating = screen(base, profile).risk.rating

    def met(ms: tuple[Any, ...]) -> bool:
        try:
            changed = apply_changes(profile, sorted(_new_values(list(ms)).items()))
        except Exception:
            return False
        result = assess(changed, rulebase)
        if target.kind == "donor-band":
            return RATING_RANK[screen(result, changed).risk.rating] < RATING_RANK[base_rating]
        if target.kind == "high-gaps":
            return not any(f.kind in ("gap", "risk") and f.severity in ("high", "critical") for f in result.findings)
        area = next(a for a in result.areas if a.area == target.area)
        return area.maturity is not None and area.maturity >= (target.level or 0)

    expected: set[frozenset[Any]] = set()
    for size in (1, 2):
        for ms in combinations(moves, size):
            if len({m.path for m in ms if m.action == "set"}) < sum(m.action == "set" for m in ms):
                continue
            keys = frozenset(m.sort_key for m in ms)
            if any(sub <= keys for sub in expected):
                continue
            if met(ms):
                expected.add(keys)
    (result,) = find_paths(profile, rulebase, [target], max_changes=2, top=1000).goals
    found = {frozenset((c.field, c.action, repr(c.after)) for c in p.changes) for p in result.paths}
    assert found == expected
    assert result.found == len(expected)
    assert bool(expected) == bool(sizes)  # the case is the one meant (sizes: as with the rules of writing)


@pytest.mark.parametrize("kind, thresholds, expected", [
    ("int", [12.0], [11.0, 12.0, 13.0]),
    ("int", [2.5], [1.0, 2.0, 3.0, 4.0]),
    ("number", [3.0], [2.0, 3.0, 4.0]),
    ("number", [30.0, 31.0], [29.0, 30.0, 30.5, 31.0, 32.0]),
])
def test_every_region_between_thresholds_has_a_candidate(kind: str, thresholds: list[float],
                                                          expected: list[float]) -> None:
    from advisor.facts import FieldSpec
    from advisor.pathsearch import _numeric_points

    spec = FieldSpec(path="funding.x", kind=kind, question="?", sensitive=False, ge=0, le=100)  # type: ignore[arg-type]
    assert _numeric_points(spec, thresholds) == expected
