"""Terminal rendering of screenings, portfolios, comparisons and merges (rich).

Organisation names, paths, answers and respondents' labels are user text: every one goes
through ``cell`` (markup escaped, control characters shown), so a name like ``x [/] y`` or
``[link=…]`` is printed as written and never becomes markup or a link.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from advisor.merge import MergeResult
from advisor.reporters import present
from advisor.reporters.context import RenderContext
from advisor.reporters.terminal import cell, field_answers, grid, line, make_console, name_of, severity, styled
from advisor.views.compare import Comparison
from advisor.views.portfolio import Portfolio
from advisor.views.screening import Screening

RATING_STYLE = {"High": "bold red", "Significant": "red", "Moderate": "yellow", "Low": "green"}

__all__ = ["make_console", "print_comparison", "print_merge", "print_portfolio", "print_screening"]


def _rating(r: str, ctx: RenderContext) -> str:
    return styled(cell(present.label(present.RATING_LABELS, r, ctx)), RATING_STYLE.get(r))


def print_screening(s: Screening, ctx: RenderContext) -> None:
    console = make_console(ctx)
    tr = ctx.tr
    r = s.risk
    line(console, escape(tr("{name} — risk rating {rating} (fiduciary {fiduciary}, context {context}, "
                            "confidence {confidence})")).format(
        name=f"[bold]{name_of(s.organisation, ctx)}[/bold]", rating=_rating(r.rating, ctx),
        fiduciary=_rating(r.fiduciary.rating, ctx), context=_rating(r.context.rating, ctx),
        confidence=cell(present.label(present.CONFIDENCE_LABELS, r.confidence.level, ctx))))
    line(console, cell(r.explanation))
    parts = [(tr("Fiduciary and organisational risk"), r.fiduciary)]
    if getattr(r, "programmatic", None) is not None:
        parts.append((tr("Capacity to deliver"), r.programmatic))
    if getattr(r, "sustainability", None) is not None:
        parts.append((tr("Sustainability"), r.sustainability))
    parts.append((tr("Context risk"), r.context))
    for title, part in parts:
        grid(console, f"{title}: {present.label(present.RATING_LABELS, part.rating, ctx)}",
             [tr("Finding"), tr("ID"), tr("Severity"), tr("Implies"), tr("Evidence")], [
                 [cell(reason.title), reason.id, severity(reason.severity, ctx), _rating(reason.implies, ctx),
                  field_answers(reason.evidence, ctx)]
                 for reason in part.reasons
             ])
    grid(console, tr("Conditions and support"), [tr("Condition"), tr("ID"), tr("Kind"), tr("Because")], [
        [cell(c.title) + f"\n[dim]{cell(c.detail)}[/dim]", c.id,
         cell(present.label(present.CONDITION_KINDS, c.kind, ctx)), cell(", ".join(c.because))]
        for c in s.conditions
    ])
    for note in s.notes:
        line(console, escape(tr("Note: {note}")).format(note=cell(note)))


def print_portfolio(p: Portfolio, ctx: RenderContext) -> None:
    console = make_console(ctx)
    tr = ctx.tr
    rows = list(p.rows)  # the tally is complete once the rows are read
    grid(console, tr("Portfolio screening"), [tr("Organisation"), tr("Rating"), tr("File"), tr("Context"),
                                             tr("Confidence"), tr("Top reasons"), tr("Conditions")], [
        [cell(r.name), _rating(r.rating, ctx), cell(r.path), _rating(r.context, ctx),
         cell(present.label(present.CONFIDENCE_LABELS, r.confidence, ctx)), "\n".join(cell(x) for x in r.reasons),
         cell(" ".join(r.conditions))]
        for r in rows
    ])
    line(console, cell(tr("Summary:")) + " " + ", ".join(
        f"{_rating(k, ctx)} {v}" for k, v in p.tally.counts.items()))
    if p.stats is not None:
        from advisor.reporters.benchmark_report import cohort_text

        console.print()
        console.print(Text(cohort_text(p.stats)), overflow="fold")


def print_comparison(c: Comparison, ctx: RenderContext) -> None:
    console = make_console(ctx)
    tr = ctx.tr
    change = present.CHANGE_LABELS
    line(console, escape(tr("{name}: donor rating {before} → {after} ({change})")).format(
        name=f"[bold]{name_of(c.new.organisation or c.old.organisation, ctx)}[/bold]",
        before=_rating(c.rating.before, ctx), after=_rating(c.rating.after, ctx),
        change=cell(present.label(change, c.rating.change, ctx))))
    if c.rulebase_note:
        line(console, f"[yellow]{cell(c.rulebase_note)}[/yellow]")
    for title, changes in ((tr("Findings"), c.findings), (tr("Recommendations"), c.recommendations)):
        grid(console, title, [tr("Title"), tr("Status"), tr("ID"), tr("Before"), tr("After")], [
            [cell(ch.title), cell(present.label(change, ch.status, ctx)), ch.id,
             severity(ch.before, ctx) if ch.before else "–", severity(ch.after, ctx) if ch.after else "–"]
            for ch in changes
        ])
    grid(console, tr("Maturity per area (1–4)"), [tr("Area"), tr("Before"), tr("After"), tr("Change")], [
        [cell(a.title), str(a.before) if a.before is not None else "–", str(a.after) if a.after is not None else "–",
         cell(present.label(change, a.change, ctx))]
        for a in c.areas
    ])


def print_merge(m: MergeResult, ctx: RenderContext) -> None:
    console = make_console(ctx)
    tr = ctx.tr
    line(console, cell(tr("Merged {n} respondents: {names}; {agreed} facts kept, {conflicts} conflicting (left "
                         "unanswered).").format(n=len(m.respondents), names=", ".join(m.respondents),
                                                agreed=len(m.agreed), conflicts=len(m.conflicts))))
    grid(console, tr("Conflicting facts (not guessed: left unanswered)"), [tr("Field"), tr("Who said what"), tr("Why")], [
        [cell(c.field), "\n".join(f"{cell(who)}: {cell(present.answer(c.field, value, ctx))}" for who, value in c.said),
         cell(c.reason)]
        for c in m.conflicts
    ])
    grid(console, tr("Self-ratings (median rounded down)"), [tr("Area"), tr("Merged"), tr("Spread"), tr("Respondents"), ""], [
        [cell(r.title), present.number(r.merged, ctx) if r.merged is not None else "–",
         present.number(r.spread, ctx) if r.spread is not None else "–",
         ", ".join(f"{cell(w)} {present.number(lvl, ctx)}" for w, lvl in r.levels),
         "[bold yellow]" + cell(tr("respondents disagree")) + "[/bold yellow]" if r.disagree else ""]
        for r in m.ratings if r.merged is not None
    ])
