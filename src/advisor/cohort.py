"""Reading a cohort (a directory or JSON Lines of profiles) into peer records: each profile is
assessed and reduced at once to what the benchmark keeps (advisor.views.benchmark.PeerRecord);
no name, file or answer of a peer is kept. Unreadable entries are counted, never named."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from advisor.batch import ItemError, iter_items, load_item
from advisor.engine import EngineChoice, assess
from advisor.errors import AdvisorError
from advisor.rules.loader import RuleBase
from advisor.views.benchmark import PeerRecord, peer_record


def load_cohort(paths: Iterable[Path], rulebase: RuleBase, engine: EngineChoice = "auto") -> tuple[list[PeerRecord], int]:
    """The peer records of every readable profile under ``paths``, and how many could not be read."""
    records: list[PeerRecord] = []
    failed = 0
    for item in iter_items(paths):
        if isinstance(item, ItemError):
            failed += 1
            continue
        try:
            profile = load_item(item)
        except AdvisorError:
            failed += 1
            continue
        records.append(peer_record(profile, assess(profile, rulebase, engine)))
    return records, failed


def finding_titles(rulebase: RuleBase) -> dict[str, str]:
    return {r.id: r.rule.title for r in rulebase.rules if r.rule.is_finding}
