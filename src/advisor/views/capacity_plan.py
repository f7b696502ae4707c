"""The trainer's capacity plan: catalogue modules chosen, sequenced and scheduled for one organisation.

``capacity_plan(assessment, rulebase, weeks=, hours_per_week=)`` returns plain frozen data.

**Choosing.** First the modules named by the trainer recommendations that fired, in the
recommendations' priority order (a recommendation's modules in the order it lists them);
then every other catalogue module whose addresses (``RuleBase.module_addresses``) include a
gap or risk that fired, most severe addressed finding first, then the one addressing more
fired gaps and risks, then by module ID.

**Sequencing.** Modules are taken in that order; before each, its prerequisites are placed
(recursively, prerequisites in ID order), so a module never comes before a prerequisite. A
prerequisite that was not chosen for itself is pulled in with ``reason: "prerequisite"``.

**Scheduling.** The budget is ``weeks x hours_per_week`` hours; week *w* holds the hours
``[(w-1)*H, w*H)``. Modules are laid end to end in sequence order: a module starts where the
previous scheduled one ended (sharing that week's remaining hours) and runs on into later
weeks when it is longer than what is left of its first week; ``sessions`` gives its hours per
week. A module that would end after the budget is not scheduled: it goes to ``unscheduled``
with its reason and the next modules are still tried (first fit in order), except that a
module one of whose prerequisites is unscheduled is unscheduled as well. Nothing is dropped.
Hours are counted in whole minutes, so results are exact and deterministic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.i18n import localized_module_text
from advisor.rules.model import SEVERITY_RANK

if TYPE_CHECKING:  # for type hints only
    from advisor.assessment import Assessment
    from advisor.rules.loader import RuleBase
    from advisor.rules.model import Module

CAPACITY_PLAN_VERSION = "1.0"
DEFAULT_WEEKS = 12
DEFAULT_HOURS_PER_WEEK = 8.0

Reason = Literal["recommended", "addresses_finding", "prerequisite"]


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Session(View):
    week: int = Field(description="Week number, from 1.")
    hours: float = Field(description="Hours of the module in that week.")


class PlanModule(View):
    order: int = Field(description="Position in the sequence (1 = first), over scheduled and unscheduled modules.")
    id: str = Field(description="Module ID from the catalogue (rules/modules).")
    title: str = Field(description="Module title.")
    area: str = Field(description="Capacity-area key.")
    objective: str = Field(description="What the organisation can do after it.")
    format: str = Field(description="workshop, mentoring, peer_exchange or e_learning.")
    hours: float = Field(description="Length of the module in hours.")
    reason: Reason = Field(
        description="recommended: named by a trainer recommendation; addresses_finding: it addresses "
        "a gap or risk that fired; prerequisite: pulled in only because a chosen module needs it."
    )
    recommended_by: tuple[str, ...] = Field(description="Trainer recommendations naming it, by ID.")
    addresses: tuple[str, ...] = Field(description="Fired findings it addresses, by ID.")
    prerequisites: tuple[str, ...] = Field(description="Modules that must come before it.")
    prerequisite_for: tuple[str, ...] = Field(description="Planned modules that need it, by ID.")


class ScheduledModule(PlanModule):
    week: int = Field(description="Week the module starts in.")
    end_week: int = Field(description="Week the module ends in (equal to `week` unless it spans weeks).")
    sessions: tuple[Session, ...] = Field(description="Its hours in each week it runs in.")


class UnscheduledModule(PlanModule):
    why_unscheduled: str = Field(description="Why it is not in the schedule.")


class CapacityPlan(View):
    report: Literal["capacity-plan"] = Field(description="Which view this is.")
    report_version: str = Field(description="Version of this JSON layout.")
    organisation: str | None = Field(description="The organisation's name or alias.")
    profile_hash: str = Field(description="SHA-256 of the profile's content.")
    rulebase_version: str = Field(description="Version of the rule base.")
    weeks: int = Field(description="Weeks in the plan.")
    hours_per_week: float = Field(description="Training hours available per week.")
    budget_hours: float = Field(description="weeks x hours_per_week.")
    scheduled_hours: float = Field(description="Hours of the scheduled modules.")
    modules: tuple[ScheduledModule, ...] = Field(description="Scheduled modules in sequence order.")
    unscheduled: tuple[UnscheduledModule, ...] = Field(
        description="Chosen modules that did not fit the budget (or whose prerequisite did not), in sequence order."
    )
    not_addressed: tuple[str, ...] = Field(description="Fired gaps and risks that no scheduled module addresses, by ID.")
    # For the documents only (not in the JSON): what each ID is called, so a reader sees
    # "why this module" in words (findings, trainer recommendations and planned modules).
    titles: dict[str, str] = Field(default_factory=dict, exclude=True, description="Title of each ID shown.")


def _minutes(hours: float) -> int:
    return int(round(hours * 60))


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def choose_modules(assessment: Assessment, rulebase: RuleBase) -> list[tuple[str, Reason]]:
    """Modules chosen for their own sake, in priority order (before prerequisites are added)."""
    catalogue = rulebase.modules_by_id
    chosen: dict[str, Reason] = {}
    trainer = sorted((r for r in assessment.recommendations if r.audience == "trainer"), key=lambda r: (r.priority, r.id))
    for rec in trainer:
        for mid in rec.modules:
            if mid in catalogue and mid not in chosen:
                chosen[mid] = "recommended"
    negatives = {f.id: f for f in assessment.findings if f.kind in ("gap", "risk")}
    rows = []
    for mid, addresses in rulebase.module_addresses.items():
        hit = [negatives[fid] for fid in addresses if fid in negatives]
        if mid in chosen or not hit or mid not in catalogue:
            continue
        worst = max(SEVERITY_RANK.get(f.severity, 0) for f in hit)
        rows.append((-worst, -len(hit), mid))
    for _, _, mid in sorted(rows):
        chosen[mid] = "addresses_finding"
    return list(chosen.items())


def _sequence(chosen: list[tuple[str, Reason]], catalogue: dict[str, Module]) -> list[tuple[str, Reason]]:
    placed: dict[str, Reason] = {}
    reasons = dict(chosen)

    def place(mid: str) -> None:
        if mid in placed:
            return
        for pre in sorted(catalogue[mid].prerequisites):
            place(pre)
        placed[mid] = reasons.get(mid, "prerequisite")

    for mid, _ in chosen:
        place(mid)
    return list(placed.items())


def capacity_plan(
    assessment: Assessment,
    rulebase: RuleBase,
    *,
    weeks: int = DEFAULT_WEEKS,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
) -> CapacityPlan:
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    if hours_per_week <= 0:
        raise ValueError("hours_per_week must be positive")
    catalogue = rulebase.modules_by_id
    sequence = _sequence(choose_modules(assessment, rulebase), catalogue)
    planned_ids = [mid for mid, _ in sequence]
    fired = {f.id for f in assessment.findings}
    negatives = {f.id for f in assessment.findings if f.kind in ("gap", "risk")}
    addresses_of = rulebase.module_addresses
    recommended_by: dict[str, list[str]] = {}
    for rec in sorted(assessment.recommendations, key=lambda r: r.id):
        if rec.audience == "trainer":
            for mid in rec.modules:
                recommended_by.setdefault(mid, []).append(rec.id)

    per_week = _minutes(hours_per_week)
    if per_week < 1:
        raise ValueError("hours_per_week must be at least one minute")
    budget = weeks * per_week
    cursor = 0
    scheduled: list[ScheduledModule] = []
    unscheduled: list[UnscheduledModule] = []
    missing: set[str] = set()
    for order, (mid, reason) in enumerate(sequence, start=1):
        module = catalogue[mid]
        text = localized_module_text(module)
        common: dict[str, Any] = dict(
            order=order, id=mid, title=text.title, area=module.area, objective=text.objective,
            format=module.format, hours=module.hours, reason=reason,
            recommended_by=tuple(recommended_by.get(mid, ())),
            addresses=tuple(sorted(fid for fid in addresses_of.get(mid, ()) if fid in fired)),
            prerequisites=tuple(sorted(module.prerequisites)),
            prerequisite_for=tuple(p for p in planned_ids if mid in catalogue[p].prerequisites),
        )
        length = _minutes(module.hours)
        blocked = sorted(p for p in module.prerequisites if p in missing)
        if blocked:
            missing.add(mid)
            unscheduled.append(UnscheduledModule(
                **common, why_unscheduled=f"its prerequisite {', '.join(blocked)} is not scheduled"))
            continue
        if cursor + length > budget:
            missing.add(mid)
            left = budget - cursor
            unscheduled.append(UnscheduledModule(
                **common,
                why_unscheduled=f"needs {_hours(length):g} h; {_hours(left):g} h of the "
                f"{_hours(budget):g} h budget left",
            ))
            continue
        start, end = cursor, cursor + length
        sessions = []
        t = start
        while t < end:
            week_index = t // per_week
            week_end = (week_index + 1) * per_week
            chunk = min(end, week_end) - t
            sessions.append(Session(week=week_index + 1, hours=_hours(chunk)))
            t += chunk
        scheduled.append(ScheduledModule(
            **common, week=sessions[0].week, end_week=sessions[-1].week, sessions=tuple(sessions)))
        cursor = end
    covered = {fid for m in scheduled for fid in m.addresses}
    return CapacityPlan(
        report="capacity-plan",
        report_version=CAPACITY_PLAN_VERSION,
        organisation=assessment.profile.name,
        profile_hash=assessment.profile.hash,
        rulebase_version=assessment.rulebase.version,
        weeks=weeks,
        hours_per_week=hours_per_week,
        budget_hours=_hours(budget),
        scheduled_hours=_hours(sum(_minutes(m.hours) for m in scheduled)),
        modules=tuple(scheduled),
        unscheduled=tuple(unscheduled),
        not_addressed=tuple(sorted(negatives - covered)),
        titles={f.id: f.title for f in assessment.findings}
        | {r.id: r.title for r in assessment.recommendations if r.audience == "trainer"}
        | {mid: catalogue[mid].title for mid in planned_ids},
    )
