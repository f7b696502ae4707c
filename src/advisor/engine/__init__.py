"""Choosing an evaluator and running an assessment: the pure core's entry point.

``assess(profile, rulebase)`` returns an Assessment and does no I/O (``assess_outcome``
only its findings and recommendations). Evaluators are built
once per rule base and process (durable-rules registers a ruleset name only once per
process) and reused.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Literal

from advisor.engine.base import EngineLimitError, Evaluator, Firing
from advisor.engine.reference import ReferenceEvaluator
from advisor.errors import UsageError
from advisor.facts import Facts, profile_facts
from advisor.profile import Profile
from advisor.rules.loader import RuleBase

if TYPE_CHECKING:
    from advisor.assessment import Assessment, Outcome

EngineChoice = Literal["auto", "durable", "reference"]

DURABLE_UNAVAILABLE = (
    "durable-rules is not available on Python {v} (it supports 3.11 and 3.12); "
    "using the reference evaluator, which gives the same results"
)
# durable-rules has no wheels (it needs a C compiler), so it is not a dependency on Windows.
DURABLE_NOT_INSTALLED = (
    "durable-rules is not installed{where}; using the reference evaluator, which gives the same results"
)


def _unavailable_message() -> str:
    if sys.version_info >= (3, 13):
        return DURABLE_UNAVAILABLE.format(v=f"{sys.version_info.major}.{sys.version_info.minor}")
    where = " on Windows (it needs a C compiler there)" if os.name == "nt" else ""
    return DURABLE_NOT_INSTALLED.format(where=where)

DURABLE_LIMIT = "using the reference evaluator, which gives the same results: {reason}"

_evaluators: dict[tuple[str, str], Evaluator] = {}
_fallbacks: dict[str, str] = {}  # rule-base digest -> why durable-rules could not take it


def durable_available() -> bool:
    if sys.version_info >= (3, 13):
        return False
    try:
        import advisor.engine.durable_adapter  # noqa: F401
    except ImportError:
        return False
    return True


def engine_notice(choice: EngineChoice = "auto", rulebase: RuleBase | None = None) -> str | None:
    """A one-line notice when the durable-rules engine cannot be used, else None.

    With ``rulebase``, the evaluator for it is built now, so a rule base beyond
    durable-rules' limits is reported (``auto`` then uses the reference evaluator;
    ``durable`` raises the EngineLimitError naming the rule file)."""
    if choice == "auto" and not durable_available():
        return _unavailable_message()
    if rulebase is not None and choice != "reference":
        get_evaluator(rulebase, choice)
        if choice == "auto" and (reason := _fallbacks.get(rulebase.digest)):
            return DURABLE_LIMIT.format(reason=reason)
    return None


def get_evaluator(rulebase: RuleBase, choice: EngineChoice = "auto") -> Evaluator:
    name = choice
    if choice == "auto":
        name = "durable" if durable_available() else "reference"
    key = (rulebase.digest, name)
    if key not in _evaluators:
        if name == "durable":
            if not durable_available():
                raise UsageError(
                    _unavailable_message(),
                    suggestion="use --engine reference",
                )
            from advisor.engine.durable_adapter import DurableEvaluator

            try:
                _evaluators[key] = DurableEvaluator(rulebase)
            except EngineLimitError as exc:
                if choice != "auto":
                    raise
                # The reference evaluator gives the same results without the engine's limits.
                _fallbacks[rulebase.digest] = f"{exc.file}: {exc.message}" if exc.file else exc.message
                _evaluators[key] = ReferenceEvaluator(rulebase)
        else:
            _evaluators[key] = ReferenceEvaluator(rulebase)
    return _evaluators[key]


def _evaluate(profile: Profile, rulebase: RuleBase, engine: EngineChoice) -> tuple[Evaluator, Facts, list[Firing]]:
    evaluator = get_evaluator(rulebase, engine)
    facts = profile_facts(profile)
    return evaluator, facts, evaluator.evaluate(facts)


def assess(
    profile: Profile, rulebase: RuleBase, engine: EngineChoice = "auto", lang: str | None = None
) -> Assessment:
    """Evaluate one profile against the rule base; texts in ``lang`` (default: the current
    language, see advisor.i18n), falling back to English where a rule has no translation."""
    from advisor.assessment import build_assessment  # assessment imports engine.base
    from advisor.i18n import current_language

    evaluator, facts, firings = _evaluate(profile, rulebase, engine)
    return build_assessment(profile, rulebase, firings, evaluator.name, lang or current_language(), facts)


def assess_outcome(
    profile: Profile, rulebase: RuleBase, engine: EngineChoice = "auto", lang: str | None = None
) -> Outcome:
    """Only the findings and recommendations of ``profile`` (what a screening uses): the
    same evaluation as ``assess``, without the area maturity, unanswered questions and trace."""
    from advisor.assessment import build_outcome
    from advisor.i18n import current_language

    evaluator, _, firings = _evaluate(profile, rulebase, engine)
    return build_outcome(profile, rulebase, firings, evaluator.name, lang or current_language())


__all__ = ["EngineChoice", "Evaluator", "Firing", "assess", "assess_outcome", "engine_notice", "get_evaluator"]
