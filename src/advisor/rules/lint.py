"""Checks over the whole rule base beyond what loading enforces (``advisor rules lint``, and
the test suite runs the same checks):

- every rule's cases behave and every example fires its rule, in every available evaluator;
- exclusive recommendations never fire together, and ``exclusive_with`` is symmetric;
- a rule file's name is its slug and its folder its area (recommendations: its audience);
- every gap and risk reaches at least one NGO recommendation and one training module;
- every recommendation answers a finding, unless marked ``standalone`` with a reason;
- every recommendation says how you will know it worked (``done_when``);
- every training module has 2-4 learning outcomes;
- every quoted source statement stands word for word in its source document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError
from advisor.profile import SCHEMA_VERSION
from advisor.profile_io import profile_from_data
from advisor.rules.loader import CompiledRule, RuleBase
from advisor.rules.model import SourceCitation

SOURCES_DIR = Path("coverage") / "sources"
MIN_OUTCOMES, MAX_OUTCOMES = 2, 4


def with_version(excerpt: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, **excerpt}


def available_engines() -> tuple[str, ...]:
    from advisor.engine import durable_available

    return ("reference", "durable") if durable_available() else ("reference",)


def lint(rulebase: RuleBase, engines: tuple[str, ...] | None = None) -> list[str]:
    """Problems found, one line each (empty when the rule base is clean)."""
    problems: list[str] = []
    for engine in engines or available_engines():
        problems += _case_problems(rulebase, engine)
    problems += layout_problems(rulebase)
    problems += reach_problems(rulebase)
    problems += advice_problems(rulebase)
    problems += quote_problems(rulebase)
    return list(dict.fromkeys(problems))


def _case_problems(rulebase: RuleBase, engine: str) -> list[str]:
    from advisor.engine import assess

    problems: list[str] = []
    exclusive = {tuple(sorted((r.id, o))) for c in rulebase.rules for r in [c.rule] for o in r.exclusive_with}
    tag = f" [{engine}]" if engine != "reference" else ""

    def run(excerpt: dict[str, Any], label: str) -> set[str] | None:
        try:
            profile = profile_from_data(with_version(excerpt), label)
        except AdvisorError as exc:
            problems.append(f"{label}: not a valid profile: {exc}")
            return None
        fired = set(assess(profile, rulebase, engine).fired_ids())  # type: ignore[arg-type]
        for a, b in exclusive:
            if a in fired and b in fired:
                problems.append(f"{label}: exclusive recommendations {a} and {b} both fire{tag}")
        return fired

    for compiled in rulebase.rules:
        rule = compiled.rule
        where = compiled.path
        fired = run(rule.doc.example, f"{where}: doc.example")
        if fired is not None and rule.id not in fired:
            problems.append(f"{where}: doc.example does not fire {rule.id}{tag}")
        cases = rulebase.cases.get(rule.id)
        if cases is None:
            problems.append(f"{where}: no cases file ({Path(where).stem}.cases.yaml) beside the rule")
            continue
        for case in cases.fires:
            fired = run(case.profile, f"{where}: case '{case.name}'")
            if fired is not None and rule.id not in fired:
                problems.append(f"{where}: case '{case.name}' should fire {rule.id} but does not{tag}")
        for case in cases.does_not_fire:
            fired = run(case.profile, f"{where}: case '{case.name}'")
            if fired is not None and rule.id in fired:
                problems.append(f"{where}: case '{case.name}' should not fire {rule.id} but does{tag}")
    return problems


def layout_problems(rulebase: RuleBase) -> list[str]:
    """File name = slug; folder = area (a recommendation: recommendations/<audience>);
    ``exclusive_with`` named on both sides."""
    problems: list[str] = []
    for compiled in rulebase.rules:
        rule, path = compiled.rule, Path(compiled.path)
        if path.stem != rule.slug:
            problems.append(f"{compiled.path}: file name '{path.name}' differs from the slug '{rule.slug}'")
        folder = f"recommendations/{rule.audience}" if rule.kind == "recommendation" else rule.area
        if "/".join(path.parent.parts[-folder.count("/") - 1:]) != folder:
            problems.append(f"{compiled.path}: a {rule.kind} of {rule.audience or rule.area} belongs in rules/{folder}/")
        for other in rule.exclusive_with:
            if rule.id not in rulebase.by_id[other].rule.exclusive_with:
                problems.append(f"{compiled.path}: exclusive_with names {other}, but {other} does not name {rule.id}")
    return problems


def _positive_refs(compiled: CompiledRule) -> set[str]:
    return {ref.rule_id for term in compiled.terms for ref in term.refs if not ref.negated}


def reach_problems(rulebase: RuleBase) -> list[str]:
    """Every gap or risk reaches an NGO recommendation and a training module; every
    recommendation answers a finding unless it is standalone."""
    problems: list[str] = []
    answered_by_ngo: set[str] = set()
    for compiled in rulebase.rules:
        if compiled.rule.audience == "ngo":
            answered_by_ngo |= _positive_refs(compiled)
    addressed = {fid for ids in rulebase.module_addresses.values() for fid in ids}
    for compiled in rulebase.rules:
        rule = compiled.rule
        if rule.kind in ("gap", "risk"):
            if rule.id not in answered_by_ngo:
                problems.append(f"{compiled.path}: {rule.kind} {rule.id} reaches no NGO recommendation")
            if rule.id not in addressed:
                problems.append(f"{compiled.path}: {rule.kind} {rule.id} is addressed by no training module")
        elif rule.kind == "recommendation" and not rule.standalone and not _positive_refs(compiled):
            problems.append(
                f"{compiled.path}: recommendation {rule.id} answers no finding "
                "(refer to the findings it answers, or mark it 'standalone: true' with a 'standalone_reason')"
            )
    return problems


def advice_problems(rulebase: RuleBase) -> list[str]:
    problems: list[str] = []
    for compiled in rulebase.rules:
        advice = compiled.rule.advice
        if advice is not None and not advice.done_when:
            problems.append(f"{compiled.path}: advice without 'done_when' (an observable sign that it worked)")
    for module in rulebase.modules:
        if not MIN_OUTCOMES <= len(module.outcomes) <= MAX_OUTCOMES:
            problems.append(
                f"module {module.id}: {len(module.outcomes)} learning outcomes "
                f"(give {MIN_OUTCOMES} to {MAX_OUTCOMES})"
            )
    return problems


def _normalise(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


@cache
def _source_text(path: Path) -> str | None:
    return _normalise(path.read_text(encoding="utf-8")) if path.is_file() else None


def quote_problems(rulebase: RuleBase, text_of: Callable[[Path], str | None] = _source_text) -> list[str]:
    """A source citation whose quote is not, word for word, in its source document."""
    problems: list[str] = []
    root = Path(rulebase.root) / SOURCES_DIR
    for compiled in rulebase.rules:
        for citation in compiled.rule.sources:
            if not isinstance(citation, SourceCitation):
                continue
            text = text_of(root / f"{citation.source}.txt")
            if text is None:
                problems.append(f"{compiled.path}: source text {citation.source}.txt not found in {root}")
            elif _normalise(citation.quote.strip(" .…")) not in text:
                problems.append(
                    f"{compiled.path}: the quote of {citation.statement} is not in {citation.source} word for word"
                )
    return problems
