"""Hypothesis strategies that generate valid profiles from the field catalogue."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from advisor.facts import FieldSpec, catalogue
from advisor.profile import SCHEMA_VERSION
from advisor.profile_fixups import SHARE_FIELDS, make_consistent



def _value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    lo = spec.ge if spec.ge is not None else 0
    hi = spec.le if spec.le is not None else 1000
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "int":
        # Favour small values, where the thresholds are.
        small = st.integers(int(lo), max(int(lo), min(int(hi), int(lo) + 40)))
        return st.one_of(small, st.integers(int(lo), int(hi)))
    if spec.kind == "number":
        return st.one_of(
            st.integers(int(lo), min(int(hi), 100)).map(float),
            st.floats(lo, hi, allow_nan=False, allow_infinity=False),
        )
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    if spec.kind == "choices":
        return st.lists(st.sampled_from(spec.choices), unique=True, max_size=len(spec.choices))
    if spec.kind == "rating":
        return st.builds(lambda level: {"level": level}, st.sampled_from((1, 2, 3, 4)))
    if spec.kind == "string":
        return st.sampled_from(("KZ", "KG", "USD", "KZT")).filter(
            lambda v: len(v) == (2 if spec.path.endswith("country") else 3)
        )
    return st.text(max_size=20)


@st.composite
def profile_data(draw: st.DrawFn, answer_rate: float = 0.6) -> dict[str, Any]:
    """A profile dict: each field answered with probability ``answer_rate``."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for spec in catalogue().values():
        if spec.path.endswith(("donor_names", "evidence")) or spec.path == "organisation.name":
            continue
        if spec.path.split(".")[1] in SHARE_FIELDS or spec.path == "funding.largest_source_pct":
            continue
        if draw(st.floats(0, 1)) < answer_rate:
            section, name = spec.path.split(".")
            data.setdefault(section, {})[name] = draw(_value(spec))
    # Income shares: draw a split that sums to at most 100.
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)))
    shares = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], cuts[3] - cuts[2]]
    for name, share in zip(SHARE_FIELDS, shares, strict=True):
        if draw(st.floats(0, 1)) < answer_rate:
            data.setdefault("funding", {})[name] = float(share)
    if draw(st.floats(0, 1)) < answer_rate:
        data.setdefault("funding", {})["largest_source_pct"] = float(draw(st.integers(0, 100)))
    make_consistent(data)
    return data
