"""Text and Markdown for ``advisor path``: the fewest answer changes that reach each goal."""

from __future__ import annotations

from advisor.pathsearch import Path, PathChange, PathReport
from advisor.reporters.values import display_value
from advisor.views.compare import Change


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def change_text(c: PathChange) -> str:
    """``funding.reserves_months 1 → 3`` / ``practices.beneficiary_involvement + design``."""
    if c.action == "add":
        return f"{c.field} + {c.after}"
    if c.action == "remove":
        return f"{c.field} − {c.after}"
    return f"{c.field} {display_value(c.before)} → {display_value(c.after)}"


def effort_text(weeks: int, unknown: int) -> str:
    text = f"about {weeks} week{'s' if weeks != 1 else ''}" if weeks else ""
    if unknown:
        text += (" + " if text else "") + f"{unknown} change{'s' if unknown != 1 else ''} without an estimate"
    return text or "no effort estimate"


def _ids(changes: tuple[Change, ...]) -> str:
    return ", ".join(f"{c.id} {c.title}" for c in changes) or "none"


def _path_lines(p: Path, md: bool) -> list[str]:
    ids = _ids
    b = "**" if md else ""
    lines = [f"{b}Rating{b}: {p.rating_before} → {p.rating_after}",
             f"{b}Closes{b}: {ids(p.closes)}"]
    if p.opens:
        lines.append(f"{b}New gaps or risks{b}: {ids(p.opens)}")
    if p.gains:
        lines.append(f"{b}New strengths{b}: {ids(p.gains)}")
    if p.loses:
        lines.append(f"{b}Strengths lost{b}: {ids(p.loses)}")
    lines.append(f"{b}Retires{b}: {', '.join(c.id for c in p.retires) or 'none'}")
    if p.maturity:
        lines.append(f"{b}Maturity{b}: " + ", ".join(
            f"{a.title} {a.before if a.before is not None else '–'} → {a.after if a.after is not None else '–'}"
            for a in p.maturity))
    return lines


def path_text(report: PathReport, *, markdown: bool = False) -> str:
    md = markdown
    name = report.organisation or "Unnamed organisation"
    out = [f"# What would change the picture most: {_cell(name)}" if md
           else f"{name}: donor rating {report.rating}; {report.candidates} candidate changes considered"]
    if md:
        out += ["", f"Donor rating now: **{report.rating}**. {report.candidates} candidate changes considered "
                "(answers the organisation can change itself, at the rules' own thresholds)."]
    for g in report.goals:
        out += ["", f"## Goal {g.goal}: {g.description}" if md else f"Goal {g.goal}: {g.description}"]
        out.append(("" if md else "  ") + g.message[0].upper() + g.message[1:] + ".")
        for n, p in enumerate(g.paths, start=1):
            changes = "; ".join(change_text(c) for c in p.changes)
            effort = effort_text(p.effort_weeks, p.effort_unknown)
            count = f"{len(p.changes)} change{'s' if len(p.changes) != 1 else ''}"
            if md:
                out += ["", f"{n}. `{_cell(changes)}` ({count}, {effort})", ""]
                out += [f"   - {line}" for line in _path_lines(p, md)]
            else:
                out.append(f"  {n}. {changes}  ({count}, {effort})")
                out += [f"       {line}" for line in _path_lines(p, md)]
    return "\n".join(out) + "\n"


__all__ = ["change_text", "effort_text", "path_text"]
