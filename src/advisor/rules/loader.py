"""Loading the rule base: every file under ``rules/``, validated strictly, compiled once.

Layout (see README, "Writing rules"):

- ``rules/registry.yaml``      the rule base's version and retired IDs
- ``rules/<area>/<slug>.yaml``  one rule; ``<slug>.cases.yaml`` beside it holds its cases
- ``rules/modules/*.yaml``      the training-module catalogue
- ``rules/coverage.yaml``       the map from source statements to rules (not needed to evaluate)

Any problem is a ``RuleBaseError`` naming the file, the line and, where possible, a
"did you mean". The result does not depend on the order files are found in.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from advisor.areas import AREA_BY_KEY, AUDIENCE_PREFIXES
from advisor.documents import Document, load_document
from advisor.errors import AdvisorError, RuleBaseError, did_you_mean
from advisor.facts import catalogue
from advisor.rules.conditions import (
    MAX_TERMS,
    Ref,
    Term,
    check_value,
    count_terms,
    expand,
    tests_of,
    to_nnf,
)
from advisor.rules.model import (
    AllCondition,
    AnyCondition,
    Cases,
    Citation,
    Condition,
    FieldCondition,
    FindingCondition,
    DomainCitation,
    Module,
    NotCondition,
    Reference,
    References,
    Registry,
    Rule,
)

CASES_SUFFIX = ".cases.yaml"
META_DIRS = ("modules", "coverage")
REFERENCES_FILE = "coverage/references.yaml"


DOMAIN_SOURCE = "domain knowledge"


class CitationParts(NamedTuple):
    kind: str  # "source": a statement of the two sources; "domain": a referenced fact they do not state
    source: str
    section: str
    quote: str
    statement: str


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    path: str
    terms: tuple[Term, ...]
    stratum: int

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.rule_id for t in self.terms for r in t.refs))


@dataclass(frozen=True)
class RuleBase:
    root: str
    version: str
    rules: tuple[CompiledRule, ...]  # sorted by ID
    modules: tuple[Module, ...]  # sorted by ID
    registry: Registry
    references: tuple[Reference, ...] = ()  # for domain-knowledge citations, sorted by ID
    cases: dict[str, Cases] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def references_by_id(self) -> dict[str, Reference]:
        return {r.id: r for r in self.references}

    def citation_parts(self, citation: Citation) -> CitationParts:
        """A citation as (kind, source, section, quote, statement), whatever its kind: a domain
        fact shows its reference as the section and its reference ID as the statement."""
        if isinstance(citation, DomainCitation):
            ref = self.references_by_id[citation.reference]
            return CitationParts("domain", DOMAIN_SOURCE, f"{ref.title} ({ref.publisher}, {ref.date})",
                                 citation.fact, ref.id)
        return CitationParts("source", citation.source, citation.section, citation.quote, citation.statement)

    @cached_property
    def by_id(self) -> dict[str, CompiledRule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def modules_by_id(self) -> dict[str, Module]:
        return {m.id: m for m in self.modules}

    @cached_property
    def referenced(self) -> frozenset[str]:
        """IDs of findings that some other rule's condition refers to."""
        return frozenset(ref for r in self.rules for ref in r.references)

    @cached_property
    def module_addresses(self) -> dict[str, tuple[str, ...]]:
        """Findings each module addresses: its own list plus the findings answered by the
        trainer recommendations that name it."""
        found: dict[str, set[str]] = {m.id: set(m.addresses) for m in self.modules}
        for compiled in self.rules:
            for mid in compiled.rule.modules:
                found[mid].update(r.rule_id for t in compiled.terms for r in t.refs if not r.negated)
        return {mid: tuple(sorted(ids)) for mid, ids in found.items()}

    @cached_property
    def rules_by_field(self) -> dict[str, tuple[str, ...]]:
        """For each profile field any rule tests, the IDs of those rules."""
        found: dict[str, set[str]] = {}
        for compiled in self.rules:
            for term in compiled.terms:
                for path in term.fields:
                    found.setdefault(path, set()).add(compiled.id)
        return {path: tuple(sorted(ids)) for path, ids in found.items()}

    @cached_property
    def fields_by_area(self) -> dict[str, frozenset[str]]:
        """For each capacity area, the profile fields its rules test."""
        found: dict[str, set[str]] = {}
        for compiled in self.rules:
            for term in compiled.terms:
                found.setdefault(compiled.rule.area, set()).update(term.fields)
        return {area: frozenset(paths) for area, paths in found.items()}

    @cached_property
    def max_stratum(self) -> int:
        return max((r.stratum for r in self.rules), default=0)

    @cached_property
    def digest(self) -> str:
        """A hash of everything that decides an evaluation's result (not of file order)."""
        payload = {
            "version": self.version,
            "rules": [r.rule.model_dump(mode="json", by_alias=True) for r in self.rules],
            "modules": [m.model_dump(mode="json") for m in self.modules],
            "references": [r.model_dump(mode="json") for r in self.references],
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()


def default_rules_dir() -> Path:
    """The bundled rule base (``rules/`` of the source tree, shipped as advisor.bundled_rules)."""
    return Path(str(resources.files("advisor.bundled_rules")))


MAX_PROBLEMS = 20
"""How many validation problems of one rule file are reported (each on its own line)."""


def _problem(error: Any, doc: Document, what: str) -> tuple[RuleBaseError, str | None]:
    """One pydantic error as a RuleBaseError, and the key it suggests (for an unknown key)."""
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p in _UNION_TAGS))
    field_path = ".".join(str(p) for p in loc) or None
    message = error["msg"]
    suggestion = None
    suggested = None
    if error["type"] == "extra_forbidden" and loc:
        parent_model = _model_at(what, loc[:-1])
        if parent_model is not None:
            names = _field_names(parent_model)
            suggestion = did_you_mean(str(loc[-1]), names)
            close = difflib.get_close_matches(str(loc[-1]), sorted(set(names)), n=1, cutoff=0.6)
            suggested = ".".join(map(str, (*loc[:-1], close[0]))) if close else None
        message = "unknown key"
    error_obj = RuleBaseError(message, file=doc.path, field=field_path, line=doc.line_of(loc), suggestion=suggestion)
    return error_obj, suggested


def _validation_error(exc: ValidationError, doc: Document, what: str) -> RuleBaseError:
    """The problems of one file, unknown keys first: a misspelled key gives "severty: extra
    forbidden" and "severity: Field required", and only the first says what to fix (the
    second is left out). One problem per location (a condition's union gives one per kind
    of condition); the others ride along in ``more``, up to MAX_PROBLEMS."""
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    problems: list[RuleBaseError] = []
    explained: set[str] = set()
    seen: set[str | None] = set()
    for error in errors:
        problem, suggested = _problem(error, doc, what)
        if suggested:
            explained.add(suggested)
        if problem.field in seen or (error["type"] == "missing" and problem.field in explained):
            continue
        seen.add(problem.field)
        problems.append(problem)
    first, rest = problems[0], problems[1:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        rest.append(RuleBaseError(f"{len(problems) - MAX_PROBLEMS} more problems not shown", file=doc.path))
    first.more = tuple(rest)
    return first


_UNION_TAGS = {"all", "any", "not", "finding", "field", "function-after[_operand(), FieldCondition]"}


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(what: str, loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that a location inside a rule, cases or module file points into."""
    roots: dict[str, type[BaseModel]] = {
        "rule": Rule, "cases": Cases, "module": Module, "registry": Registry, "references": References,
    }
    model: type[BaseModel] | None = roots.get(what)
    for part in loc:
        if model is None or isinstance(part, int):
            continue
        info = model.model_fields.get(part) or next(
            (i for i in model.model_fields.values() if i.alias == part), None
        )
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _parse(model: type[BaseModel], doc: Document, what: str) -> Any:
    if not isinstance(doc.data, dict):
        raise RuleBaseError("must be a mapping of keys to values", file=doc.path, line=1)
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise _validation_error(exc, doc, what) from None


def _condition_locations(cond: Condition, loc: tuple[Any, ...]) -> list[tuple[Any, tuple[Any, ...]]]:
    """Every leaf condition with its key path in the file (for line numbers)."""
    if isinstance(cond, AllCondition):
        return [x for i, c in enumerate(cond.all) for x in _condition_locations(c, (*loc, "all", i))]
    if isinstance(cond, AnyCondition):
        return [x for i, c in enumerate(cond.any) for x in _condition_locations(c, (*loc, "any", i))]
    if isinstance(cond, NotCondition):
        return _condition_locations(cond.not_, (*loc, "not"))
    return [(cond, loc)]


def _error_at(doc: Document, loc: tuple[Any, ...], message: str, *, key: str,
              suggestion: str | None = None) -> RuleBaseError:
    """A RuleBaseError at condition location ``loc`` (the failing ``key`` under it)."""
    return RuleBaseError(
        message, file=doc.path, line=doc.line_of((*loc, key)), field=".".join(map(str, (*loc, key))),
        suggestion=suggestion,
    )


def _check_rule(rule: Rule, doc: Document) -> None:
    """Checks of one rule against the profile schema and its own parameters."""
    fields = catalogue()
    prefix = rule.id[:3]
    if rule.kind == "recommendation":
        expected = {v: k for k, v in AUDIENCE_PREFIXES.items()}[rule.audience or ""]
        if prefix != expected:
            raise RuleBaseError(
                f"a {rule.audience} recommendation's ID must start with {expected}",
                file=doc.path, field="id", line=doc.line_of(("id",)),
            )
    elif prefix != AREA_BY_KEY[rule.area].prefix:
        raise RuleBaseError(
            f"a finding in area '{rule.area}' must have an ID starting with {AREA_BY_KEY[rule.area].prefix}",
            file=doc.path, field="id", line=doc.line_of(("id",)),
        )
    used_params: set[str] = set()
    for leaf, loc in _condition_locations(rule.when, ("when",)):
        if not isinstance(leaf, FieldCondition):
            continue
        spec = fields.get(leaf.field)
        if spec is None:
            raise _error_at(
                doc, loc, f"unknown profile field '{leaf.field}'", key="field",
                suggestion=did_you_mean(leaf.field, fields),
            )
        if leaf.param is not None:
            if leaf.param not in rule.params:
                raise _error_at(
                    doc, loc, f"unknown parameter '{leaf.param}'", key="param",
                    suggestion=did_you_mean(leaf.param, rule.params) or "declare it under 'params'",
                )
            used_params.add(leaf.param)
    unused = sorted(set(rule.params) - used_params)
    if unused:
        raise RuleBaseError(
            f"parameter '{unused[0]}' is declared but no condition uses it",
            file=doc.path, field=f"params.{unused[0]}", line=doc.line_of(("params", unused[0])),
        )


def _compile_terms(rule: Rule, doc: Document) -> tuple[Term, ...]:
    params = {name: p.value for name, p in rule.params.items()}
    node = to_nnf(rule.when, params)
    count = count_terms(node)  # arithmetic: nothing is expanded before the size is known
    if count > MAX_TERMS:
        raise RuleBaseError(
            f"the condition expands to {count:,} alternatives (the limit is {MAX_TERMS}); "
            "split the rule or move finding references out of 'any'",
            file=doc.path, field="when", line=doc.line_of(("when",)),
        )
    terms = expand(node)
    fields = catalogue()
    for term in terms:
        if term.expr is None:
            continue
        for test in tests_of(term.expr):
            problem = check_value(fields[test.path], test)
            if problem:
                loc = next(
                    (l for leaf, l in _condition_locations(rule.when, ("when",))
                     if isinstance(leaf, FieldCondition) and leaf.field == test.path),
                    ("when",),
                )
                raise RuleBaseError(
                    f"{test.path} {problem}", file=doc.path, field=".".join(map(str, loc)),
                    line=doc.line_of(loc),
                )
    return tuple(terms)


def _strata(rules: dict[str, tuple[Rule, tuple[Term, ...], Document]]) -> dict[str, int]:
    """Each rule's layer: 0 without finding references, else one above what it refers to.

    Fails on a reference to an unknown rule or a recommendation, and on a cycle.
    """
    refs: dict[str, list[str]] = {}
    for rule_id, (rule, terms, doc) in rules.items():
        found: list[str] = []
        for leaf, loc in _condition_locations(rule.when, ("when",)):
            if not isinstance(leaf, FindingCondition):
                continue
            target = rules.get(leaf.finding)
            if target is None:
                raise _error_at(
                    doc, loc, f"refers to unknown rule '{leaf.finding}'", key="finding",
                    suggestion=did_you_mean(leaf.finding, rules),
                )
            if not target[0].is_finding:
                raise _error_at(
                    doc, loc,
                    f"refers to '{leaf.finding}', a recommendation; conditions may refer to findings only",
                    key="finding",
                )
            found.append(leaf.finding)
        refs[rule_id] = sorted(set(found))

    strata: dict[str, int] = {}
    visiting: list[str] = []

    def visit(rule_id: str) -> int:
        if rule_id in strata:
            return strata[rule_id]
        if rule_id in visiting:
            cycle = visiting[visiting.index(rule_id):] + [rule_id]
            doc = rules[rule_id][2]
            raise RuleBaseError(
                "rules refer to each other in a cycle: " + " -> ".join(cycle), file=doc.path,
                field="when",
            )
        visiting.append(rule_id)
        level = 0 if not refs[rule_id] else 1 + max(visit(r) for r in refs[rule_id])
        visiting.pop()
        strata[rule_id] = level
        return level

    for rule_id in sorted(rules):
        visit(rule_id)
    return strata


def _rule_files(root: Path) -> list[Path]:
    files = [
        p for p in root.rglob("*.yaml")
        if p.parent != root
        and not p.name.endswith(CASES_SUFFIX)
        and p.relative_to(root).parts[0] not in META_DIRS
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _load_modules(root: Path, finding_ids: set[str]) -> tuple[Module, ...]:
    modules: dict[str, tuple[Module, Document]] = {}
    module_dir = root / "modules"
    for path in sorted(module_dir.glob("*.yaml")) if module_dir.is_dir() else []:
        doc = load_document(path)
        module = _parse(Module, doc, "module")
        if module.id in modules:
            raise RuleBaseError(
                f"duplicate module ID {module.id} (also in {modules[module.id][1].path})",
                file=doc.path, field="id", line=doc.line_of(("id",)),
            )
        modules[module.id] = (module, doc)
    for module, doc in modules.values():
        if module.prerequisites and module.prerequisites_why is None:
            raise RuleBaseError(
                "a module with prerequisites must say why they come first", file=doc.path,
                field="prerequisites_why", line=doc.line_of(("prerequisites",)),
            )
        for i, pre in enumerate(module.prerequisites):
            if pre not in modules:
                raise RuleBaseError(
                    f"unknown prerequisite module '{pre}'", file=doc.path,
                    field=f"prerequisites.{i}", line=doc.line_of(("prerequisites", i)),
                    suggestion=did_you_mean(pre, modules),
                )
        for i, fid in enumerate(module.addresses):
            if fid not in finding_ids:
                raise RuleBaseError(
                    f"addresses unknown finding '{fid}'", file=doc.path,
                    field=f"addresses.{i}", line=doc.line_of(("addresses", i)),
                    suggestion=did_you_mean(fid, finding_ids),
                )
    # Prerequisite cycles are load-time errors.
    cycle = find_cycle({mid: module.prerequisites for mid, (module, _) in modules.items()})
    if cycle:
        raise RuleBaseError("training modules' prerequisites form a cycle: " + " -> ".join(cycle),
                            file=modules[cycle[0]][1].path, field="prerequisites")
    return tuple(modules[m][0] for m in sorted(modules))


def load_rulebase(root: Path | None = None, *, with_cases: bool = False) -> RuleBase:
    """Load, validate and compile every rule under ``root`` (default: the bundled rules).

    A compiled copy is kept on disk and reused while no rule file changes (rules/cache.py;
    env ADVISOR_NO_CACHE=1 turns it off).
    """
    from advisor.rules.cache import cached_load

    root = root or default_rules_dir()
    if not root.is_dir():
        raise RuleBaseError("rule directory not found", file=str(root))
    return cached_load(root, with_cases, lambda: _load_rulebase(root, with_cases))


def _load_rulebase(root: Path, with_cases: bool) -> RuleBase:
    registry_path = root / "registry.yaml"
    registry_doc = load_document(registry_path)
    registry = _parse(Registry, registry_doc, "registry")
    retired = {r.id: r for r in registry.retired}

    parsed: dict[str, tuple[Rule, tuple[Term, ...], Document]] = {}
    cases: dict[str, Cases] = {}
    for path in _rule_files(root):
        try:
            doc = load_document(path)
        except AdvisorError as exc:
            raise RuleBaseError(exc.message, file=exc.file, field=exc.field, line=exc.line,
                                suggestion=exc.suggestion) from None
        rule: Rule = _parse(Rule, doc, "rule")
        if rule.id in parsed:
            raise RuleBaseError(
                f"duplicate rule ID {rule.id} (also in {parsed[rule.id][2].path})",
                file=doc.path, field="id", line=doc.line_of(("id",)),
            )
        if rule.id in retired:
            raise RuleBaseError(
                f"rule ID {rule.id} is retired ({retired[rule.id].reason}); IDs are never reused",
                file=doc.path, field="id", line=doc.line_of(("id",)),
            )
        _check_rule(rule, doc)
        parsed[rule.id] = (rule, _compile_terms(rule, doc), doc)
        if with_cases:
            case_path = path.with_name(path.name[: -len(".yaml")] + CASES_SUFFIX)
            if case_path.exists():
                cases[rule.id] = _parse(Cases, load_document(case_path), "cases")

    strata = _strata(parsed)
    finding_ids = {rid for rid, (rule, _, _) in parsed.items() if rule.is_finding}
    modules = _load_modules(root, finding_ids)
    for rid, (rule, _, doc) in parsed.items():
        for i, mid in enumerate(rule.modules):
            if mid not in {m.id for m in modules}:
                raise RuleBaseError(
                    f"names unknown training module '{mid}'", file=doc.path,
                    field=f"modules.{i}", line=doc.line_of(("modules", i)),
                    suggestion=did_you_mean(mid, [m.id for m in modules]),
                )
        for i, other in enumerate(rule.exclusive_with):
            if other not in parsed or parsed[other][0].is_finding:
                raise RuleBaseError(
                    f"exclusive_with names '{other}', which is not a recommendation of this rule base",
                    file=doc.path, field=f"exclusive_with.{i}", line=doc.line_of(("exclusive_with", i)),
                    suggestion=did_you_mean(other, parsed),
                )
    references = _load_references(root)
    known_refs = {r.id for r in references}
    for rid, (rule, _, doc) in parsed.items():
        for i, citation in enumerate(rule.sources):
            if isinstance(citation, DomainCitation) and citation.reference not in known_refs:
                raise RuleBaseError(
                    f"cites unknown reference '{citation.reference}' (references are listed in {REFERENCES_FILE})",
                    file=doc.path, field=f"sources.{i}.reference", line=doc.line_of(("sources", i, "reference")),
                    suggestion=did_you_mean(citation.reference, known_refs),
                )
    _check_after(parsed)
    compiled = tuple(
        CompiledRule(rule=rule, path=doc.path, terms=terms, stratum=strata[rid])
        for rid, (rule, terms, doc) in sorted(parsed.items())
    )
    if not compiled:
        raise RuleBaseError("no rules found", file=str(root))
    return RuleBase(
        root=str(root), version=registry.version, rules=compiled, modules=modules,
        registry=registry, references=references, cases=cases,
    )


def _load_references(root: Path) -> tuple[Reference, ...]:
    path = root / REFERENCES_FILE
    if not path.is_file():
        return ()
    doc = load_document(path)
    refs: References = _parse(References, doc, "references")
    seen: set[str] = set()
    for i, ref in enumerate(refs.references):
        if ref.id in seen:
            raise RuleBaseError(f"duplicate reference ID {ref.id}", file=doc.path,
                                field=f"references.{i}.id", line=doc.line_of(("references", i, "id")))
        seen.add(ref.id)
    return tuple(sorted(refs.references, key=lambda r: r.id))


def _check_after(parsed: dict[str, tuple[Rule, tuple[Term, ...], Document]]) -> None:
    """``after`` names recommendations of the same audience, and the order it asks for has no cycle."""
    for rule, _, doc in parsed.values():
        for i, other in enumerate(rule.after):
            target = parsed.get(other)
            if target is None or target[0].is_finding or target[0].audience != rule.audience:
                raise RuleBaseError(
                    f"after names '{other}', which is not a {rule.audience} recommendation of this rule base",
                    file=doc.path, field=f"after.{i}", line=doc.line_of(("after", i)),
                    suggestion=did_you_mean(other, parsed),
                )
    cycle = find_cycle({rid: rule.after for rid, (rule, _, _) in parsed.items()})
    if cycle:
        raise RuleBaseError("recommendations' 'after' orderings form a cycle: " + " -> ".join(cycle),
                            file=parsed[cycle[0]][2].path, field="after")


def find_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    """A cycle of ``edges`` (node -> the nodes it needs first) as [a, b, ..., a], or None;
    nodes are visited in sorted order, so the same cycle is reported every time."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, chain: list[str]) -> list[str] | None:
        if state.get(node) == 2 or node not in edges:
            return None
        if state.get(node) == 1:
            return chain[chain.index(node):] + [node]
        state[node] = 1
        for other in edges[node]:
            found = visit(other, [*chain, node])
            if found:
                return found
        state[node] = 2
        return None

    for node in sorted(edges):
        found = visit(node, [])
        if found:
            return found
    return None


__all__ = ["CompiledRule", "Ref", "RuleBase", "default_rules_dir", "load_rulebase"]
