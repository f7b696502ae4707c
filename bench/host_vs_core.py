"""Why the durable-rules adapter drives the engine's core itself: the same ruleset and facts
run through durable's Python ``Host`` and through ``durable_rules_engine`` directly.

    .venv/bin/python bench/host_vs_core.py

Prints the time per asserted fact and per fired rule for each, alternated over rounds.
Not part of the test suite; the figures are quoted in DURABLE-RULES-NOTES.md.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import durable_rules_engine as core
from durable import engine

RULES = 40  # rules that fire on every fact
FIELDS = 60  # a profile-sized fact
FACTS = 1000  # per round
ROUNDS = 3


class QuietHost(engine.Host):  # type: ignore[misc]
    def _run(self) -> None:  # no timer threads
        return None


def main() -> None:
    rules = {
        f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"$ex": {"t": i + 1}}, {"$gt": {"x": 0}}]}}]}
        for i in range(RULES)
    }
    fields = {f"f{i}": i for i in range(FIELDS)}
    host = QuietHost()
    host.register_rulesets({"via_host": {name: {**rule, "run": lambda c: None} for name, rule in rules.items()}})
    handle = core.create_ruleset("via_core", json.dumps(rules))
    serial = iter(range(10**9))

    def via_host() -> None:
        fact: dict[str, Any] = {"sid": "h", "t": "p", "x": 1, "e": next(serial), **fields}
        host.assert_fact("via_host", fact)
        host.retract_fact("via_host", fact)

    def via_core() -> None:
        fact = json.dumps({"sid": "c", "t": "p", "x": 1, "e": next(serial), **fields})
        _, state = core.assert_fact(handle, fact)
        started = core.start_action_for_state(handle, state)
        message = started[1] if started else None
        while message:  # run off the actions, reading nothing but their order
            message = core.complete_and_start_action(handle, state)
        core.retract_fact(handle, fact)

    times: dict[str, list[float]] = {"Host": [], "core": []}
    for _ in range(ROUNDS):
        for label, run in (("Host", via_host), ("core", via_core)):
            start = time.perf_counter()
            for _ in range(FACTS):
                run()
            times[label].append((time.perf_counter() - start) / FACTS)
    print(f"{RULES} rules firing on each of {FACTS} facts, {ROUNDS} alternated rounds, medians:")
    for label, values in times.items():
        per_fact = statistics.median(values)
        print(f"  {label:5s} {per_fact * 1e6:7.0f} us per fact, {per_fact / RULES * 1e6:5.1f} us per fired rule")


if __name__ == "__main__":
    main()
