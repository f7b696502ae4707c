"""Terminal rendering with rich (with ``terminal_screening``, the only modules that import rich).

Laid out for the width there is: tables at 100 columns or more, stacked blocks (one item,
then its fields one per line) below, so nothing that tells two facts apart is cut. The width
is the terminal's, or ``COLUMNS`` when piped (100 when unset). Every piece of user text is
shown inert (``cell``): rich markup escaped, control characters made visible. Labels come
from the gettext catalogue through the RenderContext.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from advisor.reporters import present
from advisor.reporters.context import RenderContext

if TYPE_CHECKING:  # for type hints only
    from advisor.assessment import Assessment
    from advisor.explain import Explanation
    from advisor.views.capacity_plan import CapacityPlan
    from advisor.views.ngo_report import EvidenceItem, NgoReport

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "green"}
WIDE = 100  # below this many columns, tables become stacked blocks
PIPED_WIDTH = 100


def make_console(ctx: RenderContext | None = None, stream: TextIO | None = None) -> Console:
    """A console with colour only on a terminal and never under NO_COLOR; as wide as the
    terminal, or ``ctx.width``, or ``COLUMNS`` when piped (else 100)."""
    stream = stream or sys.stdout
    tty = stream.isatty()
    no_color = "NO_COLOR" in os.environ or not tty
    width = ctx.width if ctx is not None and ctx.width else None
    if width is None and not tty:
        columns = os.environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() and int(columns) > 0 else PIPED_WIDTH
    return Console(file=stream, no_color=no_color, highlight=False, soft_wrap=False, emoji=False,
                   force_terminal=None if not no_color else False, width=width)


def cell(text: object) -> str:
    """User text for rich: control characters made visible, then markup escaped."""
    return escape(present.plain(text))


def styled(text: str, style: str | None) -> str:
    """Our own markup around already-escaped text."""
    return f"[{style}]{text}[/]" if style else text


def severity(value: str, ctx: RenderContext) -> str:
    return styled(cell(present.label(present.SEVERITY_LABELS, value, ctx)), SEVERITY_STYLE.get(value))


def grid(console: Console, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], *,
         heading: int = 0, stack: bool = False) -> None:
    """A table when the console is wide enough (and no word would have to be split), else
    one block per row: the ``heading`` column in bold, then each other non-empty column as
    "Column: value". Cells are markup (user text already escaped with ``cell``); nothing is
    cut: a word longer than the line folds onto the next."""
    if not rows:
        return
    if not stack and (console.width >= WIDE or len(columns) <= 3):
        table = Table(title=escape(title), title_justify="left")
        for column in columns:
            table.add_column(escape(column), overflow="fold")
        for row in rows:
            table.add_row(*row)
        if Measurement.get(console, console.options, table).minimum <= console.width:
            console.print(table)
            return
    console.print(Text(title, style="bold underline"))
    for row in rows:
        console.print(Text.from_markup(row[heading], style="bold"), overflow="fold")
        for i, (column, value) in enumerate(zip(columns, row, strict=True)):
            if i == heading or not value:
                continue
            if "\n" in value and column:  # several facts: one line each, under their label
                console.print(Padding(Text(f"{column}:", style="dim"), (0, 0, 0, 2), expand=False))
                for part in value.split("\n"):
                    console.print(Padding(Text.from_markup(part), (0, 0, 0, 4), expand=False), overflow="fold")
                continue
            line = Text.assemble((f"{column}: ", "dim"), Text.from_markup(value)) if column else Text.from_markup(value)
            console.print(Padding(line, (0, 0, 0, 2), expand=False), overflow="fold")
    console.print()


def line(console: Console, markup: str) -> None:
    console.print(markup, overflow="fold")


def evidence_lines(evidence: Sequence[EvidenceItem], ctx: RenderContext) -> str:
    """Evidence as *question → answer*, one per line."""
    return "\n".join(f"{cell(present.question(e.field, ctx))} → {cell(present.answer(e.field, e.value, ctx))}"
                     for e in evidence)


def field_answers(evidence: Sequence[object], ctx: RenderContext) -> str:
    """Evidence as "field = answer", one per line (the technical, all-audience table)."""
    return "\n".join(f"{cell(e.field)} = {cell(present.answer(e.field, e.value, ctx))}"  # type: ignore[attr-defined]
                     for e in evidence)


def name_of(organisation: str | None, ctx: RenderContext) -> str:
    return cell(organisation) if organisation else escape(ctx.tr("Unnamed organisation"))


# --- the all-audience assessment -----------------------------------------------------------------


def print_assessment(a: Assessment, ctx: RenderContext) -> None:
    console = make_console(ctx)
    tr = ctx.tr
    line(console, f"[bold]{name_of(a.profile.name, ctx)}[/bold] — "
         + escape(tr("rule base {version}, engine {engine}").format(version=a.rulebase.version, engine=a.engine)))
    grid(console, tr("Capacity areas (maturity 1–4)"), [tr("Area"), tr("Maturity"), tr("Self-rating")], [
        [cell(area.title), cell(present.maturity(area.maturity, area.self_rating, area.capped_by, ctx)),
         str(area.self_rating) if area.self_rating is not None else "–"]
        for area in a.areas
    ])
    grid(console, tr("Findings"), [tr("Finding"), tr("ID"), tr("Kind"), tr("Severity"), tr("Evidence")], [
        [cell(f.title), f.id, cell(present.label(present.KIND_LABELS, f.kind, ctx)), severity(f.severity, ctx),
         field_answers(f.evidence, ctx) or escape(tr("builds on {ids}").format(ids=", ".join(f.because)))]
        for f in a.findings
    ])
    titles = {"ngo": tr("Recommendations for the NGO"), "donor": tr("Recommendations for the donor"),
              "trainer": tr("Recommendations for the trainer")}
    for audience in ("ngo", "donor", "trainer"):
        recs = [r for r in a.recommendations if r.audience == audience]
        grid(console, titles[audience], ["#", tr("Recommendation"), tr("ID"), tr("Because"), tr("First step")], [
            [str(r.priority), cell(r.title), r.id, ", ".join(r.because), cell(r.advice.first_step)] for r in recs
        ], heading=1)
    if a.unanswered_areas:
        line(console, escape(tr("Areas with no answers:")) + " " + ", ".join(a.unanswered_areas))


# --- the NGO's self-assessment report --------------------------------------------------------------


def _score_bar(score: float | None, width: int = 16) -> str:
    if score is None:
        return "·" * width
    filled = int(round(score / 4 * width))
    return "█" * filled + "░" * (width - filled)


def print_ngo_report(r: NgoReport, ctx: RenderContext) -> None:
    """Page one first: the organisation, how much was answered, the first three things to do."""
    from advisor.views.diamond import area_title

    console = make_console(ctx)
    tr = ctx.tr
    line(console, escape(tr("{name} — capacity self-assessment")).format(name=f"[bold]{name_of(r.organisation, ctx)}[/bold]"))
    facts = []
    if r.completeness is not None:
        facts.append(tr("answered {answered} of {asked} questions").format(
            answered=present.number(r.completeness.answered, ctx), asked=present.number(r.completeness.asked, ctx)))
    assessed = sum(1 for a in r.areas if a.maturity is not None)
    not_assessed = len(r.areas) - assessed
    facts.append(tr("{assessed} of {total} areas assessed").format(assessed=assessed, total=len(r.areas)))
    line(console, escape(" · ".join(facts)))
    if not any(a.gaps for a in r.areas):
        line(console, "[bold yellow]" + escape(tr("No gaps found in the answers given; {n} areas not assessed.").format(
            n=not_assessed)) + "[/]")
    console.print()
    first = r.actions[:3]
    if first:
        grid(console, tr("What to do first"), [tr("Do"), tr("Who"), tr("First step"), tr("When"),
                                              tr("How you will know it worked"), tr("Because")], [
            [f"{i}. " + cell(act.title) + f" [dim]{act.id}[/dim]", cell(act.who), cell(act.first_step),
             cell(act.timeframe),
             cell(getattr(act, "done_when", None) or tr("when you assess again, the reasons below no longer apply")),
             "; ".join(cell(x.finding.title) for x in act.why if x.via is None)]
            for i, act in enumerate(first, start=1)
        ], stack=True)
    else:
        line(console, escape(tr("No recommendations for the organisation from the answers given.")))
    grid(console, tr("Areas at a glance"), [tr("Area"), tr("Maturity"), tr("Gaps and risks")], [
        [cell(a.title), cell(present.maturity(a.maturity, a.self_rating, a.capped_by, ctx)),
         str(len(a.gaps)) if a.gaps else "–"]
        for a in r.areas
    ])
    grid(console, tr("CIVICUS diamond (1–4)"), [tr("Dimension"), tr("Score"), "", tr("Weakest area")], [
        [cell(d.title), cell(present.score(d.score, ctx)), _score_bar(d.score),
         cell(f"{area_title(d.weakest_area)} ({d.weakest_maturity})") if d.weakest_area else "–"]
        for d in r.diamond
    ])
    for a in r.areas:
        if not a.gaps:
            continue
        grid(console, tr("{area} — maturity {maturity}").format(
            area=present.plain(a.title), maturity=present.maturity(a.maturity, a.self_rating, a.capped_by, ctx)),
             [tr("Found"), tr("Severity"), tr("Evidence")], [
                 [cell(g.title) + f" [dim]{g.id}[/dim]", severity(g.severity, ctx), evidence_lines(g.evidence, ctx)]
                 for g in a.gaps
             ])
    if len(r.actions) > 3:
        grid(console, tr("Then"), [tr("Do"), tr("First step"), tr("Who"), tr("When")], [
            [f"{act.priority}. " + cell(act.title) + f" [dim]{act.id}[/dim]", cell(act.first_step), cell(act.who),
             cell(act.timeframe)]
            for act in r.actions[3:]
        ], stack=True)
    withheld = [u for u in r.unanswered if u.withholds]
    grid(console, tr("Not answered, and the advice it holds back"), [tr("Question"), tr("Holds back")], [
        [cell(present.question(u.field, ctx)), ", ".join(w.id for w in u.withholds)] for u in withheld
    ])
    line(console, "[dim]" + escape(tr("Rule base {version}, engine {engine}.").format(
        version=r.rulebase_version, engine=r.engine)) + "[/dim]")


# --- the trainer's plan, and explain -------------------------------------------------------------------


def print_capacity_plan(p: CapacityPlan, ctx: RenderContext) -> None:
    console = make_console(ctx)
    tr = ctx.tr
    line(console, "[bold]" + escape(tr("Capacity plan: {name}")).format(name=name_of(p.organisation, ctx)) + "[/bold] — " + escape(
        tr("{weeks} weeks at {hours} h a week ({budget} h); {scheduled} h scheduled.").format(
            weeks=p.weeks, hours=present.number(p.hours_per_week, ctx), budget=present.number(p.budget_hours, ctx),
            scheduled=present.number(p.scheduled_hours, ctx))))
    grid(console, tr("Schedule"), [tr("Weeks"), tr("Module"), tr("Why this module"), tr("Format"), tr("Hours")], [
        [str(m.week) if m.week == m.end_week else f"{m.week}–{m.end_week}", cell(m.title) + f" [dim]{m.id}[/dim]",
         cell(present.plan_why(m, p.titles, ctx)), cell(present.label(present.FORMAT_LABELS, m.format, ctx)),
         present.number(m.hours, ctx)]
        for m in p.modules
    ], heading=1)
    if not p.modules:
        line(console, escape(tr("No module is scheduled.")))
    grid(console, tr("Not scheduled (over the budget)"), [tr("Module"), tr("Hours"), tr("Why this module"),
                                                         tr("Why not scheduled")], [
        [cell(u.title) + f" [dim]{u.id}[/dim]", present.number(u.hours, ctx), cell(present.plan_why(u, p.titles, ctx)),
         cell(u.why_unscheduled)]
        for u in p.unscheduled
    ])
    if p.not_addressed:
        line(console, escape(tr("Gaps and risks no scheduled module addresses:")) + " "
             + "; ".join(cell(p.titles.get(f, f)) + f" [dim]{f}[/dim]" for f in p.not_addressed))


def print_explanation(e: Explanation, ctx: RenderContext) -> None:
    """Why a rule fired: plain lines (user values made visible, nothing interpreted)."""
    stream = sys.stdout
    for text in e.lines:
        stream.write(present.plain(text) + "\n")
