"""The donor's screening of one partner: a risk rating with its reasons, and proportionate
grant conditions and support measures. Pure: computes from an Outcome or Assessment (and the profile
and the grant terms where known), never prints.

How the rating is built (see ``rate``; README, "How a screening is rated"):

1. Only gaps and risks count, each in its *dimension* (declared in its rule file): fiduciary
   (financial management, controls, audit, compliance with reporting duties, governance control
   gaps), programmatic (capacity to deliver), sustainability (short grants, reserves,
   dependency — conditions the sources blame on donors and the state) or context (inspections,
   labelling, affiliation, political or social pressure).
2. The *fiduciary rating* is computed from fiduciary findings only (plus the screening's own
   grant-size finding): each implies a level from its severity (critical → High, high →
   Significant, medium → Moderate, low/info → Low); the worst wins, a critical gap is never
   averaged away (HACT 2016), and ``ACCUMULATION_COUNT`` findings at that level raise it one
   step. A combined finding does not count again on top of the findings it combines.
3. Programmatic, sustainability and context findings never raise the rating or tighten an
   assurance condition: they add support (a capacity-building line, multi-year terms, a reserve
   line) and protection (low visibility, security, flexibility).
4. Missing financial answers lower the *confidence*: the rating is then provisional, the
   screening names the answers that would settle it and adds a verification condition; when
   most are missing the rating is at least Moderate, HACT's rule that an unassessed partner is
   not Low (SCR003).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import advisor.engine  # noqa: F401  (loads advisor.assessment without the engine/assessment import cycle)
from advisor.assessment import RECORD_CONFIG, Evidence, Frozen, Outcome, RuleBaseInfo
from advisor.profile import Profile

SCREENING_SCHEMA_VERSION = "1.0"

Rating = Literal["Low", "Moderate", "Significant", "High"]
RATINGS: tuple[Rating, ...] = ("Low", "Moderate", "Significant", "High")
RATING_RANK: dict[str, int] = {r: i for i, r in enumerate(RATINGS)}

SEVERITY_LEVEL: dict[str, Rating] = {
    "critical": "High",
    "high": "Significant",
    "medium": "Moderate",
    "low": "Low",
    "info": "Low",
}

# The dimension that sets the rating; the others add support and protection (rules/model.py).
FIDUCIARY = "fiduciary"

# This many findings each implying the worst level raise the rating one step: several
# serious gaps together weigh more than one (and are harder to fix within one grant).
ACCUMULATION_COUNT = 3

# The grant's yearly value divided by the partner's last annual income. At 1.0 the grant
# alone would double the organisation within a year: procedures, staff and controls built
# for the old size rarely stretch that fast ("absorptive capacity"), so it is a finding.
GRANT_TO_BUDGET_LIMIT = 1.0

# HACT assurance bands as coded in UNICEF's eTools (DOMAIN.md); amounts in US dollars.
HACT_CURRENCY = "USD"
NO_VISIT_LIMIT = 2_500
ONE_VISIT_LIMIT = 100_000
MID_BAND_LIMIT = 500_000
SPOT_CHECK_ABOVE = 50_000
VISITS_MID_BAND: dict[str, int] = {"High": 3, "Significant": 3, "Moderate": 2, "Low": 1}
VISITS_TOP_BAND: dict[str, int] = {"High": 4, "Significant": 4, "Moderate": 3, "Low": 2}
ASSESSMENT_VALID_YEARS = 4

# Multi-year means 24 months or more; under 12 months is short (DOMAIN.md).
MULTI_YEAR_MONTHS = 24
SHORT_GRANT_MONTHS = 12

# The questions a screening needs answered to say anything about the use of funds.
FINANCIAL_QUESTIONS: tuple[str, ...] = (
    "controls.written_procedures",
    "controls.external_audit_recent",
    "controls.publishes_financial_report",
    "controls.segregation_of_duties",
    "funding.annual_budget",
    "funding.currency",
    "funding.reserves_months",
    "funding.largest_source_pct",
)
# What a donor checks, for each financial question left unanswered.
VERIFY_WITH: dict[str, str] = {
    "controls.written_procedures": "the written financial procedures",
    "controls.external_audit_recent": "the last audit report",
    "controls.publishes_financial_report": "the last published financial report",
    "controls.segregation_of_duties": "the approval trail of three recent payments",
    "funding.annual_budget": "last year's accounts",
    "funding.currency": "last year's accounts",
    "funding.reserves_months": "the balance sheet and a month's running costs",
    "funding.largest_source_pct": "last year's income by source",
}
# Share of FINANCIAL_QUESTIONS answered for "high" and "medium" confidence.
CONFIDENCE_HIGH = 0.75
CONFIDENCE_MEDIUM = 0.4


class GrantTerms(Frozen):
    amount: float | None = None
    currency: str | None = None
    months: int | None = None


@dataclass(frozen=True, slots=True)
class ScreeningFinding:
    __pydantic_config__ = RECORD_CONFIG

    """A finding the screening computes itself (grant size, confidence): IDs SCRnnn."""

    id: str
    kind: Literal["gap", "risk", "note"]
    area: str
    severity: str
    title: str
    evidence: tuple[Evidence, ...]
    rated: bool  # whether it counts toward the fiduciary rating


@dataclass(frozen=True, slots=True)
class Reason:
    __pydantic_config__ = RECORD_CONFIG

    id: str
    title: str
    area: str
    severity: str
    implies: Rating
    evidence: tuple[Evidence, ...]
    dimension: str = FIDUCIARY


@dataclass(frozen=True, slots=True)
class RiskPart:
    __pydantic_config__ = RECORD_CONFIG

    rating: Rating
    reasons: tuple[Reason, ...]  # worst first, then by ID


@dataclass(frozen=True, slots=True)
class Confidence:
    __pydantic_config__ = RECORD_CONFIG

    level: Literal["high", "medium", "low", "unknown"]
    answered: int
    asked: int
    unanswered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Risk:
    __pydantic_config__ = RECORD_CONFIG

    rating: Rating  # the fiduciary rating, at least Moderate when most financial answers are missing
    fiduciary: RiskPart
    context: RiskPart
    reasons: tuple[Reason, ...]  # the reasons that set the overall rating
    confidence: Confidence
    explanation: str
    programmatic: RiskPart = RiskPart("Low", ())  # capacity to deliver: support, never assurance
    sustainability: RiskPart = RiskPart("Low", ())  # funding conditions: support, never assurance
    provisional: bool = False  # some financial answers are missing (confidence.unanswered)


@dataclass(frozen=True, slots=True)
class Condition:
    __pydantic_config__ = RECORD_CONFIG

    id: str
    kind: Literal["assurance", "protection", "support"]
    title: str
    detail: str
    because: tuple[str, ...]


class Screening(Frozen):
    schema_version: str
    organisation: str | None
    profile_hash: str
    rulebase: RuleBaseInfo
    grant: GrantTerms
    risk: Risk
    findings: tuple[ScreeningFinding, ...]
    conditions: tuple[Condition, ...]
    notes: tuple[str, ...]


# --- screening findings ------------------------------------------------------------


def _money(amount: float, currency: str | None) -> str:
    text = f"{amount:,.0f}"
    return f"{currency} {text}" if currency else text


def annual_value(grant: GrantTerms) -> float | None:
    """The grant's value per year: a grant of 12 months or less is spent within a year."""
    if grant.amount is None:
        return None
    months = grant.months or SHORT_GRANT_MONTHS
    return grant.amount * SHORT_GRANT_MONTHS / max(months, SHORT_GRANT_MONTHS)


def grant_findings(profile: Profile | None, grant: GrantTerms) -> tuple[list[ScreeningFinding], list[str]]:
    """SCR001 (grant large for the budget), SCR002 (cannot compare) and notes."""
    found: list[ScreeningFinding] = []
    notes: list[str] = []
    if grant.amount is None or profile is None:
        return found, notes
    budget, budget_currency = profile.funding.annual_budget, profile.funding.currency
    ev_amount = Evidence(field="grant.amount", value=grant.amount)
    ev_currency = Evidence(field="grant.currency", value=grant.currency)
    if budget is None or budget_currency is None or grant.currency is None or budget_currency != grant.currency:
        if budget is None:
            why = "the annual budget is unanswered"
        elif budget_currency is None or grant.currency is None:
            why = "the budget's or the grant's currency is not stated"
        else:
            why = (f"the grant is in {grant.currency} and the budget in {budget_currency}; "
                   "no exchange rate is assumed")
        found.append(ScreeningFinding(
            id="SCR002", kind="note", area="financial_sustainability", severity="info",
            title="Grant size could not be compared with the annual budget",
            evidence=(Evidence(field="funding.annual_budget", value=budget),
                      Evidence(field="funding.currency", value=budget_currency), ev_amount, ev_currency),
            rated=False,
        ))
        notes.append(f"Grant size not compared with the budget: {why}.")
        return found, notes
    yearly = annual_value(grant)
    assert yearly is not None
    if budget == 0 or yearly / budget >= GRANT_TO_BUDGET_LIMIT:
        ratio = "no income last year" if budget == 0 else f"{yearly / budget:.1f} times last year's income"
        found.append(ScreeningFinding(
            id="SCR001", kind="risk", area="financial_management", severity="high",
            title=f"Grant large for the organisation's size ({ratio} per year)",
            evidence=(Evidence(field="funding.annual_budget", value=budget),
                      Evidence(field="funding.currency", value=budget_currency), ev_amount,
                      Evidence(field="grant.months", value=grant.months)),
            rated=True,
        ))
    return found, notes


def confidence(profile: Profile | None) -> Confidence:
    if profile is None:
        return Confidence(level="unknown", answered=0, asked=len(FINANCIAL_QUESTIONS), unanswered=())
    missing = []
    for path in FINANCIAL_QUESTIONS:
        section, name = path.split(".")
        if getattr(getattr(profile, section), name) is None:
            missing.append(path)
    answered = len(FINANCIAL_QUESTIONS) - len(missing)
    share = answered / len(FINANCIAL_QUESTIONS)
    level: Literal["high", "medium", "low"] = (
        "high" if share >= CONFIDENCE_HIGH else "medium" if share >= CONFIDENCE_MEDIUM else "low"
    )
    return Confidence(level=level, answered=answered, asked=len(FINANCIAL_QUESTIONS), unanswered=tuple(missing))


# --- rating ------------------------------------------------------------------------


def implied_level(severity: str) -> Rating:
    return SEVERITY_LEVEL[severity]


def _rate(reasons: list[Reason]) -> tuple[Rating, tuple[Reason, ...], bool]:
    """The worst implied level, raised one step by accumulation; the reasons, worst first."""
    ordered = tuple(sorted(reasons, key=lambda r: (-RATING_RANK[r.implies], r.id)))
    if not ordered:
        return "Low", (), False
    worst = ordered[0].implies
    at_worst = sum(1 for r in ordered if r.implies == worst)
    if at_worst >= ACCUMULATION_COUNT and worst != "High":
        return RATINGS[RATING_RANK[worst] + 1], ordered, True
    return worst, ordered, False


def _without_parts(reasons: list[Reason], combines: dict[str, tuple[str, ...]]) -> list[Reason]:
    """A combined finding does not count again on top of the findings it combines: the parts
    of a combined finding among ``reasons`` are left out (the combined one stands for them)."""
    present = {r.id for r in reasons}
    parts = {part for r in reasons for part in combines.get(r.id, ()) if part in present}
    return [r for r in reasons if r.id not in parts]


def rate(assessment: Outcome, extra: list[ScreeningFinding], conf: Confidence) -> Risk:
    by_dimension: dict[str, list[Reason]] = {d: [] for d in ("fiduciary", "programmatic", "sustainability", "context")}
    combines: dict[str, tuple[str, ...]] = {}
    for f in assessment.findings:
        if f.kind not in ("gap", "risk"):
            continue
        combines[f.id] = f.because
        by_dimension[f.dimension].append(Reason(
            id=f.id, title=f.title, area=f.area, severity=f.severity, implies=implied_level(f.severity),
            evidence=f.evidence, dimension=f.dimension))
    for extra_finding in extra:
        if extra_finding.rated:
            by_dimension[FIDUCIARY].append(Reason(
                id=extra_finding.id, title=extra_finding.title, area=extra_finding.area,
                severity=extra_finding.severity, implies=implied_level(extra_finding.severity),
                evidence=extra_finding.evidence))
    parts = {dim: _rate(_without_parts(reasons, combines)) for dim, reasons in by_dimension.items()}
    fid_rating, fid_reasons, raised = parts[FIDUCIARY]
    why = []
    if fid_reasons:
        why.append(f"worst fiduciary finding implies {fid_reasons[0].implies}")
        if raised:
            why.append(f"{ACCUMULATION_COUNT} or more findings at that level raise it to {fid_rating}")
    else:
        why.append("no fiduciary gap or risk was found in the answers given")
    rating = fid_rating
    reasons = tuple(r for r in fid_reasons if r.implies == fid_reasons[0].implies) if fid_reasons else ()
    if conf.level == "low" and RATING_RANK[rating] < RATING_RANK["Moderate"]:
        rating = "Moderate"
        reasons = (*reasons, Reason(
            id="SCR003", title="Most financial questions are unanswered", area="financial_management",
            severity="medium", implies="Moderate",
            evidence=tuple(Evidence(field=p, value=None) for p in conf.unanswered)))
        why.append("most financial questions are unanswered, so the rating is at least Moderate "
                   "(HACT: an unassessed partner is not rated Low)")
    others = [(dim, parts[dim][0]) for dim in ("programmatic", "sustainability", "context") if parts[dim][1]]
    if others:
        why.append("; ".join(f"{dim} findings ({level} at worst) add support and protective conditions, "
                             "not a higher rating" for dim, level in others))
    provisional = bool(conf.unanswered) or conf.level == "unknown"
    if provisional:
        why.append("the rating is provisional until the unanswered financial questions are answered")
    return Risk(
        rating=rating,
        fiduciary=RiskPart(rating=fid_rating, reasons=fid_reasons),
        context=RiskPart(rating=parts["context"][0], reasons=parts["context"][1]),
        reasons=reasons,
        confidence=conf,
        explanation="; ".join(why) + ".",
        programmatic=RiskPart(rating=parts["programmatic"][0], reasons=parts["programmatic"][1]),
        sustainability=RiskPart(rating=parts["sustainability"][0], reasons=parts["sustainability"][1]),
        provisional=provisional,
    )


# --- conditions ----------------------------------------------------------------------


def monitoring_visits(amount: float, rating: str) -> int:
    """Programmatic visits per year by HACT band (amount in USD) and rating."""
    if amount <= NO_VISIT_LIMIT:
        return 0
    if amount <= ONE_VISIT_LIMIT:
        return 1
    if amount <= MID_BAND_LIMIT:
        return VISITS_MID_BAND[rating]
    return VISITS_TOP_BAND[rating]


def _instalments(rating: str) -> tuple[str, str]:
    return {
        "Low": ("Disburse in regular advances",
                "Advances each quarter or half-year against the agreed work plan; a financial report with each request."),
        "Moderate": ("Disburse in quarterly instalments against reports",
                     "Release each instalment when the previous one is reported and reconciled."),
        "Significant": ("Disburse in short instalments, each released after the last is accounted for",
                        "Advances of about three months at most; keep the next instalment until the financial report is reviewed."),
        "High": ("Pay against receipts or directly to suppliers at first",
                 "Reimbursement or direct payment until the gaps named below are closed; move to advances as they close."),
    }[rating]


def conditions(assessment: Outcome, risk: Risk, grant: GrantTerms,
               extra: list[ScreeningFinding]) -> tuple[Condition, ...]:
    rating = risk.rating
    rated = f"risk rating {rating}"
    out: list[Condition] = []
    title, detail = _instalments(rating)
    out.append(Condition(id="CND001", kind="assurance", title=title, detail=detail,
                         because=(rated, *(r.id for r in risk.reasons))))
    usd = grant.amount is not None and grant.currency == HACT_CURRENCY
    if grant.amount is None:
        out.append(Condition(
            id="CND002", kind="assurance", title="Programmatic monitoring visits: set when the grant size is known",
            detail="State the grant amount in US dollars to apply the HACT visit bands.", because=(rated,)))
    elif not usd:
        out.append(Condition(
            id="CND002", kind="assurance", title="Programmatic monitoring visits: band not determined",
            detail=f"The HACT bands are in USD and the grant is in {grant.currency}; no exchange rate is "
                   "assumed. Convert the amount to US dollars and screen again.",
            because=(rated, f"grant {_money(grant.amount, grant.currency)}")))
    else:
        assert grant.amount is not None
        visits = monitoring_visits(grant.amount, rating)
        band = ("up to USD 2,500" if grant.amount <= NO_VISIT_LIMIT else
                "up to USD 100,000" if grant.amount <= ONE_VISIT_LIMIT else
                "USD 100,000–500,000" if grant.amount <= MID_BAND_LIMIT else "above USD 500,000")
        out.append(Condition(
            id="CND002", kind="assurance",
            title=("No programmatic visit required" if visits == 0 else
                   f"{visits} programmatic monitoring visit{'s' if visits > 1 else ''} per year"),
            detail=f"HACT band {band} at {rating} risk.",
            because=(rated, f"grant {_money(grant.amount, grant.currency)}")))
        if grant.amount > SPOT_CHECK_ABOVE:
            out.append(Condition(
                id="CND003", kind="assurance", title="One financial spot check per year",
                detail="A spot check of the partner's records once more than USD 50,000 has been reported.",
                because=(f"grant {_money(grant.amount, grant.currency)} above USD 50,000",)))
    capacity = [r for r in (*risk.fiduciary.reasons, *risk.programmatic.reasons)
                if RATING_RANK[r.implies] >= RATING_RANK["Moderate"]]
    gap_areas = sorted({r.area for r in capacity})
    if gap_areas:
        out.append(Condition(
            id="CND004", kind="support", title="A capacity-building budget line in the grant",
            detail=("Required" if RATING_RANK[rating] >= RATING_RANK["Significant"] else "Recommended")
            + " for: " + ", ".join(gap_areas) + ". Fund the fixes rather than refuse the partner.",
            because=tuple(sorted(r.id for r in capacity))))
    large = [s.id for s in extra if s.id == "SCR001"]
    if large or rating == "High":
        out.append(Condition(
            id="CND005", kind="support", title="Accompaniment before the full grant",
            detail="Start with a smaller, accompanied first phase (mentoring on financial management and "
                   "reporting); release the rest once the first phase is accounted for.",
            because=tuple(large) or (rated,)))
    if RATING_RANK[rating] >= RATING_RANK["Significant"]:
        out.append(Condition(
            id="CND006", kind="assurance", title="Reassess within 12 months",
            detail="Screen the updated profile and compare it with this one to show which gaps have closed.",
            because=(rated,)))
    else:
        out.append(Condition(
            id="CND006", kind="assurance", title=f"Reassess within {ASSESSMENT_VALID_YEARS} years",
            detail="An assessment stays valid for four years under HACT, or earlier if the organisation changes.",
            because=(rated,)))
    ctx = risk.context
    if ctx.reasons:
        ctx_ids = tuple(r.id for r in ctx.reasons)
        out.append(Condition(
            id="CND010", kind="protection", title="No exposure to stigma",
            detail="Keep the partner's name and the grant out of public lists and reports unless the partner "
                   "agrees; agree together how the funding is described in public.",
            because=ctx_ids))
        if RATING_RANK[ctx.rating] >= RATING_RANK["Moderate"]:
            out.append(Condition(
                id="CND011", kind="protection", title="A budget line for digital and physical security",
                detail="Fund a security protocol, training and secure equipment; keep less data about the "
                       "partner and share it redacted.",
                because=ctx_ids))
        if RATING_RANK[ctx.rating] >= RATING_RANK["Significant"]:
            out.append(Condition(
                id="CND012", kind="protection", title="Flexibility when pressure hits",
                detail="Allow budget reallocation, changed deadlines and a contingency line when inspections or "
                       "pressure disrupt the work; treat pressure as a reason to support, not to withdraw.",
                because=ctx_ids))
    sustain = risk.sustainability.reasons
    if sustain:
        out.append(Condition(
            id="CND021", kind="support", title="Funding terms that do not deepen the partner's instability",
            detail="Short grants, thin reserves and dependence on one funder are conditions of funding, not failings "
                   "of the partner: offer multi-year terms where possible, allow a reserve or indirect-cost line, and "
                   "give early notice of any change in priorities.",
            because=tuple(sorted(r.id for r in sustain))))
    if risk.provisional and risk.confidence.unanswered:
        checks = "; ".join(f"{path}: {VERIFY_WITH.get(path, 'a supporting document')}"
                           for path in risk.confidence.unanswered)
        out.append(Condition(
            id="CND030", kind="assurance", title="Verify the unanswered financial questions before signing",
            detail=f"The rating is provisional. Check: {checks}; then screen again with the answers.",
            because=tuple(risk.confidence.unanswered)))
    if grant.months is not None and grant.months < MULTI_YEAR_MONTHS:
        out.append(Condition(
            id="CND020", kind="support", title=f"Consider {MULTI_YEAR_MONTHS} months or more",
            detail=f"The proposed grant runs {grant.months} months; multi-year funding lets the partner plan, "
                   "keep staff and build reserves.",
            because=(f"grant {grant.months} months",)))
    for r in assessment.recommendations:
        if r.audience == "donor":
            out.append(Condition(id=r.id, kind="support", title=r.title, detail=r.advice.action,
                                 because=r.because))
    return tuple(out)


def screen(assessment: Outcome, profile: Profile | None = None,
           grant: GrantTerms | None = None) -> Screening:
    """The donor's view of one assessment (profile None: confidence and grant size unknown)."""
    grant = grant or GrantTerms()
    extra, notes = grant_findings(profile, grant)
    conf = confidence(profile)
    if conf.level == "low":
        notes.append(f"Confidence is low: {len(conf.unanswered)} of {conf.asked} financial questions are "
                     "unanswered (" + ", ".join(conf.unanswered) + ").")
    elif conf.level == "medium":
        notes.append(f"Confidence is medium: unanswered financial questions: {', '.join(conf.unanswered)}.")
    elif conf.level == "unknown":
        notes.append("Confidence unknown: screened from an assessment without its profile.")
    risk = rate(assessment, extra, conf)
    return Screening(
        schema_version=SCREENING_SCHEMA_VERSION,
        organisation=assessment.profile.name,
        profile_hash=assessment.profile.hash,
        rulebase=assessment.rulebase,
        grant=grant,
        risk=risk,
        findings=tuple(extra),
        conditions=conditions(assessment, risk, grant, extra),
        notes=tuple(notes),
    )
