"""One documentation page per rule, generated from its fields (docs/rules/<ID>.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from advisor.documents import read_regular_file
from advisor.errors import OutputError
from advisor.files import write_private

from advisor.rules.conditions import And, Expr, Or, Test
from advisor.rules.loader import CompiledRule, RuleBase
from advisor.rules.model import Rule

SECTIONS = ("What it finds", "Why it matters", "Example", "What to do", "Sources")
"""The ``##`` sections of a finding's page, in order."""
RECOMMENDATION_SECTIONS = ("What it asks", "Why it matters", "Example", "What to do", "Sources")
"""The ``##`` sections of a recommendation's page, in order."""


def sections_for(rule: Rule) -> tuple[str, ...]:
    """The sections a rule's page must have, in order."""
    return SECTIONS if rule.is_finding else RECOMMENDATION_SECTIONS


def _expr_text(expr: Expr) -> str:
    """A field expression in words; nested and/or groups are bracketed so they read unambiguously."""
    if isinstance(expr, Test):
        return expr.describe()
    if isinstance(expr, Or):
        return "(" + " or ".join(_expr_text(e) for e in expr.items) + ")"
    return "(" + " and ".join(_expr_text(e) for e in expr.items) + ")"


def _condition_text(compiled: CompiledRule) -> list[str]:
    lines = []
    for index, term in enumerate(compiled.terms):
        parts = []
        if term.expr is not None:
            items = term.expr.items if isinstance(term.expr, And) else (term.expr,)
            parts += [_expr_text(e) for e in items]
        parts += [f"{'not ' if r.negated else ''}finding {r.rule_id}" for r in term.refs]
        prefix = f"- alternative {index + 1}: " if len(compiled.terms) > 1 else "- "
        lines.append(prefix + "; ".join(parts))
    return lines


def rule_page(compiled: CompiledRule, rulebase: RuleBase) -> str:
    rule = compiled.rule
    kind = f"recommendation for the {rule.audience}" if rule.kind == "recommendation" else rule.kind
    out = [
        f"# {rule.id} {rule.title}",
        "",
        f"`{rule.slug}` · {kind} · area `{rule.area}` · severity `{rule.severity}`",
        "",
        f"## {sections_for(rule)[0]}",
        "",
        rule.doc.what,
        "",
        "Fires when (negations cover unanswered questions):",
        "",
        *_condition_text(compiled),
        "",
    ]
    if rule.params:
        out += ["Parameters:", ""]
        out += [
            f"- `{name}` = {p.value}{' ' + p.unit if p.unit else ''}: {p.rationale}"
            for name, p in sorted(rule.params.items())
        ]
        out.append("")
    out += ["## Why it matters", "", rule.doc.why, "", "## Example", "", "```yaml"]
    out.append(yaml.safe_dump(rule.doc.example, sort_keys=True, allow_unicode=True).rstrip())
    out += ["```", "", "## What to do", "", rule.doc.action, ""]
    if rule.advice is not None:
        out += [
            f"- who: {rule.advice.who}",
            f"- first step: {rule.advice.first_step}",
            f"- time frame: {rule.advice.timeframe}",
        ]
        if rule.advice.done_when:
            out.append(f"- done when: {rule.advice.done_when}")
        if rule.after:
            out.append(f"- comes after: {', '.join(rule.after)}")
        if rule.modules:
            out.append(f"- training modules: {', '.join(rule.modules)}")
        out.append("")
    out += ["## Sources", ""]
    for parts in (rulebase.citation_parts(c) for c in rule.sources):
        if parts.kind == "domain":
            out.append(f"- domain knowledge ({parts.statement}), {parts.section}: {parts.quote}")
        else:
            out.append(f"- {parts.source}, {parts.section} ({parts.statement}): “{parts.quote}”")
    return "\n".join(out) + "\n"


def rule_index(rulebase: RuleBase) -> str:
    out = [f"# Rules (rule base {rulebase.version})", "", "| ID | Kind | Area | Severity | Title |", "|---|---|---|---|---|"]
    for c in rulebase.rules:
        r = c.rule
        kind = r.kind if r.is_finding else f"recommendation ({r.audience})"
        out.append(f"| [{r.id}]({r.id}.md) | {kind} | {r.area} | {r.severity} | {r.title} |")
    return "\n".join(out) + "\n"


def generated_pages(rulebase: RuleBase) -> dict[str, str]:
    """File name -> content, for docs/rules/."""
    pages = {f"{c.id}.md": rule_page(c, rulebase) for c in rulebase.rules}
    pages["README.md"] = rule_index(rulebase)
    return pages


# --- writing the pages -------------------------------------------------------------------

MANIFEST = ".advisor-rules-docs"
"""The list of pages ``advisor rules docs`` wrote into its output folder, one name a line.

Only the files it names are ever replaced or removed; a non-empty folder without it was not
made by the command and is refused (unless --force, which still removes nothing)."""
_MANIFEST_HEAD = "# Written by `advisor rules docs`: it replaces and removes only the files listed here.\n"


@dataclass(frozen=True)
class DocsWritten:
    written: int
    removed: tuple[str, ...]


def _read_manifest(path: Path) -> set[str]:
    if path.is_symlink() or not path.is_file():
        raise OutputError("is not a regular file; not followed", file=str(path))
    names = set()
    for line in read_regular_file(path, 1024 * 1024).decode("utf-8", "replace").splitlines():
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        if "/" in name or "\\" in name or name in (".", "..") or not name.endswith(".md"):
            raise OutputError(f"lists '{name}', which is not a page name", file=str(path))
        names.add(name)
    return names


def _manifest_text(names: set[str]) -> str:
    return _MANIFEST_HEAD + "".join(f"{name}\n" for name in sorted(names))


def write_pages(out: Path, pages: dict[str, str], *, force: bool = False) -> DocsWritten:
    """Write ``pages`` into ``out`` and remove the pages of rules that no longer exist.

    Nothing but the files named in the folder's manifest (written by an earlier run) is
    ever replaced or removed; a symbolic link is never followed; each page is written
    atomically and owner-only (advisor.files.write_private). Every check runs before the
    first write.
    """
    manifest = out / MANIFEST
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError("is not a folder (or is a symbolic link); nothing written", file=str(out))
    previous: set[str] = set()
    if manifest.exists() or manifest.is_symlink():
        previous = _read_manifest(manifest)
    elif out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(
            "is not empty and was not made by 'advisor rules docs' (it has no "
            f"{MANIFEST}); nothing written", file=str(out),
            suggestion="choose a new or empty folder, or use --force to add the pages to it",
        )
    for name in sorted(pages):
        target = out / name
        if target.is_symlink():
            raise OutputError("is a symbolic link; not followed, nothing written", file=str(target))
        if target.exists() and name not in previous and not force:
            raise OutputError("exists and was not written by 'advisor rules docs'; nothing written",
                              file=str(target), suggestion="move it away, or use --force to replace it")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror or exc}", file=str(out)) from exc
    # The manifest first names every file this run may leave behind, so an interrupted run
    # can be repeated; it is narrowed to the current pages at the end.
    write_private(manifest, _manifest_text(previous | set(pages)), force=True)
    for name in sorted(pages):
        target = out / name
        write_private(target, pages[name], force=force or name in previous)
    removed = []
    for name in sorted(previous - set(pages)):
        stale = out / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
            removed.append(name)
    write_private(manifest, _manifest_text(set(pages)), force=True)
    return DocsWritten(len(pages), tuple(removed))
