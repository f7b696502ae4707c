"""The Assessment: the frozen, explained result of evaluating one profile.

Built in plain Python from what an evaluator fired; every finding carries the evidence
that made it fire, every recommendation the findings it answers and its priority, every
capacity area a maturity level in which a serious finding caps the score (it is never
averaged away), and the trace lists each fired rule with its matched facts and sources.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from advisor.areas import AREA_BY_KEY, AREA_KEYS, AUDIENCES
from advisor.engine.base import Firing
from advisor.facts import Facts, FieldSpec, catalogue, fact_key, profile_facts
from advisor.i18n import localized_rule_text
from advisor.profile import Profile
from advisor.rules.loader import CompiledRule, RuleBase
from advisor.rules.model import SEVERITY_RANK, Citation

OUTPUT_SCHEMA_VERSION = "1.0"

# A gap or risk of this severity caps its area's maturity at this level (1-4 scale).
MATURITY_CAP: dict[str, int] = {"critical": 1, "high": 2, "medium": 3, "low": 4, "info": 4}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(Frozen):
    field: str
    value: Any  # None: the question was not answered


class Source(Frozen):
    source: str
    section: str
    quote: str
    statement: str


class Finding(Frozen):
    id: str
    kind: Literal["gap", "strength", "risk", "opportunity"]
    area: str
    severity: str
    title: str
    evidence: tuple[Evidence, ...]
    because: tuple[str, ...]  # findings this one combines
    sources: tuple[Source, ...]


class Advice(Frozen):
    who: str
    first_step: str
    timeframe: str
    action: str


class Recommendation(Frozen):
    id: str
    audience: Literal["ngo", "donor", "trainer"]
    area: str
    priority: int  # 1 = do first, within its audience
    urgency: str  # the most severe of its own severity and the findings it answers
    title: str
    because: tuple[str, ...]  # the finding IDs it answers
    evidence: tuple[Evidence, ...]
    advice: Advice
    modules: tuple[str, ...]
    sources: tuple[Source, ...]


class AreaResult(Frozen):
    area: str
    title: str
    maturity: int | None  # None: neither rated nor touched by any finding
    self_rating: int | None
    capped_by: tuple[str, ...]
    strengths: tuple[str, ...]
    gaps: tuple[str, ...]  # gaps and risks


class TraceEntry(Frozen):
    rule: str
    term: int
    facts: dict[str, Any]
    findings: tuple[str, ...]
    sources: tuple[str, ...]


class Unanswered(Frozen):
    field: str
    question: str
    rules: tuple[str, ...]  # rules that test this field and could not use it


class RuleBaseInfo(Frozen):
    version: str
    hash: str
    rule_count: int


class ProfileInfo(Frozen):
    name: str | None
    hash: str
    schema_version: str


class Assessment(Frozen):
    schema_version: str
    engine: str
    rulebase: RuleBaseInfo
    profile: ProfileInfo
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]
    areas: tuple[AreaResult, ...]
    unanswered_areas: tuple[str, ...]
    unanswered: tuple[Unanswered, ...]
    trace: tuple[TraceEntry, ...]

    def finding(self, rule_id: str) -> Finding | None:
        return next((f for f in self.findings if f.id == rule_id), None)

    def fired_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.findings) + tuple(r.id for r in self.recommendations)


def profile_hash(profile: Profile) -> str:
    blob = json.dumps(profile.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def evidence_value(spec: FieldSpec, facts: Facts) -> Any:
    """A field's value as the profile states it, read back from facts (None: unanswered)."""
    if spec.key not in facts:
        return None
    if spec.kind == "choices":
        return [c for c in spec.choices if facts.get(fact_key(spec.path, c)) is True]
    return facts[spec.key]


def _sources(rule: CompiledRule) -> tuple[Source, ...]:
    return tuple(Source(**c.model_dump()) for c in rule.rule.sources)


def cite(c: Citation) -> str:
    return f"{c.source}: {c.section} ({c.statement})"


def _evidence(compiled: CompiledRule, firings: list[Firing]) -> tuple[Evidence, ...]:
    specs = catalogue()
    seen: dict[str, Evidence] = {}
    for firing in firings:
        for path in compiled.terms[firing.term].fields:
            if path not in seen:
                # model_construct: the values come from a validated profile, not from input.
                seen[path] = Evidence.model_construct(field=path, value=evidence_value(specs[path], firing.facts))
    return tuple(seen[p] for p in sorted(seen))


def _because(firings: list[Firing]) -> tuple[str, ...]:
    return tuple(sorted({fid for f in firings for fid in f.findings}))


def build_assessment(
    profile: Profile, rulebase: RuleBase, firings: list[Firing], engine: str, lang: str = "en"
) -> Assessment:
    by_rule: dict[str, list[Firing]] = defaultdict(list)
    for firing in sorted(firings, key=lambda f: f.sort_key):
        by_rule[firing.rule_id].append(firing)

    findings: list[Finding] = []
    recs: list[tuple[CompiledRule, list[Firing]]] = []
    for rule_id in sorted(by_rule):
        compiled = rulebase.by_id[rule_id]
        rule = compiled.rule
        if rule.is_finding:
            findings.append(
                Finding(
                    id=rule.id,
                    kind=rule.kind,  # type: ignore[arg-type]
                    area=rule.area,
                    severity=rule.severity,
                    title=localized_rule_text(rule, lang).title,
                    evidence=_evidence(compiled, by_rule[rule_id]),
                    because=_because(by_rule[rule_id]),
                    sources=_sources(compiled),
                )
            )
        else:
            recs.append((compiled, by_rule[rule_id]))

    severity_of = {f.id: f.severity for f in findings}
    recommendations = _prioritise(recs, severity_of, lang)
    trace = tuple(
        TraceEntry.model_construct(
            rule=f.rule_id,
            term=f.term,
            facts={
                p: evidence_value(catalogue()[p], f.facts)
                for p in rulebase.by_id[f.rule_id].terms[f.term].fields
            },
            findings=f.findings,
            sources=tuple(cite(c) for c in rulebase.by_id[f.rule_id].rule.sources),
        )
        for f in sorted(firings, key=lambda f: f.sort_key)
    )
    facts = profile_facts(profile)
    return Assessment(
        schema_version=OUTPUT_SCHEMA_VERSION,
        engine=engine,
        rulebase=RuleBaseInfo(
            version=rulebase.version, hash=rulebase.digest, rule_count=len(rulebase.rules)
        ),
        profile=ProfileInfo(
            name=profile.organisation.name,
            hash=profile_hash(profile),
            schema_version=profile.schema_version,
        ),
        findings=tuple(findings),
        recommendations=recommendations,
        areas=_areas(profile, findings),
        unanswered_areas=_unanswered_areas(profile, rulebase, facts),
        unanswered=_unanswered(rulebase, facts),
        trace=trace,
    )


def _prioritise(
    recs: list[tuple[CompiledRule, list[Firing]]], severity_of: dict[str, str], lang: str
) -> tuple[Recommendation, ...]:
    """Order recommendations within each audience (see README, "How advice is prioritised").

    Most urgent first (the most severe of the recommendation's own severity and of the
    findings it answers), then the one answering more findings, then by ID.
    """
    built: list[Recommendation] = []
    for audience in AUDIENCES:
        rows = []
        for compiled, firings in recs:
            rule = compiled.rule
            if rule.audience != audience:
                continue
            because = _because(firings)
            urgency = max(
                [rule.severity, *(severity_of[b] for b in because if b in severity_of)],
                key=SEVERITY_RANK.__getitem__,
            )
            rows.append((-SEVERITY_RANK[urgency], -len(because), rule.id, compiled, firings, because, urgency))
        rows.sort(key=lambda row: row[:3])
        for priority, (_, _, _, compiled, firings, because, urgency) in enumerate(rows, start=1):
            rule = compiled.rule
            assert rule.advice is not None and rule.audience is not None
            text = localized_rule_text(rule, lang)
            assert text.who is not None and text.first_step is not None and text.timeframe is not None
            built.append(
                Recommendation(
                    id=rule.id,
                    audience=rule.audience,
                    area=rule.area,
                    priority=priority,
                    urgency=urgency,
                    title=text.title,
                    because=because,
                    evidence=_evidence(compiled, firings),
                    advice=Advice(
                        who=text.who, first_step=text.first_step, timeframe=text.timeframe, action=text.action
                    ),
                    modules=tuple(rule.modules),
                    sources=_sources(compiled),
                )
            )
    return tuple(built)


def _areas(profile: Profile, findings: list[Finding]) -> tuple[AreaResult, ...]:
    results = []
    for key in AREA_KEYS:
        rating = getattr(profile.ratings, key)
        self_rating = int(rating.level) if rating is not None else None
        in_area = [f for f in findings if f.area == key]
        negatives = [f for f in in_area if f.kind in ("gap", "risk")]
        cap = min((MATURITY_CAP[f.severity] for f in negatives), default=4)
        capped_by = tuple(f.id for f in negatives if MATURITY_CAP[f.severity] == cap and cap < 4)
        if self_rating is not None:
            maturity: int | None = min(self_rating, cap)
            capped_by = capped_by if cap < self_rating else ()
        elif capped_by:
            maturity = cap
        else:
            maturity = None
        results.append(
            AreaResult(
                area=key,
                title=AREA_BY_KEY[key].title,
                maturity=maturity,
                self_rating=self_rating,
                capped_by=capped_by,
                strengths=tuple(f.id for f in in_area if f.kind in ("strength", "opportunity")),
                gaps=tuple(f.id for f in negatives),
            )
        )
    return tuple(results)


def _unanswered_areas(profile: Profile, rulebase: RuleBase, facts: Facts) -> tuple[str, ...]:
    """Areas with no self-rating and none of the questions their rules ask answered."""
    specs = catalogue()
    by_area = rulebase.fields_by_area
    return tuple(
        key
        for key in AREA_KEYS
        if getattr(profile.ratings, key) is None
        and not any(specs[p].key in facts for p in by_area.get(key, ()) if not p.startswith("ratings."))
    )


def _unanswered(rulebase: RuleBase, facts: Facts) -> tuple[Unanswered, ...]:
    specs = catalogue()
    rules_by_field = rulebase.rules_by_field
    return tuple(
        Unanswered.model_construct(field=path, question=specs[path].question, rules=rules_by_field[path])
        for path in specs
        if path in rules_by_field and specs[path].key not in facts
    )
