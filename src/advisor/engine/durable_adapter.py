"""The durable-rules adapter: the only module that imports durable-rules.

It compiles a RuleBase into durable-rules rulesets once per process and evaluates profiles
by asserting facts and letting the engine chain: profile fact -> finding facts (asserted
by finding rules' actions) -> rules that join on them. Each fence below answers one
behaviour of durable-rules 2.0.28 recorded in ../shared/design/DURABLE-RULES.md, and each
has its own test in tests/engine/test_durable_adapter.py.

Fences:

- timer threads: ``_QuietHost`` never starts durable's dispatch/timer threads (they call
  ``dispatch()`` concurrently and cause "error code: 307" under load). We use no timers.
- global ruleset names / no reload: a ruleset name registers only once per process, so
  every DurableEvaluator registers its own ruleset, named from the rule base's digest and
  a process-wide counter; the same rule base can be loaded any number of times.
- ``register_rulesets`` mutates its argument (it deletes each rule's ``run``): we pass a
  copy of every rule's dict.
- an ``$or`` runs the action once per alternative that holds (``{"$or": [a, b]}`` with both
  true fires twice): each (rule, term) is recorded once per evaluation.
- ``post`` fires only the first matching rule: we only ``assert_fact``.
- identical facts raise ``MessageObservedException``: every fact carries the evaluation's
  unique number ``e``.
- a top-level fact that matches nothing raises ``MessageNotHandledException``: expected for
  facts with no rule to match, caught.
- errors inside actions are stored in the session state, never raised: every action is
  wrapped, its errors recorded and raised as ``EngineError`` after the evaluation; the
  session state's ``exception`` is checked too.
- two-parameter actions are treated as asynchronous: every action takes exactly one.
- ``delete_state`` crashes on a session where no action ran, and live sessions are capped at
  1,024: each session ends with an end marker that an always-matching rule handles (so an
  action always ran, and we learn the chain completed); sessions are rotated every
  ``SESSION_EVALUATIONS`` evaluations and the old one deleted, only once an end-marker
  action is known to have run in it.
- type coercion and missing attributes: facts come from a validated Profile and rule values
  are checked against the field types at load time; unanswered fields are absent and every
  comparison on them is false by design (see advisor.rules.conditions).
- size limits: each rule term becomes its own durable rule; more than ``MAX_RULES_PER_RULESET``
  terms are split over several rulesets of one layer ... (see _partition).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

from durable import engine as durable_engine  # the one import of durable-rules

from advisor.engine.base import Firing
from advisor.errors import EngineError
from advisor.facts import Facts, fact_key
from advisor.rules.conditions import And, Expr, Test, Term
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
# Keys the adapter adds to facts. "id" is durable's identity key, so findings use "r".
_ENGINE_KEYS = ("t", "e", "sid", "id")


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A Host without durable's background dispatch and timer threads."""

    def _run(self) -> None:  # noqa: D401 - overriding durable's thread start-up
        return None


_host: _QuietHost | None = None
_ruleset_numbers = itertools.count(1)  # ruleset names must be unique in the process


def _get_host() -> _QuietHost:
    global _host
    if _host is None:
        _host = _QuietHost()
    return _host


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
    """What the actions of one evaluation record (one evaluation at a time per host)."""

    __slots__ = ("number", "sid", "firings", "fired", "asserted", "errors", "ended", "facts")

    def __init__(self, number: int, sid: str) -> None:
        self.number = number
        self.sid = sid
        self.facts: list[dict[str, Any]] = []  # everything asserted, to retract afterwards
        self.firings: list[Firing] = []
        self.fired: set[tuple[str, int]] = set()  # (rule, term): an $or may fire it twice
        self.asserted: set[str] = set()
        self.errors: list[str] = []
        self.ended = False


class DurableEvaluator:
    name = "durable-rules"

    def __init__(self, rulebase: RuleBase) -> None:
        self._rulebase = rulebase
        self._referenced = rulebase.referenced
        self._max_stratum = rulebase.max_stratum
        self._current: _Evaluation | None = None
        self._counter = itertools.count(1)
        self._session = 0
        self._in_session = 0
        self._session_safe = False  # an action ran in the current session (delete_state is safe)
        self._host = _get_host()
        self._ruleset = self._register(rulebase)

    # --- building -----------------------------------------------------------------------

    def _action(self, rule_id: str, term_index: int, term: Term) -> Callable[[Any], None]:
        has_profile = term.expr is not None
        positive = term.positive_refs
        is_referenced = rule_id in self._referenced

        def action(c: Any) -> None:  # exactly one parameter: two would make it async
            evaluation = self._current
            if evaluation is None:
                return
            term_key = (rule_id, term_index)
            if term_key in evaluation.fired:
                return  # the same term again, through another alternative of an $or
            evaluation.fired.add(term_key)
            try:
                facts: Facts = {}
                if has_profile:
                    facts = _plain(c.p)
                    for key in _ENGINE_KEYS:
                        facts.pop(key, None)
                evaluation.firings.append(Firing(rule_id, term_index, facts, positive))
                if is_referenced and rule_id not in evaluation.asserted:
                    evaluation.asserted.add(rule_id)
                    fact = {"sid": evaluation.sid, "t": FINDING, "r": rule_id, "e": evaluation.number}
                    evaluation.facts.append(fact)
                    try:
                        c.assert_fact(fact)
                    except durable_engine.MessageNotHandledException:
                        pass  # inside an action this would stop the action, not the engine
            except BaseException as exc:  # recorded, raised by evaluate()
                evaluation.errors.append(f"{rule_id} (alternative {term_index}): {exc!r}")

        return action

    def _end_action(self, c: Any) -> None:  # exactly one parameter (see _action)
        self._session_safe = True
        if self._current is not None:
            self._current.ended = True

    def _definition(self, rulebase: RuleBase) -> dict[str, Any]:
        rules: dict[str, Any] = {}
        for compiled in rulebase.rules:
            for index, term in enumerate(compiled.terms):
                rules[f"{compiled.id}#{index}"] = {
                    "all": self._patterns(compiled.stratum, term, len(rules)),
                    "run": self._action(compiled.id, index, term),
                }
        if len(rules) >= MAX_RULES_PER_RULESET:
            raise EngineError(
                f"the rule base compiles to {len(rules)} durable rules; durable-rules accepts at "
                f"most {MAX_RULES_PER_RULESET - 1} in one ruleset (use --engine reference)"
            )
        referenced = len(rulebase.referenced)
        if referenced > MAX_DISTINCT_CHILDREN:
            raise EngineError(
                f"{referenced} findings are referenced by other rules; durable-rules cannot index "
                f"more than {MAX_DISTINCT_CHILDREN} (use --engine reference)"
            )
        rules["__end__"] = {"all": [{"z": {"t": END}}], "run": self._end_action}
        return rules

    @staticmethod
    def _patterns(stratum: int, term: Term, index: int) -> list[dict[str, Any]]:
        """The durable patterns of one rule term (the ``index``-th rule of the ruleset).

        Every pattern is one ``$and`` (a plain multi-key pattern only tests its first key),
        and carries the label tree of ``_labels`` right after its type test.
        """
        labels = _labels(index)
        if stratum == 0:
            assert term.expr is not None
            return [{"p": {"$and": [{"t": PROFILE}, *labels, compile_expr(term.expr)]}}]
        patterns: list[dict[str, Any]] = [{"g": {"$and": [{"t": GATE}, *labels, {"l": stratum}]}}]
        if term.expr is not None:
            patterns.append(
                {"p": {"$and": [{"t": PROFILE}, *labels, {"e": {"g": "e"}}, compile_expr(term.expr)]}}
            )
        for i, ref in enumerate(term.refs):
            pattern = {"$and": [{"t": FINDING}, *labels, {"r": ref.rule_id}, {"e": {"g": "e"}}]}
            patterns.append({f"r{i}$not" if ref.negated else f"r{i}": pattern})
        return patterns

    def _register(self, rulebase: RuleBase) -> str:
        name = f"advisor_{rulebase.digest[:20]}_{next(_ruleset_numbers)}"
        definition = self._definition(rulebase)
        try:
            # A copy of every rule's dict: durable deletes "run" from what it is given.
            self._host.register_rulesets({name: {rid: copy.copy(rule) for rid, rule in definition.items()}})
        except Exception as exc:  # durable raises plain Exception with an error code
            raise EngineError(f"durable-rules refused the compiled rule base: {exc}") from exc
        return name

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
                end = {"sid": self._sid(), "t": END, "e": next(self._counter)}
                try:
                    self._host.assert_fact(self._ruleset, end)
                    self._host.retract_fact(self._ruleset, end)
                except Exception:
                    pass
            try:
                if self._session_safe:
                    self._host.delete_state(self._ruleset, self._sid())
            except Exception:
                pass  # e.g. error 309 (no such session): abandon it, never retry it
            finally:
                self._session += 1
                self._in_session = 0
                self._session_safe = False

    def _assert(self, fact: dict[str, Any]) -> None:
        try:
            self._host.assert_fact(self._ruleset, fact)
        except durable_engine.MessageNotHandledException:
            pass  # a fact no rule matched: normal (e.g. a profile that raises nothing)
        except durable_engine.MessageObservedException as exc:
            raise EngineError(f"durable-rules took a fresh fact for a duplicate: {exc}") from exc
        except Exception as exc:
            raise EngineError(f"durable-rules failed: {exc}") from exc

    def evaluate(self, facts: Facts) -> list[Firing]:
        self._rotate_if_needed()
        sid = self._sid()
        evaluation = _Evaluation(next(self._counter), sid)
        number = evaluation.number
        profile: dict[str, Any] = {"sid": sid, "t": PROFILE, "e": number, **facts}
        gates: list[dict[str, Any]] = [
            {"sid": sid, "t": GATE, "l": level, "e": number} for level in range(1, self._max_stratum + 1)
        ]
        end: dict[str, Any] = {"sid": sid, "t": END, "e": number}
        self._current = evaluation
        try:
            for fact in [profile, *gates, end]:
                self._assert(fact)
        finally:
            self._current = None
            self._in_session += 1
            # Gates first, so no rule that needs an absent finding can match while the
            # finding facts go; actions that fire now see no current evaluation and do nothing.
            self._retract([*gates, end, *evaluation.facts, profile])
        self._raise_action_errors(evaluation)
        if not evaluation.ended:
            raise EngineError("durable-rules stopped before the end of the evaluation (chain broken)")
        evaluation.firings.sort(key=lambda f: f.sort_key)
        return evaluation.firings

    def _retract(self, facts: list[dict[str, Any]]) -> None:
        try:
            self._host.retract_facts(self._ruleset, facts)
        except durable_engine.MessageNotHandledException:
            pass
        except Exception as exc:
            raise EngineError(f"durable-rules failed to retract an evaluation's facts: {exc}") from exc

    def _raise_action_errors(self, evaluation: _Evaluation) -> None:
        """Errors in actions are stored by durable-rules, never raised: raise them here."""
        state = self._host.get_state(self._ruleset, evaluation.sid)
        state_error = state.pop("exception", None)
        if state_error is not None:
            self._host.update_state(self._ruleset, state)  # it would linger into later evaluations
        if evaluation.errors or state_error:
            raise EngineError(
                "a rule action failed inside durable-rules: "
                + "; ".join(evaluation.errors or [str(state_error)])
            )


def _plain(value: Any) -> dict[str, Any]:
    data = getattr(value, "_d", value)
    return dict(data)
