"""Properties of the donor's copy (issue 12, section 3): it screens like the original, and it
tells no more than the bands.

- Every finding that does not rest on a field the policy drops is the same on the copy as on
  the original. The findings that may differ are computed from the rule base: those with a
  term that tests a dropped field or needs (or needs the absence of) such a finding.
- Banding loses nothing: the donor's screening of the copy (findings, risk ratings and their
  reasons, conditions, notes) is the screening of the original with the dropped answers
  removed, up to the evidence values (a banded answer shows its band's middle).
- No sensitive value survives: no dropped answer is in the copy, and any other original whose
  answers lie in the same bands gives the very same copy.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from advisor import redact
from advisor.bands import band_of
from advisor.engine import assess_outcome
from advisor.errors import ProfileError
from advisor.facts import catalogue
from advisor.profile import SHARE_TOLERANCE, Profile
from advisor.profile_fixups import make_consistent
from advisor.profile_io import profile_from_data
from advisor.rules.loader import RuleBase, load_rulebase
from advisor.views.screening import GrantTerms, screen
from tests.conftest import RULES
from tests.strategies import profile_data


@cache
def rules() -> RuleBase:
    """Loaded once (not a fixture: a failing example would print the whole rule base)."""
    return load_rulebase(RULES)

BANDED = ("band_amount", "band_pct", "band_count")
# Nudges that put shares next to the thresholds: below the facts' rounding, a fraction, half a point.
NUDGES = (0.0, 0.0, 0.0, 0.00004, -0.00004, 0.3, -0.3, 0.5, -0.5, 0.999)


def dropped_paths(audience: redact.Audience, keep_register: bool) -> set[str]:
    policy = redact.POLICIES[audience]
    return {path for path in redact.sensitive_paths()
            if policy.get(path, "drop") == "drop" or (policy.get(path) == "register" and not keep_register)}


def findings_on(rulebase: RuleBase, dropped: set[str]) -> set[str]:
    """The rules whose answer may depend on a dropped field, directly or through a finding."""
    found: set[str] = set()
    grew = True
    while grew:
        grew = False
        for rule in rulebase.rules:
            if rule.id not in found and any(
                set(term.fields) & dropped or any(ref.rule_id in found for ref in term.refs)
                for term in rule.terms
            ):
                found.add(rule.id)
                grew = True
    return found


def without(profile: Profile, paths: set[str]) -> Profile:
    data = profile.model_dump(mode="json", exclude_none=True)
    for path in paths:
        *parents, leaf = path.split(".")
        node: Any = data
        for part in parents:
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            node.pop(leaf, None)
    return profile_from_data(data)


def comparable(data: Any) -> Any:
    """A screening's dump without evidence values (which show the band's middle on the copy)."""
    if isinstance(data, dict):
        if set(data) == {"field", "value"}:
            return {"field": data["field"]}
        return {k: comparable(v) for k, v in data.items() if k != "profile_hash"}
    if isinstance(data, list):
        return [comparable(v) for v in data]
    return data


@st.composite
def near_thresholds(draw: st.DrawFn) -> dict[str, Any]:
    """A generated profile whose shares and amounts sit on, just beside or between thresholds
    (the strategy's own shares are whole numbers); still valid (the checks allow 0.5 points)."""
    data = draw(profile_data())
    funding = data.get("funding", {})
    for name in (*(p.split(".")[1] for p in redact.SHARES), "largest_source_pct", "share_competitive_pct"):
        if name in funding:
            funding[name] = min(100.0, max(0.0, round(funding[name] + draw(st.sampled_from(NUDGES)), 5)))
    if "annual_budget" in funding:
        funding["annual_budget"] = min(1e13, max(0.0, funding["annual_budget"] + draw(st.sampled_from(NUDGES))))
    shares = [name for name in ("share_state_pct", "share_foreign_pct", "share_local_private_pct",
                                "share_own_income_pct") if name in funding]
    excess = sum(funding[name] for name in shares) - (100 + SHARE_TOLERANCE - 0.001)  # float sums
    if excess > 0:
        biggest = max(shares, key=lambda name: funding[name])
        funding[biggest] = round(funding[biggest] - excess, 5)
    make_consistent(data)
    if "largest_source_pct" in funding and len(shares) == 4:
        total = sum(funding[name] for name in shares)
        funding["largest_source_pct"] = min(funding["largest_source_pct"], total + SHARE_TOLERANCE)
    return data


@given(data=st.one_of(profile_data(), near_thresholds()), keep_register=st.booleans(),
       months=st.none() | st.integers(1, 60))
def test_copy_screens_like_the_original(data: dict[str, Any], keep_register: bool,
                                        months: int | None) -> None:
    rulebase = rules()
    original = profile_from_data(data)
    shared, _ = redact.redact(original, "donor", rulebase, keep_register=keep_register)
    dropped = dropped_paths("donor", keep_register)
    may_differ = findings_on(rulebase, dropped)

    before = assess_outcome(original, rulebase, "reference")
    after = assess_outcome(shared, rulebase, "reference")
    assert {f.id for f in before.findings} - may_differ == {f.id for f in after.findings} - may_differ
    assert ({r.id for r in before.recommendations} - may_differ
            == {r.id for r in after.recommendations} - may_differ)

    # Banding loses nothing: the copy screens as the original with the dropped answers removed.
    reduced = without(original, dropped)
    grant = GrantTerms(months=months)
    expected = screen(assess_outcome(reduced, rulebase, "reference"), reduced, grant)
    got = screen(after, shared, grant)
    assert comparable(got.model_dump(mode="json")) == comparable(expected.model_dump(mode="json"))
    if not any(_answered(original, path) for path in dropped):
        assert comparable(got.model_dump(mode="json")) == comparable(
            screen(before, original, grant).model_dump(mode="json"))


def _answered(profile: Profile, path: str) -> bool:
    node: Any = profile
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return False
    return True


@given(data=st.one_of(profile_data(), near_thresholds()), positions=st.lists(st.floats(0, 1), min_size=12,
                                                                              max_size=12))
def test_copy_tells_no_more_than_the_bands(data: dict[str, Any], positions: list[float]) -> None:
    rulebase = rules()
    original = profile_from_data(data)
    shared, changes = redact.redact(original, "donor", rulebase)
    for path in dropped_paths("donor", keep_register=False):
        assert not _answered(shared, path), path

    # Move every banded answer elsewhere in its band (towards its low end, so the shares
    # still add up): the copy must not change.
    bands = redact.field_bands(rulebase, "donor")
    moved = original.model_dump(mode="json", exclude_none=True)
    banded = [p for p, action in sorted(redact.POLICIES["donor"].items()) if action in BANDED]
    for path, position in zip(banded, positions, strict=False):
        section, name = path.split(".")
        value = moved.get(section, {}).get(name)
        if value is None:
            continue
        band = band_of(bands[path], value)
        assert _answered(shared, path) and band.contains(float(getattr(getattr(shared, section), name)))
        if catalogue()[path].kind == "int":
            other: float = band.first + round(position * (min(int(value), band.last) - band.first))
        else:
            other = round(band.low + position * (round(float(value), 4) - band.low), 4)
            assume(band.contains(other))
        moved[section][name] = int(other) if catalogue()[path].kind == "int" else other
    try:
        moved_profile = profile_from_data(moved)
    except ProfileError:  # the largest funder moved above the moved shares' sum
        assume(False)
        raise
    again, again_changes = redact.redact(moved_profile, "donor", rulebase)
    assert again == shared
    assert again_changes == changes
