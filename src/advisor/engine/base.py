"""What an evaluator returns, and the interface both evaluators share."""

from __future__ import annotations

import operator
from typing import NamedTuple, Protocol

from advisor.errors import EngineError
from advisor.facts import Facts


class Firing(NamedTuple):
    """One alternative (term) of one rule that held for a profile (a named tuple: an
    evaluation makes dozens, and a tuple is the cheapest immutable record to make)."""

    rule_id: str
    term: int
    facts: Facts  # the profile facts the engine matched (empty when the term tests no field);
    # the evaluated dict itself, shared by the evaluation's firings: read, never change it
    findings: tuple[str, ...]  # the findings the term required, as matched


# The order of firings everywhere: by rule ID, then term (the tuple's first two items).
firing_order = operator.itemgetter(0, 1)


class Evaluator(Protocol):
    name: str

    def evaluate(self, facts: Facts) -> list[Firing]:
        """Every term of every rule that holds for ``facts``, sorted by rule ID and term."""
        ...


class EngineLimitError(EngineError):
    """The rule base is beyond what an engine can compile (found before it is handed to the
    engine). The reference evaluator has no such limit: ``--engine auto`` falls back to it."""
