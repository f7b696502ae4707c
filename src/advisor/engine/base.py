"""What an evaluator returns, and the interface both evaluators share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from advisor.facts import Facts


@dataclass(frozen=True)
class Firing:
    """One alternative (term) of one rule that held for a profile."""

    rule_id: str
    term: int
    facts: Facts  # the profile facts the engine matched (empty when the term tests no field)
    findings: tuple[str, ...]  # the findings the term required, as matched

    @property
    def sort_key(self) -> tuple[str, int]:
        return (self.rule_id, self.term)


class Evaluator(Protocol):
    name: str

    def evaluate(self, facts: Facts) -> list[Firing]:
        """Every term of every rule that holds for ``facts``, sorted by rule ID and term."""
        ...
