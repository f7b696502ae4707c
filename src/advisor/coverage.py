"""The coverage map: which rules encode each statement of the source documents.

``rules/coverage/*.yaml`` each hold one source's statements (a source may be split over
several files)::

    source: civicus-csi-kz-2011
    statements:
      - {id: CSI-W-4, section: Weaknesses, quote: "...", rules: [FIN002, NGO001]}
      - {id: CSI-OV-1, section: ..., quote: "...", context: "why no rule can encode it"}

``coverage_report`` checks the map against a RuleBase: how many statements there are, how
many are covered by rules or recorded as context, which expected statements are uncovered
(not listed, or listed with no rules and no context), and the inconsistencies (a mapped rule
that does not exist, a rule citing a statement the map does not list, a statement listed
twice or under the wrong source). Pure: no printing; loading reads files only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from advisor.documents import load_document
from advisor.errors import RuleBaseError
from advisor.rules.loader import RuleBase
from advisor.rules.model import RULE_ID_PATTERN, DomainCitation, SourceCitation, SourceId

STATEMENT_PATTERN: Final = r"^(KZ23|CSI)-[A-Z]+-[0-9]+$"

# The statements each source must have (README of the sources: a statement is one bullet or
# one named recommendation), as ID family -> count. Families are numbered from 1.
EXPECTED: Final[dict[str, dict[str, int]]] = {
    "ref-kz-2023": {
        "KZ23-IS": 5, "KZ23-IW": 5, "KZ23-IO": 5, "KZ23-IR": 5,  # institutional capacity SWOT
        "KZ23-CS": 5, "KZ23-CW": 5, "KZ23-CR": 5,  # NGO–donor cooperation
        "KZ23-EX": 6,  # expectations
        "KZ23-REC": 5,  # recommendations to donors
    },
    "civicus-csi-kz-2011": {
        "CSI-DIM": 5,  # diamond dimensions
        "CSI-S": 7,
        "CSI-W": 9,
        "CSI-R": 4,
    },
}
PREFIX_OF_SOURCE: Final[dict[str, str]] = {"ref-kz-2023": "KZ23-", "civicus-csi-kz-2011": "CSI-"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Statement(_Strict):
    id: str = Field(pattern=STATEMENT_PATTERN)
    section: str = Field(min_length=3)
    quote: str = Field(min_length=5, max_length=400)
    rules: list[str] = Field(default_factory=list)
    context: str | None = Field(
        default=None, min_length=20,
        description="Why no profile answer can trigger this statement (instead of rules).",
    )

    @model_validator(mode="after")
    def _rules_or_context(self) -> Statement:
        if self.rules and self.context is not None:
            raise ValueError("a statement has either 'rules' or 'context', not both")
        for rid in self.rules:
            if not re.match(RULE_ID_PATTERN, rid):
                raise ValueError(f"'{rid}' is not a rule ID")
        return self


class CoverageFile(_Strict):
    source: SourceId
    statements: list[Statement] = Field(min_length=1)


def family(statement_id: str) -> str:
    """``KZ23-IW-3`` -> ``KZ23-IW``."""
    return statement_id.rsplit("-", 1)[0]


def expected_statements() -> dict[str, str]:
    """Every statement ID the sources require, -> its source."""
    return {
        f"{fam}-{n}": source
        for source, fams in EXPECTED.items()
        for fam, count in fams.items()
        for n in range(1, count + 1)
    }


@dataclass(frozen=True)
class MapEntry:
    statement: Statement
    source: str
    file: str


@dataclass(frozen=True)
class Problem:
    code: str  # unknown_rule | unlisted_statement | duplicate_statement | wrong_source
    statement: str
    rule: str | None
    message: str


@dataclass(frozen=True)
class CoverageReport:
    statements: int
    covered: int
    context: int
    uncovered: tuple[str, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.uncovered and not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "statements": self.statements,
            "covered": self.covered,
            "context": self.context,
            "uncovered": list(self.uncovered),
            "errors": [
                {"code": p.code, "statement": p.statement, "rule": p.rule, "message": p.message}
                for p in self.problems
            ],
            "files": list(self.files),
        }


def coverage_dir(rulebase: RuleBase) -> Path:
    return Path(rulebase.root) / "coverage"


def load_coverage(directory: Path) -> dict[str, MapEntry]:
    """Statement ID -> entry, from every ``*.yaml`` in ``directory`` (strictly validated).

    A statement listed twice raises, naming both files.
    """
    entries: dict[str, MapEntry] = {}
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        if path.name == "references.yaml":  # domain-knowledge references, not a statement map
            continue
        doc = load_document(path)
        if not isinstance(doc.data, dict):
            raise RuleBaseError("must be a mapping of keys to values", file=doc.path, line=1)
        try:
            parsed = CoverageFile.model_validate(doc.data)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = tuple(first["loc"])
            message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
            raise RuleBaseError(
                message, file=doc.path, field=".".join(map(str, loc)) or None, line=doc.line_of(loc)
            ) from None
        for i, st in enumerate(parsed.statements):
            if st.id in entries:
                raise RuleBaseError(
                    f"statement {st.id} is listed twice (also in {entries[st.id].file})",
                    file=doc.path, field=f"statements.{i}.id", line=doc.line_of(("statements", i, "id")),
                )
            entries[st.id] = MapEntry(statement=st, source=parsed.source, file=doc.path)
    return entries


def coverage_report(rulebase: RuleBase, entries: dict[str, MapEntry] | None = None) -> CoverageReport:
    """Check the map (default: the rule base's ``coverage/`` directory) against the rules."""
    if entries is None:
        entries = load_coverage(coverage_dir(rulebase))
    expected = expected_statements()
    problems: list[Problem] = []

    for sid, entry in sorted(entries.items()):
        prefix = PREFIX_OF_SOURCE[entry.source]
        if not sid.startswith(prefix):
            problems.append(Problem("wrong_source", sid, None,
                                    f"{sid} is listed under source {entry.source} ({entry.file})"))
        for rid in entry.statement.rules:
            if rid not in rulebase.by_id:
                problems.append(Problem("unknown_rule", sid, rid,
                                        f"{sid} is mapped to {rid}, which is not a rule ({entry.file})"))
            elif not any(isinstance(c, SourceCitation) and c.statement == sid
                         for c in rulebase.by_id[rid].rule.sources):
                problems.append(Problem("mapped_rule_does_not_cite", sid, rid,
                                        f"{sid} is mapped to {rid}, which does not cite it ({entry.file}): "
                                        "a rule covers a statement only by encoding and citing it"))
    for compiled in rulebase.rules:
        for citation in compiled.rule.sources:
            if not isinstance(citation, SourceCitation):
                continue
            cited = entries.get(citation.statement)
            if cited is None:
                problems.append(Problem(
                    "unlisted_statement", citation.statement, compiled.id,
                    f"{compiled.id} cites {citation.statement}, which no coverage file lists",
                ))
            elif cited.source != citation.source:
                problems.append(Problem(
                    "wrong_source", citation.statement, compiled.id,
                    f"{compiled.id} cites {citation.statement} as {citation.source}, "
                    f"but the map lists it under {cited.source}",
                ))

    all_ids = sorted(set(expected) | set(entries), key=_sort_key)
    covered = sum(1 for s in all_ids if s in entries and entries[s].statement.rules)
    context = sum(1 for s in all_ids if s in entries and entries[s].statement.context is not None)
    uncovered = tuple(
        s for s in all_ids
        if s not in entries or (not entries[s].statement.rules and entries[s].statement.context is None)
    )
    problems.sort(key=lambda p: (_sort_key(p.statement), p.rule or "", p.code))
    return CoverageReport(
        statements=len(all_ids),
        covered=covered,
        context=context,
        uncovered=uncovered,
        problems=tuple(problems),
        files=tuple(sorted({Path(e.file).name for e in entries.values()})),
    )


@dataclass(frozen=True)
class DomainUse:
    rule: str
    reference: str
    title: str
    fact: str


def domain_citations(rulebase: RuleBase) -> tuple[DomainUse, ...]:
    """Every citation of domain knowledge (a fact the two sources do not state), by rule."""
    out = []
    for compiled in rulebase.rules:
        for citation in compiled.rule.sources:
            if isinstance(citation, DomainCitation):
                ref = rulebase.references_by_id[citation.reference]
                out.append(DomainUse(compiled.id, ref.id, ref.title, citation.fact))
    return tuple(out)


def _sort_key(statement_id: str) -> tuple[str, int]:
    fam, _, number = statement_id.rpartition("-")
    return (fam, int(number) if number.isdigit() else 0)


__all__ = [
    "EXPECTED", "CoverageFile", "CoverageReport", "MapEntry", "Problem", "Statement",
    "DomainUse", "coverage_report", "domain_citations", "expected_statements", "family", "load_coverage",
]
