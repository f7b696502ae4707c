"""Reassessment: what changed between two assessments of one organisation. Pure.

Findings and recommendations are matched by their stable IDs: resolved (in OLD only), new
(in NEW only), persisting (in both, with any change of severity or urgency). Maturity is
compared per area and the donor's rating before and after. When the two assessments come
from different rule bases (an OLD assessment JSON saved earlier), the comparison says so,
and an ID the current rule base no longer has is reported as such rather than as resolved.
"""

from __future__ import annotations

from typing import Literal

import advisor.engine  # noqa: F401  (loads advisor.assessment without the engine/assessment import cycle)
from advisor.assessment import Assessment, Frozen, RuleBaseInfo
from advisor.views.screening import RATING_RANK, Screening

COMPARE_SCHEMA_VERSION = "1.0"

Status = Literal["resolved", "new", "persists", "rule_gone"]


class Side(Frozen):
    label: str
    source: Literal["profile", "assessment"]
    organisation: str | None
    rulebase: RuleBaseInfo


class Change(Frozen):
    id: str
    title: str
    status: Status
    before: str | None  # severity (findings) or urgency (recommendations)
    after: str | None


class AreaChange(Frozen):
    area: str
    title: str
    before: int | None
    after: int | None
    change: Literal["better", "worse", "same", "unknown"]


class RatingChange(Frozen):
    before: str
    after: str
    change: Literal["better", "worse", "same"]
    reasons_before: tuple[str, ...]
    reasons_after: tuple[str, ...]


class Comparison(Frozen):
    schema_version: str
    old: Side
    new: Side
    rulebase_note: str | None
    findings: tuple[Change, ...]
    recommendations: tuple[Change, ...]
    areas: tuple[AreaChange, ...]
    rating: RatingChange
    counts: dict[str, int]


def _changes(old: dict[str, tuple[str, str]], new: dict[str, tuple[str, str]],
             known: frozenset[str] | None) -> tuple[Change, ...]:
    out = []
    for key in sorted(old.keys() | new.keys()):
        if key in old and key in new:
            status: Status = "persists"
        elif key in new:
            status = "new"
        elif known is not None and key not in known:
            status = "rule_gone"
        else:
            status = "resolved"
        title = (new.get(key) or old[key])[0]
        out.append(Change(id=key, title=title, status=status,
                          before=old[key][1] if key in old else None,
                          after=new[key][1] if key in new else None))
    order = {"resolved": 0, "rule_gone": 1, "new": 2, "persists": 3}
    return tuple(sorted(out, key=lambda c: (order[c.status], c.id)))


def _direction(before: int | None, after: int | None) -> Literal["better", "worse", "same", "unknown"]:
    if before is None or after is None:
        return "unknown"
    return "better" if after > before else "worse" if after < before else "same"


def compare(old: Assessment, new: Assessment, old_screen: Screening, new_screen: Screening, *,
            old_label: str, new_label: str, old_source: Literal["profile", "assessment"] = "profile",
            new_source: Literal["profile", "assessment"] = "profile",
            current_ids: frozenset[str] | None = None) -> Comparison:
    """Compare OLD with NEW. ``current_ids``: the current rule base's IDs (to tell retired rules)."""
    note = None
    if old.rulebase.hash != new.rulebase.hash:
        note = (f"OLD was assessed with rule base {old.rulebase.version} ({old.rulebase.hash[:12]}), "
                f"NEW with {new.rulebase.version} ({new.rulebase.hash[:12]}): some changes may come from "
                "the rules, not from the organisation.")
    if old.rulebase.hash == new.rulebase.hash:
        current_ids = None
    findings = _changes({f.id: (f.title, f.severity) for f in old.findings},
                        {f.id: (f.title, f.severity) for f in new.findings}, current_ids)
    recs = _changes({r.id: (r.title, r.urgency) for r in old.recommendations},
                    {r.id: (r.title, r.urgency) for r in new.recommendations}, current_ids)
    new_areas = {a.area: a for a in new.areas}
    areas = tuple(
        AreaChange(area=a.area, title=a.title, before=a.maturity, after=new_areas[a.area].maturity,
                   change=_direction(a.maturity, new_areas[a.area].maturity))
        for a in old.areas if a.area in new_areas
    )
    rb, ra = old_screen.risk.rating, new_screen.risk.rating
    rating = RatingChange(
        before=rb, after=ra,
        change="better" if RATING_RANK[ra] < RATING_RANK[rb] else "worse" if RATING_RANK[ra] > RATING_RANK[rb] else "same",
        reasons_before=tuple(r.id for r in old_screen.risk.reasons),
        reasons_after=tuple(r.id for r in new_screen.risk.reasons),
    )
    counts = {status: sum(1 for c in findings if c.status == status)
              for status in ("resolved", "new", "persists", "rule_gone")}
    return Comparison(
        schema_version=COMPARE_SCHEMA_VERSION,
        old=Side(label=old_label, source=old_source, organisation=old.profile.name, rulebase=old.rulebase),
        new=Side(label=new_label, source=new_source, organisation=new.profile.name, rulebase=new.rulebase),
        rulebase_note=note,
        findings=findings,
        recommendations=recs,
        areas=areas,
        rating=rating,
        counts=counts,
    )
