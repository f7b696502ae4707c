"""Terminal rendering with rich: the only module that imports rich."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from rich.console import Console
from rich.table import Table

from advisor.assessment import Assessment
from advisor.reporters.markdown import evidence_text

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "green"}


def make_console(stream: TextIO | None = None) -> Console:
    """A console with colour only on a terminal and never under NO_COLOR."""
    stream = stream or sys.stdout
    no_color = "NO_COLOR" in os.environ or not stream.isatty()
    return Console(file=stream, no_color=no_color, highlight=False, soft_wrap=False,
                   force_terminal=None if not no_color else False, width=None if stream.isatty() else 100)


def print_assessment(a: Assessment, console: Console) -> None:
    name = a.profile.name or "Unnamed organisation"
    console.print(f"[bold]{name}[/bold] — rule base {a.rulebase.version}, engine {a.engine}")
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
                         f.title, evidence_text(f.evidence) or ("combines " + ", ".join(f.because)))
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
