"""Terminal rendering of screenings, portfolios, comparisons and merges (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from advisor.merge import MergeResult
from advisor.reporters.markdown import evidence_text
from advisor.reporters.terminal import make_console
from advisor.views.compare import Comparison
from advisor.views.portfolio import PortfolioRow
from advisor.views.screening import Screening

RATING_STYLE = {"High": "bold red", "Significant": "red", "Moderate": "yellow", "Low": "green"}

__all__ = ["make_console", "print_comparison", "print_merge", "print_portfolio", "print_screening"]


def _rating(r: str) -> str:
    style = RATING_STYLE.get(r)
    return f"[{style}]{r}[/{style}]" if style else r


def print_screening(s: Screening, console: Console) -> None:
    r = s.risk
    console.print(f"[bold]{s.organisation or 'Unnamed organisation'}[/bold] — risk rating {_rating(r.rating)} "
                  f"(fiduciary {r.fiduciary.rating}, context {r.context.rating}, confidence {r.confidence.level})")
    console.print(r.explanation)
    for title, part in (("Fiduciary and organisational risk", r.fiduciary), ("Context risk", r.context)):
        table = Table(title=f"{title}: {part.rating}")
        for col in ("ID", "Finding", "Severity", "Implies", "Evidence"):
            table.add_column(col)
        for reason in part.reasons:
            table.add_row(reason.id, reason.title, reason.severity, reason.implies, evidence_text(reason.evidence))
        if part.reasons:
            console.print(table)
    table = Table(title="Conditions and support")
    for col in ("ID", "Kind", "Condition", "Because"):
        table.add_column(col)
    for c in s.conditions:
        table.add_row(c.id, c.kind, f"{c.title}\n[dim]{c.detail}[/dim]", ", ".join(c.because))
    console.print(table)
    for note in s.notes:
        console.print(f"Note: {note}")


def print_portfolio(rows: list[PortfolioRow], counts: dict[str, int], console: Console) -> None:
    table = Table(title="Portfolio screening")
    for col in ("Rating", "Organisation", "Path", "Context", "Confidence", "Top reasons", "Conditions"):
        table.add_column(col)
    for r in rows:
        table.add_row(_rating(r.rating), r.name, r.path, r.context, r.confidence, "\n".join(r.reasons),
                      " ".join(r.conditions))
    console.print(table)
    console.print("Summary: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def print_comparison(c: Comparison, console: Console) -> None:
    console.print(f"[bold]{c.new.organisation or c.old.organisation or 'Unnamed organisation'}[/bold]: "
                  f"donor rating {_rating(c.rating.before)} → {_rating(c.rating.after)} ({c.rating.change})")
    if c.rulebase_note:
        console.print(f"[yellow]{c.rulebase_note}[/yellow]")
    for title, changes in (("Findings", c.findings), ("Recommendations", c.recommendations)):
        table = Table(title=title)
        for col in ("Status", "ID", "Title", "Before", "After"):
            table.add_column(col)
        for ch in changes:
            table.add_row(ch.status.replace("_", " "), ch.id, ch.title, ch.before or "–", ch.after or "–")
        console.print(table)
    table = Table(title="Maturity per area (1–4)")
    for col in ("Area", "Before", "After", "Change"):
        table.add_column(col)
    for a in c.areas:
        table.add_row(a.title, str(a.before) if a.before is not None else "–",
                      str(a.after) if a.after is not None else "–", a.change)
    console.print(table)


def print_merge(m: MergeResult, console: Console) -> None:
    console.print(f"Merged {len(m.respondents)} respondents: {', '.join(m.respondents)}; "
                  f"{len(m.agreed)} facts kept, {len(m.conflicts)} conflicting (left unanswered).")
    if m.conflicts:
        table = Table(title="Conflicting facts (not guessed: left unanswered)")
        for col in ("Field", "Who said what", "Why"):
            table.add_column(col)
        for c in m.conflicts:
            table.add_row(c.field, "\n".join(f"{who}: {value}" for who, value in c.said), c.reason)
        console.print(table)
    table = Table(title="Self-ratings (median rounded down)")
    for col in ("Area", "Merged", "Spread", "Respondents", ""):
        table.add_column(col)
    for r in m.ratings:
        if r.merged is None:
            continue
        table.add_row(r.title, str(r.merged), str(r.spread), ", ".join(f"{w} {lvl}" for w, lvl in r.levels),
                      "[bold yellow]respondents disagree[/bold yellow]" if r.disagree else "")
    console.print(table)


