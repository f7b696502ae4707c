"""One test per durable-rules 2.0.28 behaviour that engine/durable_adapter.py fences.

Each behaviour has two halves:

- ``test_raw_*`` runs a tiny ruleset on durable-rules itself and asserts the behaviour as
  observed in 2.0.28. When a future release fixes it, that test fails and tells us the fence
  may go. Tests marked ``RAW, SUBPROCESS`` run durable in a child process because the
  behaviour crashes, hangs or leaves threads behind.
- ``test_adapter_*`` shows that DurableEvaluator handles it, checked against the reference
  evaluator on a small rule base written to ``tmp_path`` (never the bundled rules).

See DURABLE-RULES-NOTES.md for the corrections these tests make to
../shared/design/DURABLE-RULES.md. The size limits on a large base are in
test_large_rulebase.py.
"""

from __future__ import annotations

import inspect
import itertools
import json
import subprocess
import sys
import textwrap
import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest

import advisor.engine as engine_pkg
from advisor.areas import AREA_BY_PREFIX
from advisor.engine import durable_available, engine_notice
from advisor.engine.base import Firing
from advisor.engine.reference import ReferenceEvaluator
from advisor.errors import EngineError, RuleBaseError
from advisor.facts import Facts, profile_facts
from advisor.profile import SCHEMA_VERSION
from advisor.profile_io import profile_from_data
from advisor.rules.loader import RuleBase, load_rulebase

REPO = Path(__file__).resolve().parents[2]



def require_durable() -> None:
    """Skip on Python versions where durable-rules cannot be imported (3.13+)."""
    if not durable_available():
        pytest.skip("durable-rules needs Python < 3.13")


# --- building small rule bases in tmp_path ----------------------------------------------


def rule(rid: str, when: dict[str, Any], params: dict[str, Any] | None = None) -> dict[str, Any]:
    """A minimal valid finding rule (kind gap) in the area its ID prefix names."""
    data: dict[str, Any] = {
        "id": rid,
        "slug": f"test-{rid.lower()}",
        "kind": "gap",
        "area": AREA_BY_PREFIX[rid[:3]].key,
        "severity": "low",
        "dimension": "programmatic",
        "title": f"Test rule {rid}",
        "when": when,
        "doc": {
            "what": "A rule made up for an engine test.",
            "why": "It exercises one durable-rules behaviour.",
            "example": {},
            "action": "Nothing to do: this is a test rule.",
        },
        "sources": [
            {
                "source": "ref-kz-2023",
                "section": "Test",
                "quote": "a quotation long enough for the schema",
                "statement": "KZ23-IW-1",
            }
        ],
    }
    if params:
        data["params"] = params
    return data


def write_rulebase(root: Path, rules: list[dict[str, Any]]) -> RuleBase:
    """Write ``rules`` as one file each under ``root`` (JSON is YAML) and load them."""
    root.mkdir(parents=True, exist_ok=True)
    # A registry of its own: the bundled one's retired IDs must not constrain synthetic bases.
    (root / "registry.yaml").write_text("version: 0.0.1\nretired: []\n")
    for data in rules:
        area_dir = root / data["area"]
        area_dir.mkdir(exist_ok=True)
        (area_dir / f"{data['slug']}.yaml").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return load_rulebase(root)


def field(path: str, op: str, value: Any = None) -> dict[str, Any]:
    cond: dict[str, Any] = {"field": path, "op": op}
    if value is not None:
        cond["value"] = value
    return cond


SMALL_RULES = [
    rule("FIN001", field("funding.typical_grant_months", "lt", 12)),
    rule("FIN002", field("funding.reserves_months", "lt", 3)),
    rule("FIN003", field("funding.share_foreign_pct", "gt", 50)),
    # An $or whose alternatives can both hold (durable would fire it twice).
    rule("FMG001", {"any": [field("controls.written_procedures", "eq", False),
                            field("controls.segregation_of_duties", "eq", False)]}),
    # `not`: true when officials_on_board is false OR unanswered.
    rule("GOV001", {"not": field("government.officials_on_board", "eq", True)}),
    rule("GOV002", field("government.relationship", "in", ["government_founded", "state_contracted"])),
    rule("ADV001", field("organisation.thematic_focus", "contains", "religious_freedom")),
    rule("CTX001", {"not": field("pressure.tax_audits_3y", "gte", 2)}),
    # Chained: short grants and NOT thin reserves; short grants or mostly foreign.
    rule("NET001", {"all": [{"finding": "FIN001"}, {"not": {"finding": "FIN002"}}]}),
    rule("NET002", {"any": [{"finding": "FIN001"}, {"finding": "FIN003"}]}),
]

# Profiles (as data) for the small base, including ones that match no rule at all.
NOTHING_MATCHES: dict[str, Any] = {"government": {"officials_on_board": True},
                                   "pressure": {"tax_audits_3y": 5}}
PROFILES: list[dict[str, Any]] = [
    {},
    NOTHING_MATCHES,
    {"funding": {"typical_grant_months": 6, "reserves_months": 1}, **NOTHING_MATCHES},
    {"funding": {"typical_grant_months": 6, "reserves_months": 12, "share_foreign_pct": 90},
     "controls": {"written_procedures": False, "segregation_of_duties": False}},
    {"funding": {"typical_grant_months": 36, "share_foreign_pct": 80},
     "government": {"relationship": "state_contracted", "officials_on_board": False},
     "organisation": {"thematic_focus": ["religious_freedom", "youth"]}},
    {"controls": {"written_procedures": True, "segregation_of_duties": False},
     "pressure": {"tax_audits_3y": 1}, "organisation": {"thematic_focus": []}},
]


def facts_of(data: dict[str, Any]) -> Facts:
    return profile_facts(profile_from_data({"schema_version": SCHEMA_VERSION, **data}))


@pytest.fixture
def small_base(tmp_path: Path) -> RuleBase:
    return write_rulebase(tmp_path / "rules", SMALL_RULES)


@pytest.fixture
def adapter() -> Any:
    require_durable()
    from advisor.engine import durable_adapter

    return durable_adapter


# --- raw durable-rules -------------------------------------------------------------------

_names = itertools.count(1)


def raw_host() -> Any:
    """A raw durable Host without its timer threads (those are tested on their own)."""
    require_durable()
    from durable import engine

    class RawQuietHost(engine.Host):  # type: ignore[misc]
        def _run(self) -> None:
            return None

    return RawQuietHost()


def raw_register(host: Any, rules: dict[str, Any]) -> str:
    name = f"raw{next(_names)}"
    host.register_rulesets({name: rules})
    return name


def raw_matches(pattern: dict[str, Any], fact: dict[str, Any]) -> bool:
    """Does ``{"$and": [{"t": "p"}, pattern]}`` match the fact, on raw durable?"""
    host = raw_host()
    from durable import engine

    got: list[int] = []
    rs = raw_register(host, {"r": {"all": [{"m": {"$and": [{"t": "p"}, pattern]}}],
                                   "run": lambda c: got.append(1)}})
    try:
        host.assert_fact(rs, {"sid": "1", "t": "p", **fact})
    except engine.MessageNotHandledException:
        pass
    return bool(got)


RAW_PRELUDE = """
import sys, threading
from durable import engine
class QuietHost(engine.Host):
    def _run(self):
        pass
"""


def run_raw(script: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a raw durable script in a child process (RAW, SUBPROCESS tests)."""
    require_durable()
    code = RAW_PRELUDE + textwrap.dedent(script)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)


def assert_agrees(base: RuleBase, evaluator: Any, facts: Facts) -> list[Firing]:
    got: list[Firing] = evaluator.evaluate(facts)
    assert got == ReferenceEvaluator(base).evaluate(facts)
    return got


# --- (1) timer threads -------------------------------------------------------------------


def test_raw_host_starts_timer_threads() -> None:
    """RAW, SUBPROCESS: every durable Host() starts two dispatch/timer threads."""
    result = run_raw("""
        before = threading.active_count()
        host = engine.Host()
        print(threading.active_count() - before)
    """)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 2


def test_adapter_starts_no_threads(small_base: RuleBase, adapter: Any) -> None:
    """The adapter drives durable's core itself: no Host, so no timer threads."""
    before = set(threading.enumerate())
    evaluator = adapter.DurableEvaluator(small_base)
    for data in PROFILES:
        assert_agrees(small_base, evaluator, facts_of(data))
    assert set(threading.enumerate()) - before == set()
    assert "durable.engine" not in vars(adapter).values()


# --- (2) delete_state on a session where no action ran ----------------------------------

DELETE_SCRIPT = """
    host = QuietHost()
    host.register_rulesets({"rs": {
        "r": {"all": [{"m": {"$and": [{"t": "p"}, {"x": 1}]}}], "run": lambda c: None},
        "j": {"all": [{"a": {"t": "a"}}, {"b": {"t": "b"}}], "run": lambda c: None}}})
    try:
        host.assert_fact("rs", FACT)
    except engine.MessageNotHandledException:
        pass
    host.delete_state("rs", "s")
    print("deleted")
"""


@pytest.mark.parametrize("fact", [{"sid": "s", "t": "p", "x": 2}, {"sid": "s", "t": "a"}],
                         ids=["fact-matches-nothing", "half-a-join"])
def test_raw_delete_state_without_an_action_crashes(fact: dict[str, Any]) -> None:
    """RAW, SUBPROCESS: delete_state on a session where no action ran kills the process."""
    crashed = run_raw(DELETE_SCRIPT.replace("FACT", repr(fact)))
    assert crashed.returncode != 0  # SIGSEGV (-11) or abort on "free(): invalid pointer"
    assert "deleted" not in crashed.stdout
    # Control: once an action has run in the session, delete_state is fine.
    fine = run_raw(DELETE_SCRIPT.replace("FACT", repr({"sid": "s", "t": "p", "x": 1})))
    assert fine.returncode == 0, fine.stderr
    assert "deleted" in fine.stdout


def test_adapter_session_rotation_survives(small_base: RuleBase, adapter: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Rotation every 3 evaluations, many of them matching no rule at all."""
    monkeypatch.setattr(adapter, "SESSION_EVALUATIONS", 3)
    evaluator = adapter.DurableEvaluator(small_base)
    nothing = facts_of(NOTHING_MATCHES)
    assert ReferenceEvaluator(small_base).evaluate(nothing) == []
    for i in range(120):
        data = NOTHING_MATCHES if i % 4 else PROFILES[i % len(PROFILES)]
        assert_agrees(small_base, evaluator, facts_of(data))
    assert evaluator._session >= 39  # rotated (and deleted the old session) 39 times


def test_adapter_rotation_after_a_session_where_nothing_ran(small_base: RuleBase, adapter: Any,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A session whose only evaluation failed before any action ran is still rotated safely."""
    monkeypatch.setattr(adapter, "SESSION_EVALUATIONS", 1)
    evaluator = adapter.DurableEvaluator(small_base)
    assert_agrees(small_base, evaluator, facts_of(PROFILES[3]))

    def fail(fact: str, evaluation: Any) -> None:
        raise EngineError("injected: the engine failed before any action ran")

    monkeypatch.setattr(evaluator, "_assert", fail)
    with pytest.raises(EngineError):
        evaluator.evaluate(facts_of(PROFILES[3]))  # a session in which no action ran
    monkeypatch.undo()
    monkeypatch.setattr(adapter, "SESSION_EVALUATIONS", 1)
    for data in PROFILES:  # the first rotates away from that session: must not crash
        assert_agrees(small_base, evaluator, facts_of(data))


def test_raw_delete_state_of_an_unused_session_raises_309() -> None:
    host = raw_host()
    rs = raw_register(host, {"r": {"all": [{"m": {"t": "p"}}], "run": lambda c: None}})
    with pytest.raises(Exception, match="error code: 309"):
        host.delete_state(rs, "never-used")


# --- (3) 1,024 live sessions ---------------------------------------------------------------


def test_raw_live_session_limit() -> None:
    """RAW, SUBPROCESS: the 1,025th live session id raises MemoryError."""
    result = run_raw("""
        host = QuietHost()
        host.register_rulesets({"rs": {"r": {"all": [{"m": {"t": "p"}}], "run": lambda c: None}}})
        for i in range(1100):
            try:
                host.assert_fact("rs", {"sid": f"s{i}", "t": "p"})
            except MemoryError:
                print(i)
                break
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1024"]


def test_adapter_5000_evaluations_rotating_every_10(small_base: RuleBase, adapter: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapter, "SESSION_EVALUATIONS", 10)
    evaluator = adapter.DurableEvaluator(small_base)
    reference = ReferenceEvaluator(small_base)
    cases = [facts_of(d) for d in PROFILES]
    expected = [reference.evaluate(f) for f in cases]
    for i in range(5000):
        assert evaluator.evaluate(cases[i % len(cases)]) == expected[i % len(cases)]
    assert evaluator._session == 499


# --- (4) post fires only the first matching rule -----------------------------------------


def test_raw_post_fires_first_rule_only() -> None:
    host = raw_host()
    fired: list[str] = []
    rules = {name: {"all": [{"m": {"t": "p"}}], "run": (lambda n: lambda c: fired.append(n))(name)}
             for name in ("a", "b", "c")}
    rs = raw_register(host, rules)
    host.post(rs, {"sid": "1", "t": "p"})
    assert fired == ["a"]
    fired.clear()
    host.assert_fact(rs, {"sid": "1", "t": "p"})
    assert sorted(fired) == ["a", "b", "c"]


def test_adapter_fires_every_matching_rule(small_base: RuleBase, adapter: Any) -> None:
    facts = facts_of(PROFILES[3])
    fired = {f.rule_id for f in assert_agrees(small_base, adapter.DurableEvaluator(small_base), facts)}
    assert {"FIN001", "FIN003", "FMG001", "GOV001", "CTX001", "NET001", "NET002"} <= fired


# --- (5) identity of facts -----------------------------------------------------------------


def test_raw_identical_fact_is_observed_and_id_is_identity() -> None:
    host = raw_host()
    from durable import engine

    rs = raw_register(host, {"r": {"all": [{"m": {"t": "p"}}], "run": lambda c: None}})
    host.assert_fact(rs, {"sid": "1", "t": "p", "x": 1})
    with pytest.raises(engine.MessageObservedException):
        host.assert_fact(rs, {"sid": "1", "t": "p", "x": 1})
    host.assert_fact(rs, {"sid": "2", "t": "p", "id": 1, "x": 2})
    with pytest.raises(engine.MessageObservedException):  # a different fact, same "id"
        host.assert_fact(rs, {"sid": "2", "t": "p", "id": 1, "x": 3})


def test_adapter_same_profile_1000_times(small_base: RuleBase, adapter: Any) -> None:
    evaluator = adapter.DurableEvaluator(small_base)
    facts = facts_of(PROFILES[3])
    first = assert_agrees(small_base, evaluator, facts)
    assert first
    for _ in range(1000):
        assert evaluator.evaluate(dict(facts)) == first


# --- (6) exceptions inside actions -------------------------------------------------------


def test_raw_action_exceptions_are_swallowed_into_state() -> None:
    host = raw_host()
    ran: list[str] = []

    def boom(c: Any) -> None:
        raise ValueError("boom in action")

    rs = raw_register(host, {"a": {"all": [{"m": {"t": "p"}}], "run": boom},
                             "b": {"all": [{"m": {"t": "p"}}], "run": lambda c: ran.append("b")}})
    host.assert_fact(rs, {"sid": "1", "t": "p"})  # returns normally
    assert ran == ["b"]  # later rules still ran
    assert "boom in action" in host.get_state(rs, "1")["exception"]
    # Sticky: a later clean evaluation in the same session still shows the old error.
    rs2 = raw_register(host, {"a": {"all": [{"m": {"$and": [{"t": "p"}, {"x": 1}]}}], "run": boom},
                              "b": {"all": [{"m": {"$and": [{"t": "p"}, {"x": 2}]}}], "run": lambda c: None}})
    host.assert_fact(rs2, {"sid": "1", "t": "p", "x": 1})
    host.assert_fact(rs2, {"sid": "1", "t": "p", "x": 2})
    assert "boom in action" in host.get_state(rs2, "1")["exception"]


def test_raw_unmatched_fact_asserted_inside_an_action_stops_the_action() -> None:
    """Not swallowed, as DURABLE-RULES.md says: the action stops, the error goes to state."""
    host = raw_host()
    ran: list[str] = []

    def chain(c: Any) -> None:
        c.assert_fact({"t": "nobody-matches-this"})
        ran.append("after the assert")

    rs = raw_register(host, {"a": {"all": [{"m": {"t": "p"}}], "run": chain}})
    host.assert_fact(rs, {"sid": "1", "t": "p"})
    assert ran == []
    assert "exception" in host.get_state(rs, "1")


ABANDON_SCRIPT = """
    import json
    import durable_rules_engine as core
    handle = core.create_ruleset("abandon", json.dumps(
        {"r": {"all": [{"m": {"$and": [{"t": "p"}, {"$gt": {"x": 1}}]}}]}}))
    fact = json.dumps({"sid": "s", "t": "p", "x": 5})
    code, state = core.assert_fact(handle, fact)
    core.start_action_for_state(handle, state)
    core.ABANDON_OR_COMPLETE(handle, state)
    code, state = core.retract_facts(handle, "[" + fact + "]")
    core.start_action_for_state(handle, state)
    print("survived")
"""


def test_raw_abandoned_action_then_retract_crashes() -> None:
    """RAW, SUBPROCESS: abandon_action leaves the action queued; once its fact is retracted,
    starting actions again kills the process. Completing the action instead is fine."""
    crashed = run_raw(ABANDON_SCRIPT.replace("ABANDON_OR_COMPLETE", "abandon_action"))
    assert crashed.returncode != 0  # SIGSEGV
    assert "survived" not in crashed.stdout
    fine = run_raw(ABANDON_SCRIPT.replace("ABANDON_OR_COMPLETE", "complete_and_start_action"))
    assert fine.returncode == 0, fine.stderr
    assert "survived" in fine.stdout


def _core() -> Any:
    require_durable()
    import durable_rules_engine

    return durable_rules_engine


def _run_off(core: Any, handle: int, state: int) -> list[str]:
    """Every action the core hands out for ``state``, completed in turn: their messages."""
    started = core.start_action_for_state(handle, state)
    messages = []
    message = started[1] if started else None
    while message:
        messages.append(message)
        message = core.complete_and_start_action(handle, state)
    return messages


def test_raw_core_names_the_rule_first_in_each_action_message() -> None:
    """RAW: the adapter reads the rule's name from the start of the core's message
    (``{"NAME":{...}}``) instead of decoding the JSON; names like ours come out verbatim."""
    core = _core()
    names = ["GAP001#0", "REC012#3", "__end__"]
    handle = core.create_ruleset(f"names{next(_names)}", json.dumps(
        {name: {"all": [{"m": {"$and": [{"t": "p"}, {"$gt": {"x": i}}]}}]} for i, name in enumerate(names)}))
    code, state = core.assert_fact(handle, json.dumps({"sid": "s", "t": "p", "x": 9}))
    messages = _run_off(core, handle, state)
    assert sorted(m[2:m.index('"', 2)] for m in messages) == sorted(names)
    assert sorted(next(iter(json.loads(m))) for m in messages) == sorted(names)


def test_raw_a_batch_is_taken_in_order() -> None:
    """RAW: in one ``assert_facts`` batch, a gate that comes after a finding meets it, so a
    rule that needs the finding to be absent does not fire (the adapter sends each layer's
    findings and the next gate in one batch)."""
    core = _core()
    handle = core.create_ruleset(f"batch{next(_names)}", json.dumps({
        "absent": {"all": [{"g": {"$and": [{"t": "g"}]}}, {"f$not": {"$and": [{"t": "f"}, {"r": "A"}]}}]},
        "present": {"all": [{"g": {"$and": [{"t": "g"}]}}, {"f": {"$and": [{"t": "f"}, {"r": "A"}]}}]},
    }))
    batch = [{"sid": "1", "t": "f", "r": "A"}, {"sid": "1", "t": "g"}]
    code, state = core.assert_facts(handle, json.dumps(batch))
    assert [m[2:m.index('"', 2)] for m in _run_off(core, handle, state)] == ["present"]
    # Control: the gate alone, with no finding, fires the other rule.
    code, state = core.assert_facts(handle, json.dumps([{"sid": "2", "t": "g"}]))
    assert [m[2:m.index('"', 2)] for m in _run_off(core, handle, state)] == ["absent"]


def test_adapter_raises_action_errors_and_recovers(small_base: RuleBase, adapter: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An error while running a fired rule is raised at once (the engine's action is
    abandoned), and the next evaluation on the same session is clean."""
    evaluator = adapter.DurableEvaluator(small_base)
    facts = facts_of(PROFILES[3])
    assert_agrees(small_base, evaluator, facts)

    def broken(*args: Any) -> Firing:
        raise RuntimeError("injected failure in an action")

    monkeypatch.setattr(adapter, "Firing", broken)
    with pytest.raises(EngineError, match="injected failure in an action"):
        evaluator.evaluate(facts)

    def interrupted(*args: Any) -> Firing:
        raise KeyboardInterrupt

    monkeypatch.setattr(adapter, "Firing", interrupted)
    with pytest.raises(KeyboardInterrupt):  # not turned into an EngineError (exit 130, not 1)
        evaluator.evaluate(facts)
    monkeypatch.undo()
    for data in PROFILES:
        assert_agrees(small_base, evaluator, facts_of(data))  # the next evaluations are clean
    assert "exception" not in json.loads(adapter._core.get_state(evaluator._handle, evaluator._sid()))


# --- (7) two-parameter actions -----------------------------------------------------------


def test_raw_two_parameter_action_stops_the_chain() -> None:
    host = raw_host()
    fired: list[str] = []

    def two(c: Any, complete: Any = None) -> None:
        fired.append("first")
        c.assert_fact({"t": "q"})

    def one(c: Any) -> None:
        fired.append("first")
        c.assert_fact({"t": "q"})

    for action, expected in ((two, ["first"]), (one, ["first", "second"])):
        fired.clear()
        rs = raw_register(host, {"a": {"all": [{"m": {"t": "p"}}], "run": action},
                                 "b": {"all": [{"m": {"t": "q"}}], "run": lambda c: fired.append("second")}})
        host.assert_fact(rs, {"sid": "1", "t": "p"})
        assert fired == expected


def test_adapter_has_no_python_actions_and_a_broken_chain_raises(
    small_base: RuleBase, adapter: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled ruleset carries no Python actions (so none can be taken as asynchronous);
    an evaluation whose end marker never fires is an error, not a short result."""
    evaluator = adapter.DurableEvaluator(small_base)
    definition = evaluator._definition(small_base)
    assert adapter.END_RULE in definition
    assert all(set(rule_def) == {"all"} for rule_def in definition.values())
    fire = adapter.DurableEvaluator._fire

    def lose_the_end(self: Any, name: str, evaluation: Any) -> None:
        if name != adapter.END_RULE:
            fire(self, name, evaluation)

    monkeypatch.setattr(adapter.DurableEvaluator, "_fire", lose_the_end)
    with pytest.raises(EngineError, match="chain broken"):
        evaluator.evaluate(facts_of(PROFILES[3]))


# --- (8) register_rulesets mutates its argument --------------------------------------------


def test_raw_register_rulesets_mutates_its_argument() -> None:
    host = raw_host()
    definition = {"r": {"all": [{"m": {"t": "p"}}], "run": lambda c: None}}
    raw_register(host, definition)
    assert "run" not in definition["r"]
    with pytest.raises(KeyError, match="run"):
        raw_register(host, definition)


def test_adapter_evaluators_of_same_and_different_bases_coexist(tmp_path: Path, small_base: RuleBase,
                                                                adapter: Any) -> None:
    other = write_rulebase(tmp_path / "other", SMALL_RULES[:3] + [
        rule("HRV001", field("organisation.volunteers", "lt", 5))])
    assert other.digest != small_base.digest
    evaluators = [(small_base, adapter.DurableEvaluator(small_base)),
                  (small_base, adapter.DurableEvaluator(small_base)),
                  (other, adapter.DurableEvaluator(other))]
    for data in [*PROFILES, {"organisation": {"volunteers": 2}}]:
        for base, evaluator in evaluators:  # interleaved
            assert_agrees(base, evaluator, facts_of(data))


# --- (9) a ruleset name registers once -----------------------------------------------------


def test_raw_ruleset_name_registers_once() -> None:
    host = raw_host()
    name = raw_register(host, {"r": {"all": [{"m": {"t": "p"}}], "run": lambda c: None}})
    with pytest.raises(Exception, match="already registered"):
        host.register_rulesets({name: {"r": {"all": [{"m": {"t": "p"}}], "run": lambda c: None}}})


def test_adapter_loads_the_same_rule_base_twice(tmp_path: Path, adapter: Any) -> None:
    first = write_rulebase(tmp_path / "a", SMALL_RULES)
    second = load_rulebase(tmp_path / "a")
    assert first.digest == second.digest
    evaluators = [adapter.DurableEvaluator(first), adapter.DurableEvaluator(second),
                  adapter.DurableEvaluator(first)]
    assert len({e._ruleset for e in evaluators}) == 3
    for evaluator in evaluators:
        for data in PROFILES:
            assert_agrees(first, evaluator, facts_of(data))


# --- (10) type coercion and number syntax -------------------------------------------------


def test_raw_type_coercion_and_exponent_numbers() -> None:
    assert raw_matches({"x": 5}, {"x": "5"})
    assert raw_matches({"$gte": {"x": 5}}, {"x": "5"})
    assert raw_matches({"$lt": {"x": 5}}, {"x": "4abc"})
    assert raw_matches({"x": 1}, {"x": True})
    assert raw_matches({"x": "true"}, {"x": True})
    assert raw_matches({"$lt": {"x": "b"}}, {"x": 5})
    assert raw_matches({"$gt": {"x": 0}}, {"x": 0.0001})
    for number in (1e16, 1e-05):  # json.dumps writes them with an exponent
        with pytest.raises(Exception, match="error code: 204"):
            raw_matches({"$gt": {"x": 0}}, {"x": number})


def test_adapter_facts_are_typed_and_never_use_an_exponent(small_base: RuleBase, adapter: Any) -> None:
    facts = facts_of({"funding": {"typical_grant_months": 6, "reserves_months": 0.00001,
                                  "annual_budget": 1e13, "share_foreign_pct": 99.999999},
                      "government": {"officials_on_board": False}})
    assert facts["funding__typical_grant_months"] == 6 and type(facts["funding__typical_grant_months"]) is int
    assert facts["government__officials_on_board"] is False
    assert type(facts["funding__reserves_months"]) is float
    floats = [v for v in facts.values() if isinstance(v, float)]
    assert len(floats) == 3 and not any("e" in json.dumps(v) for v in floats)
    fired = assert_agrees(small_base, adapter.DurableEvaluator(small_base), facts)
    assert {"FIN001", "FIN002", "FIN003"} <= {f.rule_id for f in fired}


def test_a_rule_value_durable_cannot_read_is_refused_at_load_time(tmp_path: Path) -> None:
    """A threshold json.dumps writes with an exponent (error 204 in durable) never reaches the
    adapter: the loader limits thresholds to the facts' precision of 4 decimals."""
    root = tmp_path / "tiny"
    write_rulebase(root, [rule("FIN001", field("funding.reserves_months", "lt", 0.5))])
    rule_file = root / "financial_sustainability" / "test-fin001.yaml"
    rule_file.write_text(rule_file.read_text().replace("0.5", "0.00001"))
    with pytest.raises(RuleBaseError, match="more than 4 decimal places"):
        load_rulebase(root)


# --- (11) missing attributes ---------------------------------------------------------------


def test_raw_every_test_on_a_missing_attribute_is_false() -> None:
    for pattern in ({"x": 5}, {"$neq": {"x": 5}}, {"$lt": {"x": 5}}, {"$gt": {"x": 5}},
                    {"$lte": {"x": 5}}, {"$gte": {"x": 5}}):
        assert not raw_matches(pattern, {})
    assert raw_matches({"$neq": {"x": 5}}, {"x": 6})
    assert raw_matches({"$nex": {"x": 1}}, {})


def test_adapter_not_on_unanswered_fields_agrees_with_reference(small_base: RuleBase, adapter: Any) -> None:
    evaluator = adapter.DurableEvaluator(small_base)
    unanswered = assert_agrees(small_base, evaluator, facts_of({}))
    # not (officials_on_board = true) and not (tax_audits >= 2) hold when unanswered
    assert {f.rule_id for f in unanswered} == {"GOV001", "CTX001"}
    for value in (True, False):
        assert_agrees(small_base, evaluator, facts_of({"government": {"officials_on_board": value}}))
    for audits in (0, 1, 2, 3):
        assert_agrees(small_base, evaluator, facts_of({"pressure": {"tax_audits_3y": audits}}))


# --- (12) a multi-key pattern tests only its first key -----------------------------------


def test_raw_multi_key_pattern_tests_only_the_first_key() -> None:
    assert raw_matches({"t": "p", "x": 5}, {"x": 6})  # x ignored
    host = raw_host()
    got: list[str] = []
    rs = raw_register(host, {"r": {"all": [{"m": {"x": 7, "t": "q"}}], "run": lambda c: got.append(c.m.t)}})
    host.assert_fact(rs, {"sid": "1", "t": "zz", "x": 7})
    assert got == ["zz"]  # t ignored


def _dicts(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value] + [d for v in value.values() for d in _dicts(v)]
    if isinstance(value, list):
        return [d for v in value for d in _dicts(v)]
    return []


def test_adapter_patterns_have_one_key_per_dict(small_base: RuleBase, adapter: Any) -> None:
    definition = adapter.DurableEvaluator(small_base)._definition(small_base)
    for name, rule_def in definition.items():
        for pattern in rule_def["all"]:
            assert all(len(d) == 1 for d in _dicts(pattern)), (name, pattern)


# --- (15) an $or runs the action once per alternative that holds ----------------------------


def test_raw_or_fires_once_per_true_alternative() -> None:
    """Not in DURABLE-RULES.md: found when the agreement property failed."""
    host = raw_host()
    fired: list[int] = []
    rs = raw_register(host, {"r": {"all": [{"m": {"$and": [{"t": "p"}, {"$or": [{"a": 0}, {"b": 0}]}]}}],
                                   "run": lambda c: fired.append(1)}})
    host.assert_fact(rs, {"sid": "1", "t": "p", "a": 0, "b": 0})
    assert fired == [1, 1]


def test_adapter_fires_an_or_rule_once(small_base: RuleBase, adapter: Any) -> None:
    facts = facts_of({"controls": {"written_procedures": False, "segregation_of_duties": False},
                      "government": {"relationship": "state_contracted"}})
    fired = assert_agrees(small_base, adapter.DurableEvaluator(small_base), facts)
    assert [f.rule_id for f in fired].count("FMG001") == 1


# --- (13) size limits (the adapter's side: test_large_rulebase.py) --------------------------


def test_raw_more_than_64_rules_matching_one_fact_fail_with_303() -> None:
    for count, fails in ((64, False), (65, True)):
        host = raw_host()
        rs = raw_register(host, {f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"$gt": {"x": i}}]}}],
                                           "run": lambda c: None} for i in range(count)})
        if fails:
            with pytest.raises(Exception, match="error code: 303"):
                host.assert_fact(rs, {"sid": "1", "t": "p", "x": 1000})
        else:
            host.assert_fact(rs, {"sid": "1", "t": "p", "x": 1000})


def test_raw_512_distinct_children_of_one_node_hang() -> None:
    """RAW, SUBPROCESS: 512+ distinct thresholds under one node loop forever (killed after 4 s)."""
    script = """
        host = QuietHost()
        host.register_rulesets({"rs": {f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, {"$gt": {"x": i}}]}}],
                                                 "run": lambda c: None} for i in range(COUNT)}})
        try:
            host.assert_fact("rs", {"sid": "1", "t": "p", "x": -1})
        except engine.MessageNotHandledException:
            pass
        print("done")
    """
    fine = run_raw(script.replace("COUNT", "500"), timeout=30)
    assert fine.returncode == 0 and "done" in fine.stdout, fine.stderr
    with pytest.raises(subprocess.TimeoutExpired):  # subprocess.run kills the child
        run_raw(script.replace("COUNT", "600"), timeout=4)


# --- (14) Python 3.13+ (these two run on every Python) ---------------------------------------


def test_durable_is_declared_for_python_below_3_13_except_on_windows() -> None:
    """Required where it installs (Linux, macOS; Python < 3.13); never on Windows (no wheel)."""
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    durable = [Requirement(d) for d in project["dependencies"] if d.replace(" ", "").startswith("durable-rules")]
    assert len(durable) == 1 and durable[0].marker is not None
    for system, python, required in [("Linux", "3.11", True), ("Darwin", "3.12", True), ("Linux", "3.13", False),
                                     ("Windows", "3.12", False), ("Windows", "3.11", False)]:
        env = {"platform_system": system, "python_version": python, "sys_platform": system.lower()}
        assert durable[0].marker.evaluate(env) is required, (system, python)


def test_engine_notice_when_durable_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_pkg, "durable_available", lambda: False)
    notice = engine_notice("auto")
    assert notice is not None and "\n" not in notice
    assert "durable-rules" in notice and "reference" in notice
    assert engine_notice("reference") is None
    monkeypatch.setattr(engine_pkg, "durable_available", lambda: True)
    assert engine_notice("auto") is None


def test_only_the_adapter_imports_durable_rules() -> None:
    """durable-rules stays behind one module: no other source file imports it."""
    import ast

    src = Path(__file__).resolve().parents[2] / "src" / "advisor"
    importers = set()
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("durable", "durable_rules_engine") for n in names):
                importers.add(path.relative_to(src).as_posix())
    assert importers == {"engine/durable_adapter.py"}
