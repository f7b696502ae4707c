"""The durable-rules adapter: the only module that imports durable-rules.

It compiles a RuleBase into one durable-rules ruleset once per process and evaluates
profiles by asserting facts and letting the engine chain: profile fact -> finding facts
(asserted as each finding rule fires) -> rules that join on them, layer by layer behind a
gate fact per layer.

It drives durable-rules' compiled core (``durable_rules_engine``: the Rete network, its
sessions and its action queue) directly, not through durable's Python ``Host``. That
wrapper spends about 50 µs on every rule that fires (it decodes the matched facts from JSON,
builds a closure, re-encodes the session state, checks clocks) and hides errors raised in
actions in the session state. Here the adapter runs the action queue itself: for each
fired rule it reads only the rule's name from the engine's message, records the firing
against the facts it asserted, asserts a finding fact where another rule refers to the
finding, and asks the engine for the next action. An error in that loop abandons the
engine's action and is raised as ``EngineError`` at once: nothing fails silently.

Each fence below answers one behaviour of durable-rules 2.0.28 recorded in
../shared/design/DURABLE-RULES.md; each has its own test in
tests/engine/test_durable_adapter.py (``test_raw_*`` tests show the behaviour on durable
itself, ``test_adapter_*`` tests show it handled here).

- timer threads, ``register_rulesets`` mutating its argument, actions with two parameters
  taken as asynchronous, ``post`` firing only the first rule, errors inside actions stored
  in the session state: all belong to durable's Python ``Host``, which is not used.
- global ruleset names / no reload: a ruleset name registers only once per process, so
  every DurableEvaluator registers its own ruleset, named from the rule base's digest and
  a process-wide counter; the same rule base can be loaded any number of times.
- an ``$or`` runs the action once per alternative that holds (``{"$or": [a, b]}`` with both
  true fires twice): each (rule, term) is recorded once per evaluation.
- identical facts are refused as already observed: every fact carries the evaluation's
  unique number ``e``, and finding facts use ``r`` (``id`` is durable's identity key).
- a fact that matches nothing is reported as not handled: expected, ignored.
- ``delete_state`` crashes on a session where no action ran, and live sessions are capped at
  1,024: each evaluation ends with an end marker that an always-matching rule handles (so an
  action always ran, and we learn the chain completed); sessions are rotated every
  ``SESSION_EVALUATIONS`` evaluations and the old one deleted, only once an end-marker
  action is known to have run in it.
- type coercion and missing attributes: facts come from a validated Profile and rule values
  are checked against the field types at load time; unanswered fields are absent and every
  comparison on them is false by design (see advisor.rules.conditions).
- a pattern with several keys tests only its first: every pattern is one ``$and``.
- size limits (64 pending matches or 512 distinct conditions under one node): the label tree
  of ``_labels``; more than ``MAX_RULES_PER_RULESET`` terms are refused, and so is a label
  group whose rules make more than ``MAX_DISTINCT_CHILDREN`` tests (``_check_node_sizes``,
  before registration: an ``in`` of 490 values hung it), with ``EngineLimitError``, on
  which ``--engine auto`` uses the reference evaluator.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import durable_rules_engine as _core  # durable-rules' compiled core: the one import of durable-rules

from advisor.engine.base import EngineLimitError, Firing, firing_order
from advisor.errors import EngineError
from advisor.facts import Facts, fact_key
from advisor.rules.conditions import And, Expr, Test, Term, leaf_count
from advisor.rules.loader import RuleBase

SESSION_EVALUATIONS = 1000
# durable-rules limits (see the module docstring and tests/engine/test_durable_adapter.py).
MAX_RULES_PER_RULESET = 4096  # error 106 above
MAX_DISTINCT_CHILDREN = 500  # 512+ distinct conditions under one node hang the engine
LABEL_GROUP = 32  # rules per second-level label node
LABEL_BRANCHES = 16  # second-level label nodes per first-level node

PROFILE = "p"
FINDING = "f"
GATE = "g"
END = "z"
END_RULE = "__end__"

# Result codes of the core's assert and retract calls (durable's Python wrapper turns 1 and
# 2 into MessageNotHandledException and MessageObservedException).
_NOT_HANDLED = 1  # no rule's pattern took the fact
_OBSERVED = 2  # a fact with the same identity is already there

_ruleset_numbers = itertools.count(1)  # ruleset names must be unique in the process


# --- compiling field expressions --------------------------------------------------------


def compile_test(test: Test) -> dict[str, Any]:
    key = fact_key(test.path)
    op = test.op
    if op == "answered":
        return {"$ex": {key: 1}}
    if op == "unanswered":
        return {"$nex": {key: 1}}
    if op in ("contains", "lacks"):
        assert isinstance(test.value, (str, int))
        return {fact_key(test.path, test.value): op == "contains"}
    if op == "eq":
        return {key: test.value}
    if op == "in":
        assert isinstance(test.value, tuple)
        return {"$or": [{key: v} for v in test.value]}
    durable_op = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}[op]
    return {durable_op: {key: test.value}}


def compile_expr(expr: Expr) -> dict[str, Any]:
    if isinstance(expr, Test):
        return compile_test(expr)
    items = [compile_expr(i) for i in expr.items]
    if len(items) == 1:
        return items[0]
    return {"$and" if isinstance(expr, And) else "$or": items}


def _labels(index: int) -> list[dict[str, Any]]:
    """Two always-true tests that spread rules over a tree of nodes.

    durable-rules walks its network with a 64-slot stack (more than 64 conditions or joins
    waiting under one node: error 303) and hangs with more than 511 distinct conditions
    under one node. ``{"$ex": {"t": n}}`` is true for every fact (it only tests that ``t``
    exists) but the engine keeps a distinct node per ``n``, so rule ``index`` sits under
    first-level node ``index // 512`` and second-level node ``(index // 32) % 16``: at most
    8 + 16 + 32 entries wait at any node for 4,096 rules.
    """
    span = LABEL_GROUP * LABEL_BRANCHES
    return [
        {"$ex": {"t": index // span + 1}},
        {"$ex": {"t": (index // LABEL_GROUP) % LABEL_BRANCHES + 1}},
    ]


class _Evaluation:
    """What one evaluation recorded (one evaluation at a time per evaluator)."""

    __slots__ = ("number", "sid", "facts", "firings", "fired", "findings", "pending", "asserted", "ended")

    def __init__(self, number: int, sid: str, facts: Facts) -> None:
        self.number = number
        self.sid = sid
        self.facts = facts  # the profile facts asserted: the evidence of every firing
        self.firings: list[Firing] = []
        self.fired: set[str] = set()  # durable rule names: an $or may fire one twice
        self.findings: set[str] = set()  # findings that other rules refer to, fired
        self.pending: list[str] = []  # their facts (JSON), waiting for the end of their layer
        self.asserted: list[str] = []  # their facts asserted, to retract afterwards
        self.ended = False


@dataclass(frozen=True)
class _Action:
    """What firing one durable rule (one term of one advisor rule) means."""

    rule_id: str
    term: int
    tests_profile: bool
    findings: tuple[str, ...]  # the findings the term required (its positive references)
    referenced: bool  # another rule refers to this finding: assert it as a fact


# The adapter's own facts, written directly as JSON: every value in them is a number, a
# session name ("s12") or a rule ID, none of which JSON escapes.


def _gate_fact(sid: str, level: int, number: int) -> str:
    return f'{{"sid":"{sid}","t":"{GATE}","l":{level},"e":{number}}}'


def _end_fact(sid: str, number: int) -> str:
    return f'{{"sid":"{sid}","t":"{END}","e":{number}}}'


def _finding_fact(sid: str, rule_id: str, number: int) -> str:
    return f'{{"sid":"{sid}","t":"{FINDING}","r":"{rule_id}","e":{number}}}'


def _engine_error(what: str, exc: Exception) -> EngineError:
    return EngineError(f"durable-rules failed to {what}: {exc}")


class DurableEvaluator:
    name = "durable-rules"

    def __init__(self, rulebase: RuleBase) -> None:
        self._max_stratum = rulebase.max_stratum
        self._counter = itertools.count(1)
        self._session = 0
        self._in_session = 0
        self._session_safe = False  # an action ran in the current session (delete_state is safe)
        self._actions: dict[str, _Action | None] = {}  # None: the end marker's rule
        self._ruleset = ""
        self._handle = self._register(rulebase)

    # --- building -----------------------------------------------------------------------

    def _definition(self, rulebase: RuleBase) -> dict[str, Any]:
        """The ruleset as durable-rules' JSON form, and ``self._actions`` for its rules."""
        referenced = rulebase.referenced
        rules: dict[str, Any] = {}
        for compiled in rulebase.rules:
            for index, term in enumerate(compiled.terms):
                name = f"{compiled.id}#{index}"
                rules[name] = {"all": self._patterns(compiled.stratum, term, len(rules))}
                self._actions[name] = _Action(
                    compiled.id, index, term.expr is not None, term.positive_refs, compiled.id in referenced
                )
        self._check_node_sizes(rulebase)
        if len(rules) >= MAX_RULES_PER_RULESET:
            raise EngineLimitError(
                f"the rule base compiles to {len(rules)} durable rules; durable-rules accepts at "
                f"most {MAX_RULES_PER_RULESET - 1} in one ruleset (use --engine reference)"
            )
        if len(referenced) > MAX_DISTINCT_CHILDREN:
            raise EngineLimitError(
                f"{len(referenced)} findings are referenced by other rules; durable-rules cannot "
                f"index more than {MAX_DISTINCT_CHILDREN} (use --engine reference)"
            )
        rules[END_RULE] = {"all": [{"z": {"t": END}}]}
        self._actions[END_RULE] = None
        return rules

    @staticmethod
    def _check_node_sizes(rulebase: RuleBase) -> None:
        """Refuse, before registration, a rule base that would hang durable-rules.

        More than 511 distinct conditions under one node hang ``register_rulesets`` (513+)
        or ``assert_fact`` (512); an ``in`` of 490 values, beside its neighbours under the
        same label node, is enough. The rules of one label group (``LABEL_GROUP`` rules
        under one second-level node) hang all their tests under that node, so the sum of
        their single-value tests (an upper bound on the distinct conditions) is bounded.
        The error names the rule file with the most tests in the group."""
        groups: dict[int, list[tuple[int, str]]] = {}
        index = 0
        for compiled in rulebase.rules:
            for term in compiled.terms:
                leaves = leaf_count(term.expr) if term.expr is not None else 0
                groups.setdefault(index // LABEL_GROUP, []).append((leaves, compiled.path))
                index += 1
        for members in groups.values():
            total = sum(n for n, _ in members)
            if total > MAX_DISTINCT_CHILDREN:
                leaves, path = max(members, key=lambda m: m[0])
                raise EngineLimitError(
                    f"its condition makes {leaves} tests ({total} with its neighbours in the "
                    f"compiled network); durable-rules hangs with more than {MAX_DISTINCT_CHILDREN} "
                    "under one node",
                    file=path, suggestion="use --engine reference (same results), or split the rule",
                )

    @staticmethod
    def _patterns(stratum: int, term: Term, index: int) -> list[dict[str, Any]]:
        """The durable patterns of one rule term (the ``index``-th rule of the ruleset).

        Every pattern is one ``$and`` (a plain multi-key pattern only tests its first key).
        A gate or finding pattern tests its layer or finding first, so that the engine's
        index sends a gate or finding fact only to the rules waiting for it; then comes the
        label tree of ``_labels`` (after the type test in a profile pattern).
        """
        labels = _labels(index)
        if stratum == 0:
            assert term.expr is not None
            return [{"p": {"$and": [{"t": PROFILE}, *labels, compile_expr(term.expr)]}}]
        patterns: list[dict[str, Any]] = [{"g": {"$and": [{"t": GATE}, {"l": stratum}, *labels]}}]
        if term.expr is not None:
            patterns.append(
                {"p": {"$and": [{"t": PROFILE}, *labels, {"e": {"g": "e"}}, compile_expr(term.expr)]}}
            )
        for i, ref in enumerate(term.refs):
            pattern = {"$and": [{"t": FINDING}, {"r": ref.rule_id}, *labels, {"e": {"g": "e"}}]}
            patterns.append({f"r{i}$not" if ref.negated else f"r{i}": pattern})
        return patterns

    def _register(self, rulebase: RuleBase) -> int:
        self._ruleset = f"advisor_{rulebase.digest[:20]}_{next(_ruleset_numbers)}"
        definition = json.dumps(self._definition(rulebase), ensure_ascii=False)
        try:
            return int(_core.create_ruleset(self._ruleset, definition))
        except Exception as exc:  # durable raises plain Exception with an error code
            raise EngineError(f"durable-rules refused the compiled rule base: {exc}") from exc

    # --- evaluating ---------------------------------------------------------------------

    def _sid(self) -> str:
        return f"s{self._session}"

    def _rotate_if_needed(self) -> None:
        if self._in_session >= SESSION_EVALUATIONS:
            # Every evaluation ends with the end marker's action, so an action normally ran
            # in this session. If none did (every evaluation failed before its end marker),
            # delete_state would crash the process: assert one more end marker, and if even
            # that does not run its action, abandon the session instead of deleting it.
            if not self._session_safe:
                end = _end_fact(self._sid(), next(self._counter))
                try:
                    self._assert(end, None)
                    self._retract([end])
                except EngineError:
                    pass
            try:
                if self._session_safe:
                    _core.delete_state(self._handle, self._sid())
            except Exception:
                pass  # e.g. error 309 (no such session): abandon it, never retry it
            finally:
                self._session += 1
                self._in_session = 0
                self._session_safe = False

    def evaluate(self, facts: Facts) -> list[Firing]:
        self._rotate_if_needed()
        sid = self._sid()
        evaluation = _Evaluation(next(self._counter), sid, facts)
        number = evaluation.number
        profile = json.dumps({"sid": sid, "t": PROFILE, "e": number, **facts}, ensure_ascii=False)
        gates = [_gate_fact(sid, level, number) for level in range(1, self._max_stratum + 1)]
        end = _end_fact(sid, number)
        try:
            for fact in [profile, *gates, end]:
                self._assert(fact, evaluation)
        finally:
            self._in_session += 1
            # Gates first, so no rule that needs an absent finding can match while the
            # finding facts go; whatever fires now is run off without being recorded.
            self._retract([*gates, end, *evaluation.asserted, profile])
        if not evaluation.ended:
            raise EngineError("durable-rules stopped before the end of the evaluation (chain broken)")
        evaluation.firings.sort(key=firing_order)
        return evaluation.firings

    def _assert(self, fact: str, evaluation: _Evaluation | None) -> None:
        """Assert ``fact`` (JSON) and run every action it starts.

        The findings the layer below fired go first, in the same call: the engine takes a
        batch in order, so a gate meets every finding of the layers below it (a rule that
        needs a finding to be absent sees it)."""
        batch = [fact]
        if evaluation is not None and evaluation.pending:
            batch = [*evaluation.pending, fact]
            evaluation.asserted.extend(evaluation.pending)
            evaluation.pending = []
        try:
            code, state = _core.assert_facts(self._handle, "[" + ",".join(batch) + "]")
        except Exception as exc:
            raise _engine_error("assert a fact", exc) from exc
        if code == _OBSERVED:
            raise EngineError(f"durable-rules took a fresh fact for a duplicate: {fact[:80]}")
        if code != _NOT_HANDLED:  # not handled: no rule matched, e.g. a profile that raises nothing
            self._run_actions(state, evaluation)

    def _retract(self, facts: list[str]) -> None:
        try:
            code, state = _core.retract_facts(self._handle, "[" + ",".join(facts) + "]")
        except Exception as exc:
            raise _engine_error("retract an evaluation's facts", exc) from exc
        if code != _NOT_HANDLED:
            self._run_actions(state, None)

    def _run_actions(self, state: int, evaluation: _Evaluation | None) -> None:
        """Run the engine's queue of actions for one session state, in the engine's order.

        The engine hands out one action at a time as a JSON message whose only key is the
        rule's name; the matched facts in it are not needed, because the evaluation knows
        what it asserted. With no evaluation (retraction), actions are run off unrecorded.
        An error while recording is raised once the queue is run off: an action is never
        abandoned, because the engine crashes when an abandoned action's fact is later
        retracted (``test_raw_abandoned_action_then_retract_crashes``).
        """
        try:
            started = _core.start_action_for_state(self._handle, state)
        except Exception as exc:
            raise _engine_error("start an action", exc) from exc
        message: str | None = started[1] if started else None
        failure: BaseException | None = None
        while message:
            try:
                self._fire(message[2 : message.index('"', 2)], evaluation)
            except BaseException as exc:  # raised below, after the queue is run off
                failure, evaluation = exc, None
            try:
                message = _core.complete_and_start_action(self._handle, state)
            except Exception as exc:
                raise _engine_error("complete an action", exc) from exc
        if isinstance(failure, EngineError) or (failure is not None and not isinstance(failure, Exception)):
            raise failure  # an EngineError as it is; KeyboardInterrupt and the like too
        if failure is not None:
            raise EngineError(f"a rule action failed inside durable-rules: {failure!r}") from failure

    def _fire(self, name: str, evaluation: _Evaluation | None) -> None:
        action = self._actions[name]
        if action is None:  # the end marker: the chain ran to its end
            self._session_safe = True
            if evaluation is not None:
                evaluation.ended = True
            return
        if evaluation is None or name in evaluation.fired:
            return  # retraction, or the same term again through another alternative of an $or
        evaluation.fired.add(name)
        evaluation.firings.append(
            Firing(action.rule_id, action.term, evaluation.facts if action.tests_profile else {}, action.findings)
        )
        if action.referenced and action.rule_id not in evaluation.findings:
            evaluation.findings.add(action.rule_id)
            evaluation.pending.append(_finding_fact(evaluation.sid, action.rule_id, evaluation.number))
