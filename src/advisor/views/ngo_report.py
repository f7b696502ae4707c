"""The NGO's self-assessment report: what the organisation reads about itself.

``ngo_report(assessment, rulebase)`` turns an Assessment into plain frozen data: strengths
to build on, gaps and risks by capacity area with the 1-4 maturity, the CIVICUS diamond,
the NGO's recommendations in priority order each with its chain of reasons
(recommendation -> findings -> evidence values -> sources), and what the organisation did
not answer with the advice that withholds. It computes; reporters render.

The JSON form (``NgoReport.model_dump(mode="json")``) is stable: keys in field order, lists
in the documented order, ``report_version`` bumped on any incompatible change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.areas import AREA_BY_KEY, AREA_KEYS
from advisor.i18n import localized_rule_text
from advisor.labels import area_title
from advisor.facts import catalogue
from advisor.rules.model import SEVERITY_RANK
from advisor.views.diamond import DiamondDimension, diamond

if TYPE_CHECKING:  # for type hints only
    from advisor.assessment import Assessment, Evidence, Finding, Recommendation, Source
    from advisor.profile import Profile
    from advisor.rules.loader import RuleBase

NGO_REPORT_VERSION = "1.0"


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EvidenceItem(View):
    field: str = Field(description="Dotted profile field path.")
    question: str = Field(description="The question as the profile asks it.")
    value: Any = Field(description="The answer as given; null when the question was not answered.")


class SourceItem(View):
    source: str = Field(description="Source document ID (e.g. ref-kz-2023).")
    section: str = Field(description="Section of the source.")
    quote: str = Field(description="The quoted passage the rule rests on.")
    statement: str = Field(description="Statement ID in rules/coverage.yaml.")
    # Rendered when the rule schema gives them (a citation's kind: "source" statement or
    # "domain" knowledge with its own reference); kept out of the JSON until its layout says so.
    kind: str | None = Field(default=None, exclude=True, description="source or domain.")
    reference: str | None = Field(default=None, exclude=True, description="Reference of domain knowledge.")


class FindingItem(View):
    id: str = Field(description="Finding (rule) ID.")
    kind: Literal["gap", "strength", "risk", "opportunity"] = Field(description="What was found.")
    severity: str = Field(description="info, low, medium, high or critical.")
    area: str = Field(description="Capacity-area key.")
    area_title: str = Field(description="Capacity-area name.")
    title: str = Field(description="What was found, in one line.")
    evidence: tuple[EvidenceItem, ...] = Field(description="The answers that made it fire, by field path.")
    combines: tuple[str, ...] = Field(description="Other findings this one builds on, by ID.")
    sources: tuple[SourceItem, ...] = Field(description="Where the rule comes from.")
    dimension: str | None = Field(default=None, exclude=True,
                                  description="The finding's dimension, when the rule gives one (documents only).")


class AreaItem(View):
    area: str = Field(description="Capacity-area key, in the fixed area order.")
    title: str = Field(description="Capacity-area name.")
    maturity: int | None = Field(description="1 clear need, 2 basic, 3 moderate, 4 high; null: not assessed.")
    self_rating: int | None = Field(description="The organisation's own rating, if given.")
    capped_by: tuple[str, ...] = Field(description="Findings that hold the maturity below the self-rating.")
    gaps: tuple[FindingItem, ...] = Field(description="Gaps and risks in this area, most severe first, then by ID.")


class Reason(View):
    finding: FindingItem = Field(description="A finding behind the recommendation.")
    via: str | None = Field(
        description="null: the recommendation answers this finding directly; else the ID of the "
        "finding that combines it."
    )


class Action(View):
    priority: int = Field(description="1 = do first (order among the NGO's recommendations).")
    id: str = Field(description="Recommendation (rule) ID.")
    title: str = Field(description="What to do, in one line.")
    area: str = Field(description="Capacity-area key.")
    urgency: str = Field(description="Most severe of the recommendation's and its findings' severities.")
    action: str = Field(description="What to do, in full.")
    who: str = Field(description="Who carries it out.")
    first_step: str = Field(description="The first concrete step.")
    timeframe: str = Field(description="When.")
    modules: tuple[str, ...] = Field(description="Training modules that help, by ID.")
    why: tuple[Reason, ...] = Field(
        description="The chain of reasons: the findings it answers (in ID order), each followed "
        "by the findings it combines; every finding appears once."
    )
    evidence: tuple[EvidenceItem, ...] = Field(description="Answers the recommendation tests itself.")
    sources: tuple[SourceItem, ...] = Field(description="Where the recommendation comes from.")
    done_when: str | None = Field(default=None, exclude=True,
                                  description="How the organisation will know it worked, when the rule says (documents only).")


class WithheldRule(View):
    id: str = Field(description="Rule ID.")
    kind: str = Field(description="Finding kind, or 'recommendation'.")
    title: str | None = Field(description="Rule title (null when the rule base was not given).")


class UnansweredItem(View):
    field: str = Field(description="Dotted profile field path.")
    question: str = Field(description="The question to answer.")
    withholds: tuple[WithheldRule, ...] = Field(
        description="Findings and NGO recommendations that could not be decided without this "
        "answer: the rules testing the field and, given the rule base, the rules built on them; "
        "rules that fired anyway are left out. By ID."
    )


class Completeness(View):
    answered: int = Field(description="Questions of the self-assessment the profile answers.")
    asked: int = Field(description="Questions the self-assessment asks (every profile field).")


def completeness(profile: Profile) -> Completeness:
    """How much of the self-assessment the profile answers (an empty list is an answer: none)."""
    specs = catalogue()
    answered = 0
    for spec in specs.values():
        section, name = spec.attribute
        answered += getattr(getattr(profile, section), name) is not None
    return Completeness(answered=answered, asked=len(specs))


class NgoReport(View):
    report: Literal["ngo-self-assessment"] = Field(description="Which view this is.")
    report_version: str = Field(description="Version of this JSON layout.")
    organisation: str | None = Field(description="The organisation's name or alias as the profile gives it.")
    profile_hash: str = Field(description="SHA-256 of the profile's content.")
    rulebase_version: str = Field(description="Version of the rule base.")
    rulebase_hash: str = Field(description="SHA-256 of the rule base's content.")
    engine: str = Field(description="The evaluator that produced the assessment.")
    strengths: tuple[FindingItem, ...] = Field(description="Strengths and opportunities, by area order then ID.")
    areas: tuple[AreaItem, ...] = Field(description="All twelve capacity areas in the fixed order.")
    diamond: tuple[DiamondDimension, ...] = Field(description="The five CIVICUS dimensions (see views/diamond.py).")
    actions: tuple[Action, ...] = Field(description="The NGO's recommendations, first to do first.")
    unanswered: tuple[UnansweredItem, ...] = Field(
        description="Unanswered questions some rule needs, in questionnaire order."
    )
    unanswered_areas: tuple[str, ...] = Field(description="Areas with no self-rating and no answered question.")
    # For the documents only (not in the JSON, which stays as documented): known when the
    # report is made from a profile, not from a saved assessment.
    completeness: Completeness | None = Field(default=None, exclude=True,
                                              description="Questions answered of those asked.")
    what_would_change: tuple[Any, ...] = Field(
        default=(), exclude=True,
        description="The smallest sets of answer changes that would change the picture most "
        "(advisor.pathsearch; one best path per default goal, at most two changes).")

    @property
    def finding_ids(self) -> tuple[str, ...]:
        ids = {f.id for f in self.strengths} | {g.id for a in self.areas for g in a.gaps}
        return tuple(sorted(ids))


def _evidence(evidence: tuple[Evidence, ...]) -> tuple[EvidenceItem, ...]:
    specs = catalogue()
    return tuple(
        EvidenceItem(field=e.field, question=specs[e.field].question if e.field in specs else e.field, value=e.value)
        for e in evidence
    )


def _sources(sources: tuple[Source, ...]) -> tuple[SourceItem, ...]:
    return tuple(SourceItem(source=s.source, section=s.section, quote=s.quote, statement=s.statement,
                            kind=getattr(s, "kind", None), reference=getattr(s, "reference", None))
                 for s in sources)


def finding_item(f: Finding) -> FindingItem:
    return FindingItem(
        id=f.id, kind=f.kind, severity=f.severity, area=f.area,
        area_title=area_title(f.area) if f.area in AREA_BY_KEY else f.area,
        title=f.title, evidence=_evidence(f.evidence), combines=f.because, sources=_sources(f.sources),
        dimension=getattr(f, "dimension", None),
    )


def _why(rec: Recommendation, by_id: dict[str, Finding]) -> tuple[Reason, ...]:
    seen: set[str] = set()
    reasons: list[Reason] = []

    def visit(fid: str, via: str | None) -> None:
        if fid in seen or fid not in by_id:
            return
        seen.add(fid)
        reasons.append(Reason(finding=finding_item(by_id[fid]), via=via))
        for inner in by_id[fid].because:
            visit(inner, fid)

    for fid in sorted(rec.because):
        visit(fid, None)
    return tuple(reasons)


def _withheld(fields_rules: tuple[str, ...], fired: set[str], rulebase: RuleBase | None) -> tuple[WithheldRule, ...]:
    ids = set(fields_rules)
    if rulebase is not None:
        # Follow the chain: rules whose conditions refer to a withheld finding are withheld too.
        changed = True
        while changed:
            changed = False
            for compiled in rulebase.rules:
                if compiled.id not in ids and any(ref in ids for ref in compiled.references):
                    ids.add(compiled.id)
                    changed = True
    out = []
    for rid in sorted(ids - fired):
        if rulebase is not None and rid in rulebase.by_id:
            rule = rulebase.by_id[rid].rule
            if rule.kind == "recommendation" and rule.audience != "ngo":
                continue
            out.append(WithheldRule(id=rid, kind=rule.kind, title=localized_rule_text(rule).title))
        else:
            prefix = rid[:3]
            if prefix in ("DON", "TRN"):
                continue
            out.append(WithheldRule(id=rid, kind="recommendation" if prefix == "NGO" else "finding", title=None))
    return tuple(out)


def ngo_report(assessment: Assessment, rulebase: RuleBase | None = None,
               profile: Profile | None = None) -> NgoReport:
    """The NGO's self-assessment report. ``rulebase`` adds titles and the chain to withheld
    advice; ``profile`` adds how many questions were answered."""
    by_id = {f.id: f for f in assessment.findings}
    area_order = {k: i for i, k in enumerate(AREA_KEYS)}
    strengths = tuple(
        finding_item(f)
        for f in sorted(assessment.findings, key=lambda f: (area_order.get(f.area, 99), f.id))
        if f.kind in ("strength", "opportunity")
    )
    areas = []
    for a in assessment.areas:
        negatives = sorted(
            (f for f in assessment.findings if f.area == a.area and f.kind in ("gap", "risk")),
            key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.id),
        )
        areas.append(AreaItem(
            area=a.area, title=a.title, maturity=a.maturity, self_rating=a.self_rating,
            capped_by=a.capped_by, gaps=tuple(finding_item(f) for f in negatives),
        ))
    actions = tuple(
        Action(
            priority=r.priority, id=r.id, title=r.title, area=r.area, urgency=r.urgency,
            action=r.advice.action, who=r.advice.who, first_step=r.advice.first_step,
            timeframe=r.advice.timeframe, modules=r.modules, why=_why(r, by_id),
            evidence=_evidence(r.evidence), sources=_sources(r.sources),
            done_when=getattr(r.advice, "done_when", None) or getattr(r, "done_when", None),
        )
        for r in sorted(
            (r for r in assessment.recommendations if r.audience == "ngo"), key=lambda r: (r.priority, r.id)
        )
    )
    fired = {f.id for f in assessment.findings} | {r.id for r in assessment.recommendations}
    unanswered = tuple(
        UnansweredItem(field=u.field, question=u.question, withholds=_withheld(u.rules, fired, rulebase))
        for u in assessment.unanswered
    )
    return NgoReport(
        report="ngo-self-assessment",
        report_version=NGO_REPORT_VERSION,
        organisation=assessment.profile.name,
        profile_hash=assessment.profile.hash,
        rulebase_version=assessment.rulebase.version,
        rulebase_hash=assessment.rulebase.hash,
        engine=assessment.engine,
        strengths=strengths,
        areas=tuple(areas),
        diamond=diamond(assessment.areas),
        actions=actions,
        unanswered=unanswered,
        unanswered_areas=assessment.unanswered_areas,
        completeness=completeness(profile) if profile is not None else None,
        what_would_change=_what_would_change(profile, rulebase),
    )


# The report's "what would change the picture most": the best path of each default goal,
# kept short (at most this many changes) so that it stays a first step, not a programme.
REPORT_PATH_CHANGES = 2


def _what_would_change(profile: Profile | None, rulebase: RuleBase | None) -> tuple[Any, ...]:
    if profile is None or rulebase is None:
        return ()
    from advisor.pathsearch import DEFAULT_GOALS, find_paths

    report = find_paths(profile, rulebase, DEFAULT_GOALS, max_changes=REPORT_PATH_CHANGES, top=1)
    seen: set[tuple[Any, ...]] = set()
    paths = []
    for goal in report.goals:
        for path in goal.paths[:1]:
            key = tuple((c.field, c.action, str(c.after)) for c in path.changes)
            if key not in seen:
                seen.add(key)
                paths.append(path)
    return tuple(paths)
