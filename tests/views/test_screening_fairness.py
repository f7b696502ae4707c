"""The fiduciary rating is fair by construction (issue 12): what the sources blame on the state
and on donors — context (inspections, labelling, affiliation, pressure) and sustainability (short
grants, reserves, dependency) — never raises it or tightens an assurance condition, and removing
a fiduciary gap never raises it. Properties over generated profiles (1,000 examples with CI=true).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from advisor.engine import assess_outcome
from advisor.facts import catalogue
from advisor.profile_fixups import SHARE_FIELDS, make_consistent
from advisor.profile_io import profile_from_data
from advisor.rules.loader import RuleBase, load_rulebase
from advisor.views.screening import RATING_RANK, GrantTerms, Screening, screen

from ..conftest import RULES
from ..strategies import _value, profile_data

ASSURANCE_ORDER = {"Low": 0, "Moderate": 1, "Significant": 2, "High": 3}


@cache
def _rulebase() -> RuleBase:
    return load_rulebase(RULES)


@cache
def _non_fiduciary_fields() -> tuple[str, ...]:
    """Fields read by context or sustainability rules and by no fiduciary rule."""
    rb = _rulebase()
    by_dim: dict[str, set[str]] = {}
    for compiled in rb.rules:
        dim = compiled.rule.dimension
        if dim is None:
            continue
        for term in compiled.terms:
            by_dim.setdefault(dim, set()).update(term.fields)
    # A field a recommendation or a programmatic rule also reads is fine: only the fiduciary
    # dimension sets the rating.
    mine = by_dim.get("context", set()) | by_dim.get("sustainability", set())
    return tuple(sorted(p for p in mine - by_dim.get("fiduciary", set()) if catalogue()[p].kind != "text"))


def _screen(data: dict[str, Any], grant: GrantTerms) -> Screening:
    profile = profile_from_data(make_consistent(data))
    return screen(assess_outcome(profile, _rulebase(), "reference"), profile, grant)


def _assurance(s: Screening) -> tuple[int, int]:
    """How tight the assurance is: the instalment band (from the rating) and the visits."""
    visits = next((c.title for c in s.conditions if c.id == "CND002"), "")
    count = int(visits.split()[0]) if visits[:1].isdigit() else 0
    return ASSURANCE_ORDER[s.risk.rating], count


GRANTS = st.builds(GrantTerms, amount=st.sampled_from([None, 2_000.0, 80_000.0, 300_000.0, 900_000.0]),
                   currency=st.just("USD"), months=st.sampled_from([None, 6, 12, 36]))


@given(data=profile_data(), grant=GRANTS, st_data=st.data())
def test_context_and_sustainability_never_raise_the_fiduciary_rating(
    data: dict[str, Any], grant: GrantTerms, st_data: st.DataObject
) -> None:
    fields = _non_fiduciary_fields()
    assert "pressure.tax_audits_3y" in fields and "funding.typical_grant_months" in fields
    before = _screen({k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}, grant)
    changed = {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    for path in st_data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=6, unique=True)):
        section, name = path.split(".")
        changed.setdefault(section, {})[name] = st_data.draw(_value(catalogue()[path]))
        if name in SHARE_FIELDS:  # keep the four shares within 100 %
            funding = changed["funding"]
            others = sum(v for k, v in funding.items() if k in SHARE_FIELDS and k != name)
            funding[name] = float(max(0.0, min(funding[name], 100.0 - others)))
    after = _screen(changed, grant)
    # The fiduciary part does not move; the overall rating and the assurance may only loosen
    # (an answered financial question raises confidence, never the rating).
    assert after.risk.fiduciary.rating == before.risk.fiduciary.rating, (before.risk.fiduciary, after.risk.fiduciary)
    assert RATING_RANK[after.risk.rating] <= RATING_RANK[before.risk.rating]
    assert _assurance(after) <= _assurance(before)


@given(data=profile_data(), grant=GRANTS, st_data=st.data())
def test_removing_a_fiduciary_gap_never_raises_the_rating(
    data: dict[str, Any], grant: GrantTerms, st_data: st.DataObject
) -> None:
    profile = profile_from_data(make_consistent(data))
    outcome = assess_outcome(profile, _rulebase(), "reference")
    fiduciary = [f.id for f in outcome.findings if f.dimension == "fiduciary" and f.kind in ("gap", "risk")]
    before = screen(outcome, profile, grant)
    if not fiduciary:
        assert before.risk.fiduciary.rating == "Low"
        return
    gone = st_data.draw(st.sampled_from(fiduciary))
    fewer = outcome.model_copy(update={"findings": tuple(f for f in outcome.findings if f.id != gone)})
    after = screen(fewer, profile, grant)
    assert RATING_RANK[after.risk.fiduciary.rating] <= RATING_RANK[before.risk.fiduciary.rating]
    assert RATING_RANK[after.risk.rating] <= RATING_RANK[before.risk.rating]
    assert _assurance(after) <= _assurance(before)
