"""The shortest path to a better picture: the fewest answer changes that reach a goal. Pure.

``find_paths(profile, rulebase)`` searches over changes to the organisation's own answers
(only fields the catalogue marks ``actionable``; self-ratings are never changed) and returns,
for each goal, the sets of changes that reach it, ordered by number of changes, then effort,
then fewest new gaps or risks opened.

How it works:

1. **Candidate changes** come from the rules themselves. For every actionable field some
   rule tests, the rules' thresholds split its values into regions that every rule treats
   alike (``reserves < 3``: below 3, and 3 or more); each region the answer is not in
   gives one candidate, the value in it closest to the current answer (reserves 1 → 3,
   grant 9 → 12 or 24 months). Yes/no answers flip; a choice takes each other value; a
   list of choices gains or loses one tested choice per change.
2. **The search is exact** over those candidates for sets of up to ``max_changes``
   changes: every combination is considered, except ones that cannot matter (a change to a
   field no rule behind the goal reads; a set containing a smaller set that already reaches
   the goal, since only sets with nothing superfluous are reported). Rules are
   re-evaluated only where a change reaches (the rules that test the changed fields and
   those that build on them), in layer order, with the reference semantics
   (advisor.rules.conditions).
3. **Goals**: ``donor-band`` (the donor rating one band better, computed by the public
   screening function; only the changes that reach its fiduciary findings, the ones that
   set the rating, or the questions its confidence counts are searched), ``high-gaps`` (no gap or risk of high or critical severity left),
   ``area:AREA=LEVEL`` (the area's maturity at least LEVEL), ``close:RULE_ID``.
4. **Every reported path is checked** by a full assessment of the changed profile (which
   must validate: income shares still add up, and so on) and described as a comparison
   (advisor.views.compare): findings closed and opened, recommendations retired, maturity
   and donor rating before and after.

When no set within the limit reaches a goal, the result says so, with the findings that
no actionable answer can change ("standing in the way") and, for goals that need several
findings closed, a lower bound on the number of changes needed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import advisor.engine  # noqa: F401  (loads advisor.assessment without the engine/assessment import cycle)
from advisor.areas import AREA_BY_KEY, AREA_KEYS
from advisor.assessment import MATURITY_CAP, Assessment, Finding, Frozen, Outcome
from advisor.edits import apply_changes, current_value
from advisor.errors import UsageError, did_you_mean
from advisor.facts import NUMBER_DECIMALS, Facts, FieldSpec, catalogue, profile_facts
from advisor.profile import Profile
from advisor.rules.conditions import Test, expr_holds, test_holds, tests_of
from advisor.rules.loader import CompiledRule, RuleBase
from advisor.views.compare import AreaChange, Change, compare
from advisor.views.screening import RATING_RANK, screen

PATH_SCHEMA_VERSION = "1.0"
DEFAULT_MAX_CHANGES = 3
DEFAULT_TOP = 5
HIGH_SEVERITIES = frozenset({"high", "critical"})
NEGATIVE_KINDS = frozenset({"gap", "risk"})

GoalKind = Literal["donor-band", "high-gaps", "area", "close"]


# --- goals -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    kind: GoalKind
    area: str | None = None
    level: int | None = None
    rule_id: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "area":
            return f"area:{self.area}={self.level}"
        if self.kind == "close":
            return f"close:{self.rule_id}"
        return self.kind


DEFAULT_GOALS: tuple[Goal, ...] = (Goal("donor-band"), Goal("high-gaps"))


def parse_goal(text: str, rulebase: RuleBase) -> Goal:
    """``donor-band``, ``high-gaps``, ``area:AREA=LEVEL`` or ``close:RULE_ID``; errors name --goal."""
    text = text.strip()
    if text in ("donor-band", "high-gaps"):
        return Goal(text)  # type: ignore[arg-type]
    kind, sep, rest = text.partition(":")
    if sep and kind == "area":
        area, eq, level = rest.partition("=")
        if area not in AREA_BY_KEY:
            raise UsageError(f"unknown capacity area '{area}'", field="--goal",
                             suggestion=did_you_mean(area, AREA_KEYS) or "areas: " + ", ".join(AREA_KEYS))
        if not eq or level not in ("1", "2", "3", "4"):
            raise UsageError(f"'{text}': the level must be 1, 2, 3 or 4", field="--goal",
                             suggestion=f"e.g. area:{area}=3")
        return Goal("area", area=area, level=int(level))
    if sep and kind == "close":
        compiled = rulebase.by_id.get(rest)
        if compiled is None or not compiled.rule.is_finding:
            findings = [r.id for r in rulebase.rules if r.rule.is_finding]
            raise UsageError(f"'{rest}' is not a finding of this rule base", field="--goal",
                             suggestion=did_you_mean(rest, findings) or "see 'advisor rules list'")
        return Goal("close", rule_id=rest)
    raise UsageError(f"unknown goal '{text}'", field="--goal",
                     suggestion="use donor-band, high-gaps, area:AREA=LEVEL or close:RULE_ID")


# --- result records ------------------------------------------------------------------------


class PathChange(Frozen):
    field: str
    action: Literal["set", "add", "remove"]
    before: Any  # the current answer (None: unanswered)
    after: Any  # set: the new answer; add/remove: the choice
    effort_weeks: int | None


class Path(Frozen):
    changes: tuple[PathChange, ...]
    effort_weeks: int  # the sum of the known efforts
    effort_unknown: int  # changes without an effort estimate
    closes: tuple[Change, ...]  # gaps and risks that no longer fire
    opens: tuple[Change, ...]  # gaps and risks that would newly fire
    gains: tuple[Change, ...]  # strengths and opportunities that would newly fire
    loses: tuple[Change, ...]  # strengths and opportunities that no longer fire
    retires: tuple[Change, ...]  # recommendations no longer needed
    maturity: tuple[AreaChange, ...]  # areas whose maturity changes
    rating_before: str
    rating_after: str


class Blocker(Frozen):
    id: str
    title: str
    fields: tuple[str, ...]  # what it tests; none of them actionable


class GoalResult(Frozen):
    goal: str
    description: str
    status: Literal["reached", "found", "none_within_limit", "impossible"]
    max_changes: int
    paths: tuple[Path, ...]  # at most ``top``, best first
    found: int  # how many sets reach the goal within the limit
    blocking: tuple[Blocker, ...]
    lower_bound: int | None  # changes needed at least, where that can be told
    message: str


class PathReport(Frozen):
    schema_version: str
    organisation: str | None
    rating: str
    candidates: int  # candidate changes considered
    goals: tuple[GoalResult, ...]


# --- candidate changes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One candidate answer change."""

    path: str
    action: Literal["set", "add", "remove"]
    value: Any
    before: Any
    effort: int | None

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.path, self.action, repr(self.value))


def _field_facts(spec: FieldSpec, value: Any) -> dict[str, Any]:
    """The facts one field contributes (as advisor.facts.profile_facts makes them)."""
    if value is None:
        return {}
    if spec.kind == "choices":
        chosen = set(value)
        out: dict[str, Any] = {spec.key: len(chosen)}
        for choice, key in spec.choice_keys:
            out[key] = choice in chosen
        return out
    if spec.kind == "number":
        return {spec.key: round(float(value), NUMBER_DECIMALS) + 0.0}
    return {spec.key: value}


def _field_keys(spec: FieldSpec) -> tuple[str, ...]:
    return (spec.key, *(key for _, key in spec.choice_keys)) if spec.kind == "choices" else (spec.key,)


def _signature(tests: Sequence[Test], facts: Facts) -> tuple[bool, ...]:
    return tuple(test_holds(t, facts) for t in tests)


def _numeric_points(spec: FieldSpec, thresholds: list[float]) -> list[float]:
    """One value in every region the thresholds make (the thresholds and each side of them)."""
    lo = spec.ge if spec.ge is not None else min(thresholds) - 1
    hi = spec.le if spec.le is not None else max(thresholds) + 1
    points: set[float] = set()
    ts = sorted(set(thresholds))
    if spec.kind == "int":
        # every run of whole numbers between two thresholds holds one of these
        for t in ts:
            points.update((math.floor(t) - 1, math.floor(t), math.ceil(t), math.ceil(t) + 1))
    else:
        for i, t in enumerate(ts):
            below = ts[i - 1] if i > 0 else lo
            above = ts[i + 1] if i + 1 < len(ts) else hi
            points.add(t)
            for neighbour, sign in ((below, -1), (above, 1)):
                gap = abs(t - neighbour)
                if gap > 0:
                    points.add(t + sign * (1.0 if gap > 2 else gap / 2))
    return sorted(round(float(p), NUMBER_DECIMALS) for p in points if lo <= p <= hi)


def candidate_moves(profile: Profile, rulebase: RuleBase, fields: Iterable[str],
                    specs: Mapping[str, FieldSpec]) -> list[Move]:
    """Every candidate change to ``fields`` (actionable ones only), sorted."""
    facts = profile_facts(profile)
    tests_by_field: dict[str, list[Test]] = {}
    for compiled in rulebase.rules:
        for term in compiled.terms:
            if term.expr is not None:
                for t in tests_of(term.expr):
                    tests_by_field.setdefault(t.path, [])
                    if t not in tests_by_field[t.path]:
                        tests_by_field[t.path].append(t)
    moves: list[Move] = []
    for path in sorted(set(fields)):
        spec = specs.get(path)
        if spec is None or not spec.actionable or spec.kind in ("rating", "text", "string"):
            continue
        tests = tests_by_field.get(path, [])
        if not tests:
            continue
        before = current_value(profile, path)
        effort = spec.effort_weeks
        if spec.kind == "choices":
            chosen = set(before or [])
            tested = {t.value for t in tests if t.op in ("contains", "lacks")}
            if any(t.op in ("answered", "unanswered") for t in tests) and not tested and before is None:
                tested = {spec.choices[0]}
            for choice in spec.choices:
                if choice in tested:
                    action: Literal["add", "remove"] = "remove" if choice in chosen else "add"
                    moves.append(Move(path, action, choice, before, effort))
            continue
        base = {k: v for k, v in facts.items() if k not in _field_keys(spec)}
        current_sig = _signature(tests, facts)
        values: list[Any]
        if spec.kind == "bool":
            values = [True, False]
        elif spec.kind == "choice":
            values = list(spec.choices)
        else:
            thresholds = [float(v) for t in tests for v in (t.value if isinstance(t.value, tuple) else (t.value,))
                          if isinstance(v, (int, float)) and not isinstance(v, bool)]
            if not thresholds:
                thresholds = [spec.ge or 0.0]
            values = _numeric_points(spec, thresholds)
            if spec.kind == "int":
                values = [int(v) for v in values]
        best: dict[tuple[bool, ...], Any] = {}
        for v in values:
            if v == before and type(v) is type(before):
                continue
            sig = _signature(tests, {**base, **_field_facts(spec, v)})
            if sig == current_sig:
                continue
            known = best.get(sig)
            if known is None or _closer(v, known, before):
                best[sig] = v
        for v in sorted(best.values(), key=repr):
            moves.append(Move(path, "set", v, before, effort))
    return sorted(moves, key=lambda m: m.sort_key)


def _closer(v: Any, known: Any, before: Any) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        ref = before if isinstance(before, (int, float)) and not isinstance(before, bool) else 0
        return (abs(v - ref), v) < (abs(known - ref), known)
    return False


def _new_values(moves: Sequence[Move]) -> dict[str, Any]:
    """The answers a set of moves gives, per field."""
    out: dict[str, Any] = {}
    for m in moves:
        if m.action == "set":
            out[m.path] = m.value
        else:
            current = out.get(m.path, m.before)
            chosen = list(current or [])
            if m.action == "add" and m.value not in chosen:
                chosen.append(m.value)
            elif m.action == "remove" and m.value in chosen:
                chosen.remove(m.value)
            out[m.path] = chosen
    for path, value in out.items():
        if isinstance(value, list):
            spec_choices = catalogue()[path].choices
            out[path] = [c for c in spec_choices if c in value]
    return out


# --- fast re-evaluation ------------------------------------------------------------------------


class _Evaluator:
    """Finding rules re-evaluated only where changes reach (reference semantics)."""

    def __init__(self, rulebase: RuleBase, specs: Mapping[str, FieldSpec]) -> None:
        self.specs = specs
        self.rules: list[CompiledRule] = sorted((r for r in rulebase.rules if r.rule.is_finding),
                                                key=lambda r: (r.stratum, r.id))
        self.order = {r.id: i for i, r in enumerate(self.rules)}
        dependents: dict[str, set[str]] = {}
        for r in self.rules:
            for ref in r.references:
                dependents.setdefault(ref, set()).add(r.id)
        self.by_field: dict[str, tuple[str, ...]] = {}
        direct: dict[str, set[str]] = {}
        for r in self.rules:
            for term in r.terms:
                for path in term.fields:
                    direct.setdefault(path, set()).add(r.id)
        for path, ids in direct.items():
            reach = set(ids)
            stack = list(ids)
            while stack:
                for d in dependents.get(stack.pop(), ()):
                    if d not in reach:
                        reach.add(d)
                        stack.append(d)
            self.by_field[path] = tuple(sorted(reach, key=self.order.__getitem__))
        self.support: dict[str, frozenset[str]] = {}
        by_id = {r.id: r for r in self.rules}

        def support(rule_id: str) -> frozenset[str]:
            if rule_id not in self.support:
                r = by_id[rule_id]
                found = {p for t in r.terms for p in t.fields}
                for ref in r.references:
                    found |= support(ref)
                self.support[rule_id] = frozenset(found)
            return self.support[rule_id]

        for r in self.rules:
            support(r.id)
        self.by_id = by_id

    def fired(self, facts: Facts, base: frozenset[str] | None = None,
              only: Iterable[str] | None = None) -> frozenset[str]:
        fired = set(base or ())
        rules = self.rules if only is None else [self.by_id[i] for i in sorted(set(only), key=self.order.__getitem__)]
        for compiled in rules:
            held = False
            for term in compiled.terms:
                if term.expr is not None and not expr_holds(term.expr, facts):
                    continue
                if any((ref.rule_id in fired) == ref.negated for ref in term.refs):
                    continue
                held = True
                break
            if held:
                fired.add(compiled.id)
            else:
                fired.discard(compiled.id)
        return frozenset(fired)

    def reach(self, path: str) -> tuple[str, ...]:
        return self.by_field.get(path, ())


# --- the search ---------------------------------------------------------------------------------


@dataclass
class _Context:
    profile: Profile
    rulebase: RuleBase
    evaluator: _Evaluator
    facts: Facts
    fired0: frozenset[str]
    outcome0: Assessment
    rating0: str
    findings: dict[str, Finding]  # every finding rule as a bare Finding (for screening)
    screen_paths: frozenset[str]
    memo: dict[Any, bool]
    negatives0: frozenset[str] = frozenset()
    negative_rules: frozenset[str] = frozenset()  # the gaps and risks that can set the donor's rating
    gap_rules: frozenset[str] = frozenset()  # every gap and risk
    high_rules: frozenset[str] = frozenset()  # ... of high or critical severity
    combining_rules: frozenset[str] = frozenset()  # findings that refer to other findings


def _bare_findings(rulebase: RuleBase, outcome: Outcome) -> dict[str, Finding]:
    fired = {f.id: f for f in outcome.findings}
    out = {}
    for r in rulebase.rules:
        if r.rule.is_finding:
            # a finding not firing now: the findings it may combine are all its terms refer to
            out[r.id] = fired.get(r.id) or Finding(
                id=r.id, kind=r.rule.kind, area=r.rule.area, severity=r.rule.severity,  # type: ignore[arg-type]
                title=r.rule.title, evidence=(), because=tuple(sorted({i for t in r.terms for i in t.positive_refs})),
                sources=(), dimension=r.rule.dimension or "programmatic")
    return out


def _rating_of(ctx: _Context, fired: frozenset[str], values: dict[str, Any]) -> str:
    outcome = ctx.outcome0.model_copy(update={
        "findings": tuple(ctx.findings[i] for i in sorted(fired)), "recommendations": ()})
    profile = ctx.profile
    touched = {p: v for p, v in values.items() if p in ctx.screen_paths}
    if touched:
        sections: dict[str, dict[str, Any]] = {}
        for p, v in touched.items():
            section, name = p.split(".")
            sections.setdefault(section, {})[name] = v
        profile = profile.model_copy(update={
            s: getattr(profile, s).model_copy(update=u) for s, u in sections.items()})
    return str(screen(outcome, profile).risk.rating)


def _maturity_ok(ctx: _Context, goal: Goal, fired: frozenset[str]) -> bool:
    rating = getattr(ctx.profile.ratings, goal.area or "")
    self_rating = int(rating.level) if rating is not None else None
    assert goal.level is not None
    if self_rating is not None and self_rating < goal.level:
        return False
    return not any(
        MATURITY_CAP[f.severity] < goal.level
        for i in fired if (f := ctx.findings[i]).area == goal.area and f.kind in NEGATIVE_KINDS
    )


def _reached(ctx: _Context, goal: Goal, fired: frozenset[str], values: dict[str, Any]) -> bool:
    if goal.kind == "close":
        return goal.rule_id not in fired
    if goal.kind == "high-gaps":
        return not (fired & ctx.high_rules)
    if goal.kind == "area":
        return _maturity_ok(ctx, goal, fired)
    # The rating reads the gaps and risks (and, for its confidence, which of some questions
    # are answered). Adding a finding never improves it, unless the new finding combines
    # others (the screening then counts it instead of its parts). So, when nothing new
    # combines: a set that closes none of today's gaps or risks and answers nothing the
    # screening counts cannot reach the goal, and is not screened; and when closing only
    # what this set closes (opening nothing) does not improve the rating, the set does not
    # either (screened once per closed set).
    negatives = fired & ctx.negative_rules
    touched = tuple(sorted(p for p, v in values.items() if p in ctx.screen_paths)) if values else ()
    closed = ctx.negatives0 - negatives
    monotone = not any(set(ctx.findings[i].because) & negatives
                       for i in (negatives - ctx.negatives0) & ctx.combining_rules)
    if monotone and not touched and not closed:
        return False
    only_closing = ctx.negatives0 - closed
    if monotone and negatives != only_closing:
        key = (only_closing, touched)
        if key not in ctx.memo:
            ctx.memo[key] = RATING_RANK[_rating_of(ctx, ctx.fired0 - closed, values)] < RATING_RANK[ctx.rating0]
        if not ctx.memo[key]:
            return False
    key = (negatives, touched)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = RATING_RANK[_rating_of(ctx, fired, values)] < RATING_RANK[ctx.rating0]
    return found


def _relevant_rules(ctx: _Context, goal: Goal) -> frozenset[str]:
    """The finding rules whose firing the goal reads."""
    f = ctx.findings
    if goal.kind == "close":
        return frozenset({goal.rule_id or ""})
    if goal.kind == "high-gaps":
        return frozenset(i for i, x in f.items() if x.kind in NEGATIVE_KINDS and x.severity in HIGH_SEVERITIES)
    if goal.kind == "area":
        return frozenset(i for i, x in f.items() if x.area == goal.area and x.kind in NEGATIVE_KINDS)
    return ctx.negative_rules  # donor-band: what sets the rating


def _must_close(ctx: _Context, goal: Goal) -> list[str]:
    """Findings firing now that the goal needs closed (empty for donor-band: it has no such list)."""
    relevant = _relevant_rules(ctx, goal)
    if goal.kind == "area":
        assert goal.level is not None
        return sorted(i for i in ctx.fired0 & relevant if MATURITY_CAP[ctx.findings[i].severity] < goal.level)
    if goal.kind == "donor-band":
        return []
    return sorted(ctx.fired0 & relevant)


def _describe(goal: Goal, ctx: _Context) -> str:
    if goal.kind == "donor-band":
        return f"donor rating one band better than {ctx.rating0}"
    if goal.kind == "high-gaps":
        return "no gap or risk of high or critical severity left"
    if goal.kind == "area":
        return f"{AREA_BY_KEY[goal.area or ''].title}: maturity {goal.level} or better"
    return f"{goal.rule_id} ({ctx.findings[goal.rule_id or ''].title}) closed"


def _lower_bound(sets: list[frozenset[int]]) -> int:
    """At least this many changes hit every set: a greedy packing of pairwise disjoint sets."""
    chosen: list[frozenset[int]] = []
    for s in sorted(sets, key=lambda x: (len(x), sorted(x))):
        if all(not (s & c) for c in chosen):
            chosen.append(s)
    return len(chosen)


def _search_goal(ctx: _Context, goal: Goal, moves: list[Move], max_changes: int, top: int) -> GoalResult:
    ev = ctx.evaluator
    description = _describe(goal, ctx)
    if _reached(ctx, goal, ctx.fired0, {}):
        return GoalResult(goal=goal.label, description=description, status="reached", max_changes=max_changes,
                          paths=(), found=0, blocking=(), lower_bound=0, message="already reached")
    if goal.kind == "donor-band" and RATING_RANK[ctx.rating0] == 0:
        return GoalResult(goal=goal.label, description=description, status="reached", max_changes=max_changes,
                          paths=(), found=0, blocking=(), lower_bound=0,
                          message=f"the donor rating is already {ctx.rating0}, the best band")
    relevant = _relevant_rules(ctx, goal)
    fields = set().union(*(ev.support[i] for i in relevant)) if relevant else set()
    if goal.kind == "donor-band":
        fields |= ctx.screen_paths
    idx = [i for i, m in enumerate(moves) if m.path in fields]
    reach = [frozenset(ev.reach(moves[i].path)) for i in idx]
    values1 = [_new_values([moves[i]]) for i in idx]
    single: list[frozenset[str]] = []
    for i, vals in zip(idx, values1):
        facts = dict(ctx.facts)
        spec = ev.specs[moves[i].path]
        for k in _field_keys(spec):
            facts.pop(k, None)
        facts.update(_field_facts(spec, vals[moves[i].path]))
        single.append(ev.fired(facts, ctx.fired0, ev.reach(moves[i].path)))
    delta = [f ^ ctx.fired0 for f in single]
    must = _must_close(ctx, goal)
    hits = {h: frozenset(j for j, r in enumerate(reach) if h in r) for h in must}
    blocking = tuple(
        Blocker(id=h, title=ctx.findings[h].title,
                fields=tuple(sorted(p for p in ev.support[h])))
        for h in must if not hits[h]
    )
    lower = _lower_bound(list(hits.values())) if must else None
    if goal.kind == "area" and goal.level is not None:
        rating = getattr(ctx.profile.ratings, goal.area or "")
        if rating is not None and int(rating.level) < goal.level:
            return GoalResult(
                goal=goal.label, description=description, status="impossible", max_changes=max_changes, paths=(),
                found=0, blocking=blocking, lower_bound=None,
                message=f"the self-rating for this area is {int(rating.level)}, and maturity never exceeds the "
                        "self-rating; no change of answers raises it (rate the area again when it has improved)")
    if blocking:
        names = ", ".join(f"{b.id} ({', '.join(b.fields)})" for b in blocking)
        return GoalResult(
            goal=goal.label, description=description, status="impossible", max_changes=max_changes, paths=(),
            found=0, blocking=blocking, lower_bound=lower,
            message=f"no change the organisation can make itself closes {names}: "
                    "these answers are not in its hands")
    solutions: list[tuple[int, ...]] = []
    if lower is None or lower <= max_changes:
        solutions = _enumerate(ctx, goal, moves, idx, reach, delta, relevant, hits, max_changes)
    paths: list[Path] = []
    checked = 0
    ranked = solutions  # by number of changes, effort, new gaps or risks opened, size of the steps
    for combo in ranked:
        ms = [moves[idx[j]] for j in combo]
        changed = _valid(ctx, ms)
        if changed is None:
            continue
        if len(paths) < top:
            path = _check(ctx, goal, ms, changed)
            if path is None:
                continue
            paths.append(path)
        checked += 1
    if paths:
        more = checked - len(paths)
        return GoalResult(
            goal=goal.label, description=description, status="found", max_changes=max_changes, paths=tuple(paths),
            found=checked, blocking=(), lower_bound=lower,
            message=(f"{checked} sets of changes within {max_changes} reach the goal" if checked != 1
                     else f"1 set of changes within {max_changes} reaches the goal")
                    + (f"; the best {len(paths)} shown" if more else ""))
    needs = f" (at least {lower} changes are needed)" if lower is not None and lower > max_changes else ""
    if must:
        needs += "; to close: " + ", ".join(must)
    if goal.kind == "donor-band":
        blocking = _rating_blockers(ctx, moves)
    if blocking:
        needs += "; standing in the way, not in the organisation's hands: " + ", ".join(
            f"{b.id} ({', '.join(b.fields)})" for b in blocking)
    return GoalResult(
        goal=goal.label, description=description, status="none_within_limit", max_changes=max_changes, paths=(),
        found=0, blocking=blocking, lower_bound=lower,
        message=f"no path within {max_changes} change{'s' if max_changes != 1 else ''}{needs}")


def _rating_blockers(ctx: _Context, moves: list[Move]) -> tuple[Blocker, ...]:
    """The reasons behind today's donor rating that no candidate change can touch."""
    ev = ctx.evaluator
    movable = {m.path for m in moves}
    reached = set().union(*(ev.reach(p) for p in movable)) if movable else set()
    out = []
    for reason in screen(ctx.outcome0, ctx.profile).risk.reasons:
        if reason.id in ctx.findings:
            if reason.id in reached:
                continue
            fields = tuple(sorted(ev.support[reason.id]))
        else:  # the screening's own findings (confidence, grant size): the answers they read
            fields = tuple(sorted(e.field for e in reason.evidence if e.field not in movable))
            if not fields:
                continue
        out.append(Blocker(id=reason.id, title=reason.title, fields=fields))
    return tuple(out)


def _answers_screening(ctx: _Context, move: Move) -> bool:
    """Whether the move answers a question the screening's confidence counts (it counts
    which of them are answered, not the answers: those act through the findings)."""
    return move.path in ctx.screen_paths and move.before is None


def _enumerate(ctx: _Context, goal: Goal, moves: list[Move], idx: list[int], reach: list[frozenset[str]],
               delta: list[frozenset[str]], relevant: frozenset[str], hits: dict[str, frozenset[int]],
               max_changes: int) -> list[tuple[int, ...]]:
    """Every set of up to ``max_changes`` candidates that reaches the goal and has no
    subset that does, by depth-first search in index order (so each set is met once)."""
    n = len(idx)
    relevant_sets = [d & relevant for d in delta]
    screen_touch = [_answers_screening(ctx, moves[i]) for i in idx]
    paths = [moves[i].path if moves[i].action == "set" else None for i in idx]
    must = [hits[h] for h in sorted(hits)]
    solutions: list[tuple[int, ...]] = []
    solution_sets: set[frozenset[int]] = set()
    opened: dict[tuple[int, ...], int] = {}
    singles: set[int] = set()

    def contains_solution(combo: tuple[int, ...], new: int) -> bool:
        # subsets that include ``new`` (the others were checked when the prefix was built;
        # ``new`` alone is never a solution here: single solutions are left out before)
        for k in range(1, len(combo) + 1):
            for sub in combinations(combo, k):
                if frozenset((*sub, new)) in solution_sets:
                    return True
        return False

    def visit(combo: tuple[int, ...]) -> None:
        if len(combo) > 1 and _superfluous(combo, reach, relevant_sets, screen_touch):
            return
        if must and not all(any(j in hit for j in combo) for hit in must):
            return
        fired = _combo_fired(ctx, combo, idx, moves, reach, delta)
        values = (_new_values([moves[idx[j]] for j in combo if screen_touch[j]])
                  if any(screen_touch[j] for j in combo) else {})
        if _reached(ctx, goal, fired, values):
            solutions.append(combo)
            opened[combo] = len((fired - ctx.fired0) & ctx.gap_rules)
            solution_sets.add(frozenset(combo))
            if len(combo) == 1:
                singles.add(combo[0])

    # A change that alone touches nothing the goal reads only counts together with a change
    # whose rules it meets ("neighbours"); the last change of a set is chosen accordingly.
    useful = frozenset(j for j in range(n) if relevant_sets[j] or screen_touch[j])
    neighbours = [frozenset(k for k in range(n) if k != j and reach[j] & reach[k]) for j in range(n)]
    everyone = frozenset(range(n))

    def last_choices(combo: tuple[int, ...], unhit: list[frozenset[int]]) -> frozenset[int]:
        lacking = [j for j in combo if j not in useful and not any(k in neighbours[j] for k in combo)]
        if lacking:
            allowed = everyone
            for j in lacking:
                allowed = allowed & neighbours[j]
        else:
            allowed = useful.union(*(neighbours[k] for k in combo))
        for hit in unhit:
            allowed = allowed & hit
        return allowed

    def extend(combo: tuple[int, ...], start: int, size: int) -> None:
        if len(combo) == size:
            visit(combo)
            return
        remaining = size - len(combo)
        unhit: list[frozenset[int]] = []
        if must:  # the sets still unhit must be hittable with the changes left
            unhit = [hit for hit in must if not any(j in hit for j in combo)]
            if unhit and _lower_bound(unhit) > remaining:
                return
        choices: Iterable[int] = range(start, n - remaining + 1)
        if remaining == 1 and combo:
            choices = sorted(j for j in last_choices(combo, unhit) if j >= start)
        for j in choices:
            if j in singles:
                continue
            if paths[j] is not None and any(paths[k] == paths[j] for k in combo):
                continue
            if len(combo) >= 1 and contains_solution(combo, j):
                continue
            extend((*combo, j), j + 1, size)

    for size in range(1, max_changes + 1):
        extend((), 0, size)
    return sorted(solutions, key=lambda c: (*_rank(c, idx, moves)[:3], opened[c], _distance(c, idx, moves),
                                            _rank(c, idx, moves)[3]))


def _superfluous(combo: tuple[int, ...], reach: list[frozenset[str]], relevant_sets: list[frozenset[str]],
                 screen_touch: list[bool]) -> bool:
    """A member that alone changes nothing the goal reads and meets no other member's rules
    leaves the outcome as the set without it: such a set is never a minimal path."""
    for j in combo:
        if relevant_sets[j] or screen_touch[j]:
            continue
        others: set[str] = set()
        for k in combo:
            if k != j:
                others |= reach[k]
        if not (reach[j] & others):
            return True
    return False


def _combo_fired(ctx: _Context, combo: tuple[int, ...], idx: list[int], moves: list[Move],
                 reach: list[frozenset[str]], delta: list[frozenset[str]]) -> frozenset[str]:
    disjoint = True
    seen: set[str] = set()
    for j in combo:
        if reach[j] & seen:
            disjoint = False
            break
        seen |= reach[j]
    if disjoint:
        fired = set(ctx.fired0)
        for j in combo:
            fired ^= delta[j]
        return frozenset(fired)
    ev = ctx.evaluator
    facts = dict(ctx.facts)
    for path, value in _new_values([moves[idx[j]] for j in combo]).items():
        spec = ev.specs[path]
        for k in _field_keys(spec):
            facts.pop(k, None)
        facts.update(_field_facts(spec, value))
    return ev.fired(facts, ctx.fired0, seen)


def _distance(combo: tuple[int, ...], idx: list[int], moves: list[Move]) -> float:
    """How far the numbers move, each as a share of its field's range (ties go to the smaller step)."""
    total = 0.0
    specs = catalogue()
    for j in combo:
        m = moves[idx[j]]
        if m.action == "set" and isinstance(m.value, (int, float)) and not isinstance(m.value, bool) \
                and isinstance(m.before, (int, float)) and not isinstance(m.before, bool):
            spec = specs[m.path]
            span = (spec.le or 0) - (spec.ge or 0)
            total += abs(m.value - m.before) / span if span > 0 else 0.0
    return total


def _rank(combo: tuple[int, ...], idx: list[int], moves: list[Move]) -> tuple[Any, ...]:
    ms = [moves[idx[j]] for j in combo]
    unknown = sum(1 for m in ms if m.effort is None)
    effort = sum(m.effort or 0 for m in ms)
    return (len(ms), unknown, effort, [m.sort_key for m in ms])


def _valid(ctx: _Context, ms: list[Move]) -> Profile | None:
    """The changed profile, or None when the changes do not make a valid one (income shares
    over 100 %, say)."""
    from advisor.errors import AdvisorError

    try:
        return apply_changes(ctx.profile, sorted(_new_values(ms).items()))
    except AdvisorError:
        return None


def _check(ctx: _Context, goal: Goal, ms: list[Move], changed: Profile) -> Path | None:
    """The path described by a full assessment of the changed profile (None: the goal is not
    reached after all, which the tests show does not happen)."""
    from advisor.engine import assess

    new = assess(changed, ctx.rulebase, "reference", lang=None)
    new_screen = screen(new, changed)
    fired = frozenset(f.id for f in new.findings)
    if not _reached_full(ctx, goal, new, fired, str(new_screen.risk.rating)):
        return None
    def negative(c: Change) -> bool:
        return c.id in ctx.gap_rules

    comparison = compare(ctx.outcome0, new, screen(ctx.outcome0, ctx.profile), new_screen,
                         old_label="now", new_label="with the changes")
    return Path(
        changes=tuple(PathChange(field=m.path, action=m.action, before=m.before, after=m.value,
                                 effort_weeks=m.effort) for m in ms),
        effort_weeks=sum(m.effort or 0 for m in ms),
        effort_unknown=sum(1 for m in ms if m.effort is None),
        closes=tuple(c for c in comparison.findings if c.status == "resolved" and negative(c)),
        opens=tuple(c for c in comparison.findings if c.status == "new" and negative(c)),
        gains=tuple(c for c in comparison.findings if c.status == "new" and not negative(c)),
        loses=tuple(c for c in comparison.findings if c.status == "resolved" and not negative(c)),
        retires=tuple(c for c in comparison.recommendations if c.status == "resolved"),
        maturity=tuple(a for a in comparison.areas if a.before != a.after),
        rating_before=comparison.rating.before,
        rating_after=comparison.rating.after,
    )


def _reached_full(ctx: _Context, goal: Goal, new: Assessment, fired: frozenset[str], rating: str) -> bool:
    if goal.kind == "donor-band":
        return RATING_RANK[rating] < RATING_RANK[ctx.rating0]
    if goal.kind == "area":
        area = next(a for a in new.areas if a.area == goal.area)
        assert goal.level is not None
        return (area.maturity is None and area.self_rating is None) or (
            area.maturity is not None and area.maturity >= goal.level)
    return _reached(ctx, goal, fired, {})


def find_paths(profile: Profile, rulebase: RuleBase, goals: Sequence[Goal] = DEFAULT_GOALS, *,
               max_changes: int = DEFAULT_MAX_CHANGES, top: int = DEFAULT_TOP,
               specs: Mapping[str, FieldSpec] | None = None) -> PathReport:
    """The smallest sets of answer changes that reach each goal (see the module docstring).

    ``specs``: the field catalogue (default advisor.facts.catalogue(); its ``actionable`` and
    ``effort_weeks`` decide what may change and what it costs). Deterministic; no I/O."""
    from advisor.engine import assess

    if max_changes < 1:
        raise UsageError("must be 1 or more", field="--max-changes")
    specs = catalogue() if specs is None else specs
    evaluator = _Evaluator(rulebase, specs)
    facts = profile_facts(profile)
    outcome0 = assess(profile, rulebase, "reference", lang=None)
    fired0 = evaluator.fired(facts)
    assert fired0 == frozenset(f.id for f in outcome0.findings), "path search and the engine disagree"
    screening0 = screen(outcome0, profile)
    from advisor.views import screening as screening_module

    ctx = _Context(
        profile=profile, rulebase=rulebase, evaluator=evaluator, facts=facts, fired0=fired0, outcome0=outcome0,
        rating0=str(screening0.risk.rating), findings=_bare_findings(rulebase, outcome0),
        screen_paths=frozenset(getattr(screening_module, "FINANCIAL_QUESTIONS", ())), memo={},
    )
    negative = ctx.gap_rules = frozenset(i for i, f in ctx.findings.items() if f.kind in NEGATIVE_KINDS)
    ctx.high_rules = frozenset(i for i in negative if ctx.findings[i].severity in HIGH_SEVERITIES)
    # Only fiduciary gaps and risks set the donor's rating (views/screening.py, property-tested
    # there); the others add support and protection. A screening without dimensions: all count.
    rating_dimension = getattr(screening_module, "FIDUCIARY", None)
    ctx.negative_rules = frozenset(i for i in negative
                                   if rating_dimension is None or ctx.findings[i].dimension == rating_dimension)
    ctx.negatives0 = fired0 & ctx.negative_rules
    ctx.combining_rules = frozenset(i for i, f in ctx.findings.items() if f.because or rulebase.by_id[i].references)
    moves = candidate_moves(profile, rulebase, evaluator.by_field.keys() | ctx.screen_paths, specs)
    results = tuple(_search_goal(ctx, g, moves, max_changes, top) for g in goals)
    return PathReport(schema_version=PATH_SCHEMA_VERSION, organisation=profile.organisation.name,
                      rating=ctx.rating0, candidates=len(moves), goals=results)


__all__ = ["DEFAULT_GOALS", "Goal", "GoalResult", "Path", "PathChange", "PathReport", "candidate_moves",
           "find_paths", "parse_goal"]
