"""Terminal rendering with rich: the only module that imports rich."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from advisor.reporters.markdown import (
    diamond_score,
    evidence_text,
    ordinal,
    plan_reason,
)
from advisor.reporters.values import display_value

if TYPE_CHECKING:  # for type hints only
    from advisor.assessment import Assessment
    from advisor.views.capacity_plan import CapacityPlan
    from advisor.views.ngo_report import EvidenceItem, NgoReport

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "green"}


def make_console(stream: TextIO | None = None) -> Console:
    """A console with colour only on a terminal and never under NO_COLOR."""
    stream = stream or sys.stdout
    no_color = "NO_COLOR" in os.environ or not stream.isatty()
    return Console(file=stream, no_color=no_color, highlight=False, soft_wrap=False,
                   force_terminal=None if not no_color else False, width=None if stream.isatty() else 100)


def print_assessment(a: Assessment, console: Console) -> None:
    name = a.profile.name or "Unnamed organisation"
    console.print(f"[bold]{escape(name)}[/bold] — rule base {a.rulebase.version}, engine {a.engine}")
    areas = Table(title="Capacity areas (maturity 1–4)", show_lines=False)
    for col in ("Area", "Maturity", "Self", "Capped by"):
        areas.add_column(col)
    for area in a.areas:
        areas.add_row(
            area.title,
            str(area.maturity) if area.maturity is not None else "–",
            str(area.self_rating) if area.self_rating is not None else "–",
            ", ".join(area.capped_by) or "",
        )
    console.print(areas)
    findings = Table(title="Findings")
    for col in ("ID", "Kind", "Severity", "Finding", "Evidence"):
        findings.add_column(col)
    for f in a.findings:
        style = SEVERITY_STYLE.get(f.severity, "")
        findings.add_row(f.id, f.kind, f"[{style}]{f.severity}[/{style}]" if style else f.severity,
                         escape(f.title), escape(evidence_text(f.evidence)) or ("combines " + ", ".join(f.because)))
    console.print(findings)
    for audience in ("ngo", "donor", "trainer"):
        recs = [r for r in a.recommendations if r.audience == audience]
        if not recs:
            continue
        table = Table(title=f"Recommendations for the {'NGO' if audience == 'ngo' else audience}")
        for col in ("#", "ID", "Recommendation", "Because", "First step"):
            table.add_column(col)
        for r in recs:
            table.add_row(str(r.priority), r.id, r.title, ", ".join(r.because), r.advice.first_step)
        console.print(table)
    if a.unanswered_areas:
        console.print("Not answered: " + ", ".join(a.unanswered_areas))


def _score_bar(score: float | None, width: int = 16) -> str:
    if score is None:
        return "·" * width
    filled = int(round(score / 4 * width))
    return "█" * filled + "░" * (width - filled)


def print_ngo_report(r: NgoReport, console: Console) -> None:
    """The NGO's self-assessment report (views.ngo_report) as tables."""
    name = escape(r.organisation) if r.organisation else "Unnamed organisation"
    console.print(f"[bold]Self-assessment: {name}[/bold] — rule base {r.rulebase_version}, engine {r.engine}")
    console.print("Maturity: 1 clear need · 2 basic · 3 moderate · 4 high capacity")
    if r.strengths:
        table = Table(title="Strengths to build on")
        for col in ("ID", "Area", "Strength", "Evidence"):
            table.add_column(col)
        for f in r.strengths:
            table.add_row(f.id, escape(f.area_title), escape(f.title), escape(_evidence(f.evidence)))
        console.print(table)
    else:
        console.print("Strengths to build on: none identified from the answers given.")
    areas = Table(title="Capacity areas: maturity and gaps")
    for col in ("Area", "Maturity", "Self", "Gaps and risks"):
        areas.add_column(col)
    for a in r.areas:
        gaps = "\n".join(
            f"[{SEVERITY_STYLE.get(g.severity, '')}]{g.id}[/] {escape(g.title)}" if SEVERITY_STYLE.get(g.severity)
            else f"{g.id} {escape(g.title)}"
            for g in a.gaps
        )
        areas.add_row(escape(a.title), str(a.maturity) if a.maturity is not None else "–",
                      str(a.self_rating) if a.self_rating is not None else "–", gaps)
    console.print(areas)
    dia = Table(title="CIVICUS diamond (1–4)")
    for col in ("Dimension", "Score", "", "Weakest area"):
        dia.add_column(col)
    for d in r.diamond:
        weakest = f"{d.weakest_area} ({d.weakest_maturity})" if d.weakest_area else "not assessed"
        dia.add_row(d.title, diamond_score(d.score), _score_bar(d.score), weakest + (", caps" if d.capped else ""))
    console.print(dia)
    if r.actions:
        acts = Table(title="What to do first")
        for col in ("#", "Do", "Why (finding: evidence)", "First step / who / when"):
            acts.add_column(col)
        for act in r.actions:
            why = "\n".join(
                f"{x.finding.id}: {escape(_evidence(x.finding.evidence) or x.finding.title)}"
                + (f" (via {x.via})" if x.via else "")
                for x in act.why
            )
            acts.add_row(f"{ordinal(act.priority)}", f"{act.id} {escape(act.title)}", why,
                         f"{escape(act.first_step)}\n{escape(act.who)}; {escape(act.timeframe)}")
        console.print(acts)
    else:
        console.print("What to do first: no recommendations for the organisation.")
    withheld = [u for u in r.unanswered if u.withholds]
    if withheld:
        un = Table(title="Not answered, and the advice it withholds")
        for col in ("Question", "Withholds"):
            un.add_column(col)
        for u in withheld:
            un.add_row(escape(u.question), ", ".join(w.id for w in u.withholds))
        console.print(un)
    if r.unanswered_areas:
        console.print("Areas with no answers: " + ", ".join(r.unanswered_areas))


def _evidence(evidence: tuple[EvidenceItem, ...]) -> str:
    return "; ".join(f"{e.field} = {display_value(e.value)}" for e in evidence)


def print_capacity_plan(p: CapacityPlan, console: Console) -> None:
    """The trainer's capacity plan (views.capacity_plan) as tables."""
    name = escape(p.organisation) if p.organisation else "Unnamed organisation"
    console.print(f"[bold]Capacity plan: {name}[/bold] — {p.weeks} weeks × {p.hours_per_week:g} h "
                  f"= {p.budget_hours:g} h; {p.scheduled_hours:g} h scheduled")
    table = Table(title="Schedule")
    for col in ("#", "Weeks", "Module", "Format", "Hours", "Why", "Addresses"):
        table.add_column(col)
    for m in p.modules:
        weeks = str(m.week) if m.week == m.end_week else f"{m.week}–{m.end_week}"
        table.add_row(str(m.order), weeks, f"{m.id} {escape(m.title)}", m.format, f"{m.hours:g}",
                      escape(plan_reason(m)), ", ".join(m.addresses))
    console.print(table)
    if p.unscheduled:
        un = Table(title="Not scheduled (over the budget)")
        for col in ("#", "Module", "Hours", "Why chosen", "Why not scheduled"):
            un.add_column(col)
        for u in p.unscheduled:
            un.add_row(str(u.order), f"{u.id} {escape(u.title)}", f"{u.hours:g}", escape(plan_reason(u)),
                       escape(u.why_unscheduled))
        console.print(un)
    if p.not_addressed:
        console.print("Gaps and risks no scheduled module addresses: " + ", ".join(p.not_addressed))
