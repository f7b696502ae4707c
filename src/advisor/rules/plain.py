"""A loaded rule base as plain data (JSON) and back: the rule-base cache's format.

Nothing here can run code: the data is parsed with ``json`` and the objects are rebuilt field
by field from known model classes (``model_construct``: the data was validated when the rule
files were loaded, and the cache only accepts data it wrote itself, see rules/cache.py).

Two parts:

- the *evaluated* part, byte for byte the text ``RuleBase.digest`` hashes (the rule base's
  version, every rule and every module as JSON), so the digest of a rule base read back is the
  hash of exactly the text its rules were rebuilt from;
- the rest: the rule directory, each rule's file path, the registry and the cases.

The compiled conditions (terms) and layers (strata) are not stored: they are recomputed from
the rules' ``when`` on reading, so what is evaluated always follows from what is hashed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from advisor.rules.conditions import MAX_TERMS, Term, expand, to_nnf
from advisor.rules.loader import CompiledRule, RuleBase
from advisor.rules.model import (
    Advice,
    AdviceText,
    AllCondition,
    AnyCondition,
    CaseProfile,
    Cases,
    Condition,
    Doc,
    DocText,
    DomainCitation,
    FieldCondition,
    FindingCondition,
    Module,
    ModuleTranslation,
    NotCondition,
    Param,
    Reference,
    Registry,
    RetiredRule,
    Rule,
    RuleTranslation,
    SourceCitation,
)

M = TypeVar("M", bound=BaseModel)


def canonical(value: Any) -> str:
    """The one JSON text of ``value`` that digests are taken of."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def evaluated_data(version: str, rules: tuple[Rule, ...], modules: tuple[Module, ...],
                   references: tuple[Reference, ...] = ()) -> dict[str, Any]:
    """What ``RuleBase.digest`` hashes (keep the two in step)."""
    return {
        "version": version,
        "rules": [rule.model_dump(mode="json", by_alias=True) for rule in rules],
        "modules": [module.model_dump(mode="json") for module in modules],
        "references": [ref.model_dump(mode="json") for ref in references],
    }


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_plain(rulebase: RuleBase) -> tuple[str, str]:
    """(the evaluated part, the rest) as two JSON texts without line breaks."""
    evaluated = canonical(evaluated_data(rulebase.version, tuple(r.rule for r in rulebase.rules), rulebase.modules,
                                         rulebase.references))
    rest = canonical({
        "root": rulebase.root,
        "paths": [r.path for r in rulebase.rules],
        "registry": rulebase.registry.model_dump(mode="json"),
        "cases": {rid: cases.model_dump(mode="json") for rid, cases in sorted(rulebase.cases.items())},
    })
    return evaluated, rest


# --- rebuilding -------------------------------------------------------------------------


class PlainDataError(ValueError):
    """The data does not have the shape of a rule base (never shown: the cache is rebuilt)."""


_FIELDS: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}


def _fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(field name, key in the data) of every field of ``model``."""
    found = _FIELDS.get(model)
    if found is None:
        found = _FIELDS[model] = tuple((name, info.alias or name) for name, info in model.model_fields.items())
    return found


Convert = Callable[[Any], Any]


def _build(model: type[M], data: Any, nested: dict[str, Convert] | None = None) -> M:
    if not isinstance(data, dict):
        raise PlainDataError(f"{model.__name__}: not a mapping")
    fields = _fields(model)
    if len(data) != len(fields):
        raise PlainDataError(f"{model.__name__}: unexpected keys")
    try:
        values = {name: data[key] for name, key in fields}  # in the model's field order
    except KeyError as exc:
        raise PlainDataError(f"{model.__name__}: no {exc}") from None
    if nested:
        for name, convert in nested.items():
            value = values[name]
            if value is not None:
                values[name] = convert(value)
    # What model_construct does, without its per-call overhead (thousands of models per rule
    # base): the instance's fields, all of them set, no extras, no private attributes.
    instance = model.__new__(model)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


_set = object.__setattr__


def _list(convert: Convert) -> Callable[[Any], list[Any]]:
    def build(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise PlainDataError("not a list")
        return [convert(item) for item in value]
    return build


def _mapping(convert: Convert) -> Callable[[Any], dict[str, Any]]:
    def build(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise PlainDataError("not a mapping")
        return {key: convert(item) for key, item in value.items()}
    return build


def _model(model: type[BaseModel], nested: dict[str, Convert] | None = None) -> Convert:
    return lambda data: _build(model, data, nested)


def _condition(data: Any) -> Condition:
    if not isinstance(data, dict):
        raise PlainDataError("condition: not a mapping")
    if "all" in data:
        return _build(AllCondition, data, _ALL)
    if "any" in data:
        return _build(AnyCondition, data, _ANY)
    if "not" in data:
        return _build(NotCondition, data, _NOT)
    if "finding" in data:
        return _build(FindingCondition, data)
    return _build(FieldCondition, data)


_ALL: dict[str, Convert] = {"all": _list(_condition)}
_ANY: dict[str, Convert] = {"any": _list(_condition)}
_NOT: dict[str, Convert] = {"not_": _condition}
_RULE: dict[str, Convert] = {
    "when": _condition,
    "params": _mapping(_model(Param)),
    "doc": _model(Doc),
    "sources": _list(lambda data: _build(DomainCitation if isinstance(data, dict) and data.get("kind") == "domain"
                                         else SourceCitation, data)),
    "advice": _model(Advice),
    "i18n": _mapping(_model(RuleTranslation, {"doc": _model(DocText), "advice": _model(AdviceText)})),
}
_rule = _model(Rule, _RULE)
_module = _model(Module, {"i18n": _mapping(_model(ModuleTranslation))})
_registry = _model(Registry, {"retired": _list(_model(RetiredRule))})
_reference = _model(Reference)
_case_profiles = _list(_model(CaseProfile))
_cases = _model(Cases, {"fires": _case_profiles, "does_not_fire": _case_profiles})


def compile_terms(rule: Rule) -> tuple[Term, ...]:
    """The rule's terms, as the loader compiles them (its checks already passed at load time)."""
    terms = expand(to_nnf(rule.when, {name: p.value for name, p in rule.params.items()}))
    if len(terms) > MAX_TERMS:
        raise PlainDataError(f"{rule.id}: too many terms")
    return tuple(terms)


def strata(rules: dict[str, tuple[Term, ...]]) -> dict[str, int]:
    """Each rule's layer: 0 without finding references, else one above what it refers to."""
    found: dict[str, int] = {}

    def visit(rule_id: str, chain: frozenset[str]) -> int:
        if rule_id in found:
            return found[rule_id]
        if rule_id in chain or rule_id not in rules:
            raise PlainDataError(f"{rule_id}: unknown or circular reference")
        refs = {ref.rule_id for term in rules[rule_id] for ref in term.refs}
        level = 0 if not refs else 1 + max(visit(r, chain | {rule_id}) for r in refs)
        found[rule_id] = level
        return level

    for rule_id in sorted(rules):
        visit(rule_id, frozenset())
    return found


def from_plain(evaluated: str | bytes, rest: str | bytes) -> RuleBase:
    """The RuleBase the two texts of ``to_plain`` describe (as text or UTF-8 bytes);
    PlainDataError if they do not."""
    try:
        data = json.loads(evaluated)
        other = json.loads(rest)
        if not isinstance(data, dict) or not isinstance(other, dict):
            raise PlainDataError("not a mapping")
        rules = [_rule(item) for item in data["rules"]]
        modules = tuple(_module(item) for item in data["modules"])
        references = tuple(_reference(item) for item in data["references"])
        paths = other["paths"]
        if not isinstance(paths, list) or len(paths) != len(rules) or not all(isinstance(p, str) for p in paths):
            raise PlainDataError("paths do not match the rules")
        if [r.id for r in rules] != sorted({r.id for r in rules}):
            raise PlainDataError("rules not sorted by a unique ID")
        terms = {rule.id: compile_terms(rule) for rule in rules}
        layers = strata(terms)
        registry = _registry(other["registry"])
        version, root = data["version"], other["root"]
        if not isinstance(version, str) or version != registry.version or not isinstance(root, str):
            raise PlainDataError("version or root")
        rulebase = RuleBase(
            root=root, version=version,
            rules=tuple(CompiledRule(rule=rule, path=path, terms=terms[rule.id], stratum=layers[rule.id])
                        for rule, path in zip(rules, paths, strict=True)),
            modules=modules, registry=registry, references=references,
            cases={rid: _cases(item) for rid, item in _mapping(lambda x: x)(other["cases"]).items()},
        )
    except (KeyError, TypeError, AttributeError, RecursionError, ValueError) as exc:  # (UnicodeDecodeError too)
        raise PlainDataError(str(exc)) from None
    # The digest is the hash of exactly the text the rules were built from.
    blob = evaluated if isinstance(evaluated, bytes) else evaluated.encode("utf-8")
    rulebase.__dict__["digest"] = hashlib.sha256(blob).hexdigest()
    return rulebase


__all__ = ["PlainDataError", "canonical", "digest_of", "evaluated_data", "from_plain", "to_plain"]
