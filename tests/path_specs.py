"""The field catalogue the path tests search with.

The Profile model marks each field ``actionable`` with an ``effort_weeks`` estimate. Until a
catalogue carries them, the tests use this stand-in: the organisation's own controls,
practices, plans, reserves and income mix are actionable; the register, inspections,
pressure and the state's decisions are not.
"""

from __future__ import annotations

from typing import Any

from advisor.facts import FieldSpec, catalogue

STAND_IN: dict[str, int | None] = {
    "funding.typical_grant_months": 12, "funding.has_multi_year_grant": 12, "funding.reserves_months": 26,
    "funding.has_sustainability_plan": 6, "funding.donor_count": 26, "funding.largest_source_pct": 26,
    "funding.share_foreign_pct": 52, "funding.share_local_private_pct": 26, "funding.share_own_income_pct": 26,
    "controls.written_procedures": 4, "controls.external_audit_recent": 12,
    "controls.publishes_financial_report": 4, "controls.segregation_of_duties": 4,
    "practices.has_security_protocol": 4, "practices.has_strategic_plan": 8, "practices.has_advocacy_plan": 4,
    "practices.has_complaints_mechanism": 4, "practices.has_me_framework": 6, "practices.shares_lessons": 2,
    "practices.has_conflict_of_interest_policy": 2, "practices.uses_local_experts": 4,
    "practices.beneficiary_involvement": 4, "practices.network_memberships": 4,
    "practices.joint_activities_12m": 8, "government.public_council_member": 8,
    "government.officials_on_board": 8, "foreign_funding.international_partners": 8,
    "organisation.volunteers": None,
}


class _Spec:
    def __init__(self, spec: FieldSpec, actionable: bool, effort: int | None) -> None:
        self._spec = spec
        self.actionable = actionable
        self.effort_weeks = effort

    def __getattr__(self, name: str) -> Any:
        return getattr(self._spec, name)


def path_specs() -> dict[str, Any]:
    """The real catalogue once it says what is actionable, else the stand-in."""
    real = catalogue()
    if all(hasattr(s, "actionable") for s in real.values()):
        return real  # type: ignore[return-value]
    return {p: _Spec(s, p in STAND_IN, STAND_IN.get(p)) for p, s in real.items()}
