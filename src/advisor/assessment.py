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
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from advisor.areas import AREA_BY_KEY, AREA_KEYS, AUDIENCES
from advisor.engine.base import Firing, firing_order
from advisor.facts import Facts, FieldSpec, catalogue, profile_facts
from advisor.i18n import localized_rule_text
from advisor.profile import Profile
from advisor.rules.conditions import matched_fields
from advisor.rules.loader import CitationParts, CompiledRule, RuleBase
from advisor.rules.model import SEVERITY_RANK

OUTPUT_SCHEMA_VERSION = "1.0"

# A gap or risk of this severity caps its area's maturity at this level (1-4 scale).
MATURITY_CAP: dict[str, int] = {"critical": 1, "high": 2, "medium": 3, "low": 4, "info": 4}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# The parts an assessment has many of (findings, evidence, trace entries...) are frozen
# dataclasses, not models: made several hundred times per profile, a dataclass costs a
# fifth of ``model_construct``. Pydantic validates and serialises them like models (with
# the same JSON schema); ``__pydantic_config__`` refuses unknown keys when validating.
RECORD_CONFIG = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True)
class Evidence:
    __pydantic_config__ = RECORD_CONFIG

    field: str
    value: Any  # None: the question was not answered


@dataclass(frozen=True, slots=True)
class Source:
    __pydantic_config__ = RECORD_CONFIG

    source: str
    section: str
    quote: str
    statement: str
    kind: Literal["source", "domain"] = "source"  # a statement of the sources, or domain knowledge


@dataclass(frozen=True, slots=True)
class Finding:
    __pydantic_config__ = RECORD_CONFIG

    id: str
    kind: Literal["gap", "strength", "risk", "opportunity"]
    area: str
    severity: str
    title: str
    evidence: tuple[Evidence, ...]
    because: tuple[str, ...]  # findings this one combines
    sources: tuple[Source, ...]
    dimension: str = "programmatic"  # fiduciary | programmatic | sustainability | context (rules/model.py)


@dataclass(frozen=True, slots=True)
class Advice:
    __pydantic_config__ = RECORD_CONFIG

    who: str
    first_step: str
    timeframe: str
    action: str
    done_when: str | None = None  # an observable sign that it worked


@dataclass(frozen=True, slots=True)
class Recommendation:
    __pydantic_config__ = RECORD_CONFIG

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


@dataclass(frozen=True, slots=True)
class AreaResult:
    __pydantic_config__ = RECORD_CONFIG

    area: str
    title: str
    maturity: int | None  # None: neither rated nor touched by any finding
    self_rating: int | None
    capped_by: tuple[str, ...]
    strengths: tuple[str, ...]
    gaps: tuple[str, ...]  # gaps and risks


@dataclass(frozen=True, slots=True)
class TraceEntry:
    __pydantic_config__ = RECORD_CONFIG

    rule: str
    term: int
    facts: dict[str, Any]
    findings: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unanswered:
    __pydantic_config__ = RECORD_CONFIG

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


class Outcome(Frozen):
    """What fired for one profile: its findings, with their evidence and sources, and its
    recommendations in priority order. A donor's screening needs no more than this."""

    schema_version: str
    engine: str
    rulebase: RuleBaseInfo
    profile: ProfileInfo
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]

    def finding(self, rule_id: str) -> Finding | None:
        return next((f for f in self.findings if f.id == rule_id), None)

    def fired_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.findings) + tuple(r.id for r in self.recommendations)


class Assessment(Outcome):
    """The whole result: the Outcome, the maturity of every capacity area, what was left
    unanswered, and the trace of every rule that fired."""

    areas: tuple[AreaResult, ...]
    unanswered_areas: tuple[str, ...]
    unanswered: tuple[Unanswered, ...]
    trace: tuple[TraceEntry, ...]


def profile_hash(profile: Profile) -> str:
    blob = json.dumps(profile.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def evidence_value(spec: FieldSpec, facts: Facts) -> Any:
    """A field's value as the profile states it, read back from facts (None: unanswered)."""
    if spec.key not in facts:
        return None
    if spec.kind == "choices":
        return [choice for choice, key in spec.choice_keys if facts.get(key) is True]
    return facts[spec.key]


def cite(c: CitationParts) -> str:
    return f"{c.source}: {c.section} ({c.statement})"


# --- what every assessment with one rule base and language shares -----------------------
#
# Everything below is the same for every profile: built once per rule base (by digest)
# and language, so that an assessment only builds what its own firings decide. Nothing is
# validated again: the values come from a validated rule base and profile (models are made
# with model_construct, records directly).


@dataclass(frozen=True)
class _RuleParts:
    compiled: CompiledRule
    title: str
    sources: tuple[Source, ...]
    cites: tuple[str, ...]
    term_specs: tuple[dict[str, FieldSpec], ...]  # per term: the fields it tests, by path
    term_because: tuple[tuple[str, ...], ...]  # per term: the findings it needs, sorted
    is_finding: bool
    advice: Advice | None
    modules: tuple[str, ...]


@dataclass(frozen=True)
class _Shared:
    rules: dict[str, _RuleParts]
    info: RuleBaseInfo
    # (path, fact key, question, rules testing it) for every field some rule tests
    askable: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    area_keys: dict[str, frozenset[str]]  # per area, the fact keys of the questions its rules ask


_shared: dict[tuple[str, str], _Shared] = {}


def _rule_parts(compiled: CompiledRule, lang: str, rulebase: RuleBase) -> _RuleParts:
    rule = compiled.rule
    citations = [rulebase.citation_parts(c) for c in rule.sources]
    specs = catalogue()
    text = localized_rule_text(rule, lang)
    advice = None
    if rule.advice is not None:
        assert text.who is not None and text.first_step is not None and text.timeframe is not None
        advice = Advice(
            who=text.who, first_step=text.first_step, timeframe=text.timeframe, action=text.action,
            done_when=text.done_when,
        )
    return _RuleParts(
        compiled=compiled,
        title=text.title,
        sources=tuple(Source(c.source, c.section, c.quote, c.statement, c.kind) for c in citations),  # type: ignore[arg-type]
        cites=tuple(cite(c) for c in citations),
        term_specs=tuple({p: specs[p] for p in term.fields} for term in compiled.terms),
        term_because=tuple(tuple(sorted(set(term.positive_refs))) for term in compiled.terms),
        is_finding=rule.is_finding,
        advice=advice,
        modules=tuple(rule.modules),
    )


def _shared_parts(rulebase: RuleBase, lang: str) -> _Shared:
    key = (rulebase.digest, lang)
    found = _shared.get(key)
    if found is None:
        if len(_shared) >= 16:
            _shared.clear()
        specs = catalogue()
        rules_by_field = rulebase.rules_by_field
        found = _shared[key] = _Shared(
            rules={c.id: _rule_parts(c, lang, rulebase) for c in rulebase.rules},
            info=RuleBaseInfo.model_construct(
                version=rulebase.version, hash=rulebase.digest, rule_count=len(rulebase.rules)
            ),
            askable=tuple(
                (path, spec.key, spec.question, rules_by_field[path])
                for path, spec in specs.items()
                if path in rules_by_field
            ),
            area_keys={
                area: frozenset(specs[p].key for p in paths if not p.startswith("ratings."))
                for area, paths in rulebase.fields_by_area.items()
            },
        )
    return found


def _evidence(values: list[tuple[tuple[str, Any], ...]]) -> tuple[Evidence, ...]:
    """One rule's evidence: the fields its fired terms test, with their values, by path."""
    seen: dict[str, Any] = {}
    for pairs in values:
        for path, value in pairs:
            seen.setdefault(path, value)
    return tuple(Evidence(path, seen[path]) for path in sorted(seen))


def _because(fired: _Fired) -> tuple[str, ...]:
    """The findings a rule's fired terms needed, sorted."""
    if len(fired.firings) == 1:
        return fired.parts.term_because[fired.firings[0].term]
    return tuple(sorted({fid for f in fired.firings for fid in f.findings}))


@dataclass(slots=True)
class _Fired:
    """One rule's firings in an assessment, and the field values each firing tested."""

    parts: _RuleParts
    firings: list[Firing]
    values: list[tuple[tuple[str, Any], ...]]


def _group(shared: _Shared, firings: list[Firing]) -> dict[str, _Fired]:
    """The firings by rule, in rule and term order, with the field values each one tested."""
    by_rule: dict[str, _Fired] = {}
    for firing in sorted(firings, key=firing_order):
        fired = by_rule.get(firing.rule_id)
        if fired is None:
            fired = by_rule[firing.rule_id] = _Fired(shared.rules[firing.rule_id], [], [])
        fired.firings.append(firing)
        fired.values.append(_matched_values(fired.parts, firing))
    return by_rule


def _matched_values(parts: _RuleParts, firing: Firing) -> tuple[tuple[str, Any], ...]:
    """The fields that made this firing's term hold, with their values (a branch of an ``or``
    that did not hold is not evidence)."""
    specs = parts.term_specs[firing.term]
    if not specs:
        return ()
    expr = parts.compiled.terms[firing.term].expr
    assert expr is not None
    matched = dict.fromkeys(matched_fields(expr, firing.facts))
    return tuple((path, evidence_value(specs[path], firing.facts)) for path in matched)


def _with_rating_notes(evidence: tuple[Evidence, ...], profile: Profile) -> tuple[Evidence, ...]:
    """A self-rating in the evidence brings its evidence note along (what the organisation said
    supports the rating), right after it."""
    if not any(e.field.startswith("ratings.") for e in evidence):
        return evidence
    out: list[Evidence] = []
    for e in evidence:
        out.append(e)
        if e.field.startswith("ratings."):
            rating = getattr(profile.ratings, e.field.split(".", 1)[1], None)
            if rating is not None and rating.evidence:
                out.append(Evidence(f"{e.field}.evidence", rating.evidence))
    return tuple(out)


def _outcome_fields(
    profile: Profile, shared: _Shared, by_rule: dict[str, _Fired], engine: str
) -> dict[str, Any]:
    findings: list[Finding] = []
    recs: list[_Fired] = []
    for rule_id in sorted(by_rule):
        fired = by_rule[rule_id]
        rule = fired.parts.compiled.rule
        if fired.parts.is_finding:
            findings.append(
                Finding(
                    id=rule.id,
                    kind=rule.kind,  # type: ignore[arg-type]
                    area=rule.area,
                    severity=rule.severity,
                    title=fired.parts.title,
                    evidence=_with_rating_notes(_evidence(fired.values), profile),
                    because=_because(fired),
                    sources=fired.parts.sources,
                    dimension=rule.dimension or "programmatic",
                )
            )
        else:
            recs.append(fired)
    return {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "engine": engine,
        "rulebase": shared.info,
        "profile": ProfileInfo.model_construct(
            name=profile.organisation.name, hash=profile_hash(profile), schema_version=profile.schema_version
        ),
        "findings": tuple(findings),
        "recommendations": _prioritise(recs, {f.id: f.severity for f in findings}),
    }


def build_outcome(
    profile: Profile, rulebase: RuleBase, firings: list[Firing], engine: str, lang: str = "en"
) -> Outcome:
    """The findings and recommendations of ``profile`` from what an evaluator fired."""
    shared = _shared_parts(rulebase, lang)
    return Outcome.model_construct(**_outcome_fields(profile, shared, _group(shared, firings), engine))


def build_assessment(
    profile: Profile,
    rulebase: RuleBase,
    firings: list[Firing],
    engine: str,
    lang: str = "en",
    facts: Facts | None = None,
) -> Assessment:
    """The Assessment of ``profile`` from what an evaluator fired (``facts``: the profile's
    facts, when the caller has them already)."""
    shared = _shared_parts(rulebase, lang)
    by_rule = _group(shared, firings)
    outcome = _outcome_fields(profile, shared, by_rule, engine)
    trace = [
        TraceEntry(firing.rule_id, firing.term, dict(values), firing.findings, fired.parts.cites)
        for fired in by_rule.values()
        for firing, values in zip(fired.firings, fired.values)
    ]
    if facts is None:
        facts = profile_facts(profile)
    return Assessment.model_construct(
        **outcome,
        areas=_areas(profile, outcome["findings"], lang),
        unanswered_areas=_unanswered_areas(profile, shared, facts),
        unanswered=tuple(
            Unanswered(path, question, rules) for path, key, question, rules in shared.askable if key not in facts
        ),
        trace=tuple(trace),
    )


@dataclass(frozen=True, slots=True)
class _Ranked:
    """A fired recommendation with what decides its place."""

    fired: _Fired
    because: tuple[str, ...]
    urgency: str

    @property
    def rule(self) -> Any:
        return self.fired.parts.compiled.rule

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Most urgent first, then the one answering more findings, then by ID."""
        return (-SEVERITY_RANK[self.urgency], -len(self.because), self.rule.id)


def _prioritise(recs: list[_Fired], severity_of: dict[str, str]) -> tuple[Recommendation, ...]:
    """Order recommendations within each audience (see README, "How advice is prioritised").

    Most urgent first (the most severe of the recommendation's own severity and of the
    findings it answers), then the one answering more findings, then by ID; a rule's
    ``after`` list is honoured over that order (a security protocol before any public
    statement about funding), whatever the severities.
    """
    by_audience: dict[str, list[_Ranked]] = defaultdict(list)
    for fired in recs:
        rule = fired.parts.compiled.rule
        because = _because(fired)
        urgency: str = rule.severity
        for b in because:
            if b in severity_of and SEVERITY_RANK[severity_of[b]] > SEVERITY_RANK[urgency]:
                urgency = severity_of[b]
        assert rule.audience is not None
        by_audience[rule.audience].append(_Ranked(fired, because, urgency))
    built: list[Recommendation] = []
    for audience in AUDIENCES:
        for priority, ranked in enumerate(_honour_after(by_audience.get(audience, [])), start=1):
            rule = ranked.rule
            assert ranked.fired.parts.advice is not None
            built.append(
                Recommendation(
                    id=rule.id,
                    audience=rule.audience,
                    area=rule.area,
                    priority=priority,
                    urgency=ranked.urgency,
                    title=ranked.fired.parts.title,
                    because=ranked.because,
                    evidence=_evidence(ranked.fired.values),
                    advice=ranked.fired.parts.advice,
                    modules=ranked.fired.parts.modules,
                    sources=ranked.fired.parts.sources,
                )
            )
    return tuple(built)


def _honour_after(ranked: list[_Ranked]) -> list[_Ranked]:
    """``ranked`` in sort-key order, except that a recommendation comes after every fired
    recommendation its ``after`` names (the loader has refused cycles)."""
    ranked = sorted(ranked, key=lambda r: r.sort_key)
    if not any(r.rule.after for r in ranked):
        return ranked
    placed: set[str] = set()
    present = {r.rule.id for r in ranked}
    out: list[_Ranked] = []
    waiting = list(ranked)
    while waiting:
        for index, r in enumerate(waiting):
            if all(a in placed or a not in present for a in r.rule.after):
                out.append(waiting.pop(index))
                placed.add(r.rule.id)
                break
        else:  # pragma: no cover - the loader refuses cycles
            raise AssertionError("cycle in 'after'")
    return out


def _areas(profile: Profile, findings: list[Finding], lang: str = "en") -> tuple[AreaResult, ...]:
    from advisor.labels import area_title

    by_area: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_area[f.area].append(f)
    results = []
    for key in AREA_KEYS:
        rating = getattr(profile.ratings, key)
        self_rating = int(rating.level) if rating is not None else None
        in_area = by_area.get(key, [])
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
                title=area_title(key, lang),
                maturity=maturity,
                self_rating=self_rating,
                capped_by=capped_by,
                strengths=tuple(f.id for f in in_area if f.kind in ("strength", "opportunity")),
                gaps=tuple(f.id for f in negatives),
            )
        )
    return tuple(results)


def _unanswered_areas(profile: Profile, shared: _Shared, facts: Facts) -> tuple[str, ...]:
    """Areas with no self-rating and none of the questions their rules ask answered."""
    empty: frozenset[str] = frozenset()
    return tuple(
        key
        for key in AREA_KEYS
        if getattr(profile.ratings, key) is None and not any(k in facts for k in shared.area_keys.get(key, empty))
    )
