"""Terminal rendering of screenings, portfolios, comparisons and merges (rich).

Organisation names, paths, answers and respondents' labels are user text: every one goes
through ``cell`` (markup escaped, control characters shown), so a name like ``x [/] y`` or
``[link=…]`` is printed as written and never becomes markup or a link.
"""

from __future__ import annotations

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
    t = ctx.tr
    r = s.risk
    line(console, f"[bold]{name_of(s.organisation, ctx)}[/bold] — {cell(t('risk rating'))} {_rating(r.rating, ctx)} ("
         f"{cell(t('fiduciary'))} {_rating(r.fiduciary.rating, ctx)}, {cell(t('context'))} "
         f"{_rating(r.context.rating, ctx)}, {cell(t('confidence'))} "
         f"{cell(present.label(present.CONFIDENCE_LABELS, r.confidence.level, ctx))})")
    line(console, cell(r.explanation))
    for title, part in ((t("Fiduciary and organisational risk"), r.fiduciary), (t("Context risk"), r.context)):
        grid(console, f"{title}: {present.label(present.RATING_LABELS, part.rating, ctx)}",
             [t("Finding"), t("ID"), t("Severity"), t("Implies"), t("Evidence")], [
                 [cell(reason.title), reason.id, severity(reason.severity, ctx), _rating(reason.implies, ctx),
                  field_answers(reason.evidence, ctx)]
                 for reason in part.reasons
             ])
    grid(console, t("Conditions and support"), [t("Condition"), t("ID"), t("Kind"), t("Because")], [
        [cell(c.title) + f"\n[dim]{cell(c.detail)}[/dim]", c.id,
         cell(present.label(present.CONDITION_KINDS, c.kind, ctx)), cell(", ".join(c.because))]
        for c in s.conditions
    ])
    for note in s.notes:
        line(console, f"{cell(t('Note:'))} {cell(note)}")


def print_portfolio(p: Portfolio, ctx: RenderContext) -> None:
    console = make_console(ctx)
    t = ctx.tr
    rows = list(p.rows)  # the tally is complete once the rows are read
    grid(console, t("Portfolio screening"), [t("Organisation"), t("Rating"), t("File"), t("Context"),
                                             t("Confidence"), t("Top reasons"), t("Conditions")], [
        [cell(r.name), _rating(r.rating, ctx), cell(r.path), _rating(r.context, ctx),
         cell(present.label(present.CONFIDENCE_LABELS, r.confidence, ctx)), "\n".join(cell(x) for x in r.reasons),
         cell(" ".join(r.conditions))]
        for r in rows
    ])
    line(console, cell(t("Summary:")) + " " + ", ".join(
        f"{_rating(k, ctx)} {v}" for k, v in p.tally.counts.items()))


def print_comparison(c: Comparison, ctx: RenderContext) -> None:
    console = make_console(ctx)
    t = ctx.tr
    change = present.CHANGE_LABELS
    line(console, f"[bold]{name_of(c.new.organisation or c.old.organisation, ctx)}[/bold]: {cell(t('donor rating'))} "
         f"{_rating(c.rating.before, ctx)} → {_rating(c.rating.after, ctx)} "
         f"({cell(present.label(change, c.rating.change, ctx))})")
    if c.rulebase_note:
        line(console, f"[yellow]{cell(c.rulebase_note)}[/yellow]")
    for title, changes in ((t("Findings"), c.findings), (t("Recommendations"), c.recommendations)):
        grid(console, title, [t("Title"), t("Status"), t("ID"), t("Before"), t("After")], [
            [cell(ch.title), cell(present.label(change, ch.status, ctx)), ch.id,
             severity(ch.before, ctx) if ch.before else "–", severity(ch.after, ctx) if ch.after else "–"]
            for ch in changes
        ])
    grid(console, t("Maturity per area (1–4)"), [t("Area"), t("Before"), t("After"), t("Change")], [
        [cell(a.title), str(a.before) if a.before is not None else "–", str(a.after) if a.after is not None else "–",
         cell(present.label(change, a.change, ctx))]
        for a in c.areas
    ])


def print_merge(m: MergeResult, ctx: RenderContext) -> None:
    console = make_console(ctx)
    t = ctx.tr
    line(console, cell(t("Merged {n} respondents: {names}; {agreed} facts kept, {conflicts} conflicting (left "
                         "unanswered).").format(n=len(m.respondents), names=", ".join(m.respondents),
                                                agreed=len(m.agreed), conflicts=len(m.conflicts))))
    grid(console, t("Conflicting facts (not guessed: left unanswered)"), [t("Field"), t("Who said what"), t("Why")], [
        [cell(c.field), "\n".join(f"{cell(who)}: {cell(present.answer(c.field, value, ctx))}" for who, value in c.said),
         cell(c.reason)]
        for c in m.conflicts
    ])
    grid(console, t("Self-ratings (median rounded down)"), [t("Area"), t("Merged"), t("Spread"), t("Respondents"), ""], [
        [cell(r.title), present.number(r.merged, ctx) if r.merged is not None else "–",
         present.number(r.spread, ctx) if r.spread is not None else "–",
         ", ".join(f"{cell(w)} {present.number(lvl, ctx)}" for w, lvl in r.levels),
         f"[bold yellow]{cell(t('respondents disagree'))}[/bold yellow]" if r.disagree else ""]
        for r in m.ratings if r.merged is not None
    ])
