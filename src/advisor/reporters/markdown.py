"""Markdown rendering of an assessment, for sharing in documents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.reporters.values import display_value

if TYPE_CHECKING:  # for type hints only
    from advisor.assessment import Assessment, Evidence
    from advisor.views.capacity_plan import CapacityPlan, PlanModule
    from advisor.views.ngo_report import EvidenceItem, NgoReport, SourceItem


def evidence_text(evidence: tuple[Evidence, ...]) -> str:
    return "; ".join(f"`{e.field}` = {display_value(e.value)}" for e in evidence)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def assessment_markdown(a: Assessment) -> str:
    name = a.profile.name or "Unnamed organisation"
    out = [f"# Assessment: {user_text(name)}", ""]
    out.append(
        f"Rule base {a.rulebase.version} ({a.rulebase.rule_count} rules, `{a.rulebase.hash[:12]}`), "
        f"engine {a.engine}, profile `{a.profile.hash[:12]}`."
    )
    out += ["", "## Capacity areas", "", "| Area | Maturity (1–4) | Self-rating | Capped by |", "|---|---|---|---|"]
    for area in a.areas:
        maturity = str(area.maturity) if area.maturity is not None else "–"
        rating = str(area.self_rating) if area.self_rating is not None else "–"
        out.append(f"| {area.title} | {maturity} | {rating} | {', '.join(area.capped_by) or '–'} |")
    out += ["", "## Findings", ""]
    if not a.findings:
        out.append("No findings.")
    for f in a.findings:
        out.append(f"- **{f.id}** ({f.kind}, {f.severity}, {f.area}): {_cell(f.title)}")
        if f.evidence:
            out.append(f"  - evidence: {evidence_text(f.evidence)}")
        if f.because:
            out.append(f"  - combines: {', '.join(f.because)}")
        for s in f.sources:
            out.append(f"  - source: {s.source}, {s.section} — “{s.quote}”")
    for audience in ("ngo", "donor", "trainer"):
        recs = [r for r in a.recommendations if r.audience == audience]
        if not recs:
            continue
        out += ["", f"## Recommendations for the {'NGO' if audience == 'ngo' else audience}", ""]
        for r in recs:
            out.append(f"{r.priority}. **{r.id}** {_cell(r.title)} (urgency: {r.urgency})")
            out.append(f"   - why: answers {', '.join(r.because) or 'the profile directly'}")
            out.append(f"   - who: {r.advice.who}; first step: {r.advice.first_step}; when: {r.advice.timeframe}")
            if r.modules:
                out.append(f"   - modules: {', '.join(r.modules)}")
    if a.unanswered_areas:
        out += ["", "## Not answered", "", "Areas with no answers: " + ", ".join(a.unanswered_areas) + "."]
    return "\n".join(out) + "\n"


# --- views: the NGO's self-assessment report and the trainer's capacity plan -----------------

_MD_SPECIAL = "\\`*_{}[]<>#|!"


def user_text(text: str) -> str:
    """Text the user typed (names, answers), made inert in Markdown: one line, specials escaped."""
    flat = " ".join(text.split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in flat)


def _answer(value: object) -> str:
    if isinstance(value, str):
        return user_text(value)
    if isinstance(value, list):
        return ", ".join(user_text(str(v)) for v in value) or "none"
    return display_value(value)


def _evidence_lines(evidence: tuple[EvidenceItem, ...], indent: str) -> list[str]:
    return [f"{indent}- {_cell(e.question)} (`{e.field}`): **{_answer(e.value)}**" for e in evidence]


def _source_lines(sources: tuple[SourceItem, ...], indent: str) -> list[str]:
    return [f"{indent}- source: {_cell(s.source)}, {_cell(s.section)} ({s.statement}): “{_cell(s.quote)}”" for s in sources]


def _maturity(value: int | None) -> str:
    return f"{value} – {MATURITY_LABELS[value]}" if value is not None else "not assessed"


MATURITY_LABELS = {1: "clear need", 2: "basic", 3: "moderate", 4: "high capacity"}
ORDINALS = ("First", "Second", "Third")


def ordinal(priority: int) -> str:
    return ORDINALS[priority - 1] if 1 <= priority <= len(ORDINALS) else "Then"


def diamond_score(score: float | None) -> str:
    return f"{score:.2f}".rstrip("0").rstrip(".") if score is not None else "not assessed"


def ngo_report_markdown(r: NgoReport) -> str:
    name = user_text(r.organisation) if r.organisation else "Unnamed organisation"
    out = [f"# Self-assessment report: {name}", ""]
    out.append(f"Rule base {r.rulebase_version} (`{r.rulebase_hash[:12]}`), engine {r.engine}, "
               f"profile `{r.profile_hash[:12]}`. Maturity runs from 1 (clear need) to 4 (high capacity).")
    out += ["", "## Strengths to build on", ""]
    if not r.strengths:
        out.append("No strengths were identified from the answers given.")
    for f in r.strengths:
        out.append(f"- **{f.id}** {_cell(f.title)} ({_cell(f.area_title)})")
        out += _evidence_lines(f.evidence, "  ")
    out += ["", "## Capacity areas", "", "| Area | Maturity (1–4) | Self-rating | Capped by | Gaps and risks |",
            "|---|---|---|---|---|"]
    for a in r.areas:
        out.append(f"| {_cell(a.title)} | {_maturity(a.maturity)} | {a.self_rating or '–'} | "
                   f"{', '.join(a.capped_by) or '–'} | {', '.join(g.id for g in a.gaps) or '–'} |")
    out += ["", "## Gaps and risks by area", ""]
    gap_areas = [a for a in r.areas if a.gaps]
    if not gap_areas:
        out.append("No gaps or risks were found.")
    for a in gap_areas:
        out += [f"### {_cell(a.title)} — maturity {_maturity(a.maturity)}", ""]
        for g in a.gaps:
            out.append(f"- **{g.id}** ({g.kind}, {g.severity}): {_cell(g.title)}")
            out += _evidence_lines(g.evidence, "  ")
            if g.combines:
                out.append(f"  - builds on: {', '.join(g.combines)}")
            out += _source_lines(g.sources, "  ")
        out.append("")
    out += ["## CIVICUS diamond", "", "| Dimension | Score (1–4) | Areas | Weakest area |", "|---|---|---|---|"]
    for d in r.diamond:
        weakest = f"{d.weakest_area} ({d.weakest_maturity})" if d.weakest_area else "–"
        if d.capped:
            weakest += ", caps the score"
        out.append(f"| {d.title} | {diamond_score(d.score)} | {', '.join(d.areas)} | {weakest} |")
    out += ["", "## What to do first", ""]
    if not r.actions:
        out.append("No recommendations for the organisation.")
    for act in r.actions:
        out += [f"### {ordinal(act.priority)} ({act.priority}): {_cell(act.title)} — {act.id}", ""]
        out.append(f"{_cell(act.action)}")
        out += ["", f"- who: {_cell(act.who)}", f"- first step: {_cell(act.first_step)}",
                f"- when: {_cell(act.timeframe)}", f"- urgency: {act.urgency}"]
        if act.modules:
            out.append(f"- training modules: {', '.join(act.modules)}")
        out.append("- why:")
        for reason in act.why:
            f = reason.finding
            via = f" (through {reason.via})" if reason.via else ""
            out.append(f"  - **{f.id}** {_cell(f.title)} ({f.kind}, {f.severity}){via}")
            out += _evidence_lines(f.evidence, "    ")
            out += _source_lines(f.sources, "    ")
        out += _evidence_lines(act.evidence, "  ")
        out += _source_lines(act.sources, "  ")
        out.append("")
    out += ["## Not answered", ""]
    if r.unanswered_areas:
        out += ["Areas with no answers: " + ", ".join(r.unanswered_areas) + ".", ""]
    if not r.unanswered:
        out.append("Every question the rules use was answered.")
    else:
        out += ["| Question | Field | Advice withheld |", "|---|---|---|"]
        for u in r.unanswered:
            held = ", ".join(w.id for w in u.withholds) or "–"
            out.append(f"| {_cell(u.question)} | `{u.field}` | {held} |")
    return "\n".join(out) + "\n"


def capacity_plan_markdown(p: CapacityPlan) -> str:
    name = user_text(p.organisation) if p.organisation else "Unnamed organisation"
    out = [f"# Capacity plan: {name}", ""]
    out.append(f"{p.weeks} weeks at {p.hours_per_week:g} h a week ({p.budget_hours:g} h); "
               f"{p.scheduled_hours:g} h scheduled. Rule base {p.rulebase_version}, profile `{p.profile_hash[:12]}`.")
    out += ["", "## Schedule", ""]
    if not p.modules:
        out.append("No module is scheduled.")
    else:
        out += ["| # | Weeks | Module | Format | Hours | Why | Addresses |", "|---|---|---|---|---|---|---|"]
        for m in p.modules:
            weeks = str(m.week) if m.week == m.end_week else f"{m.week}–{m.end_week}"
            out.append(f"| {m.order} | {weeks} | {m.id} {_cell(m.title)} | {m.format} | {m.hours:g} | "
                       f"{plan_reason(m)} | {', '.join(m.addresses) or '–'} |")
        out += ["", "## Modules", ""]
        for m in p.modules:
            out.append(f"- **{m.id} {_cell(m.title)}**: {_cell(m.objective)}")
            out.append("  - sessions: " + "; ".join(f"week {s.week}: {s.hours:g} h" for s in m.sessions))
    out += ["", "## Not scheduled", ""]
    if not p.unscheduled:
        out.append("Every chosen module fits the budget.")
    for u in p.unscheduled:
        out.append(f"- **{u.id} {_cell(u.title)}** ({u.hours:g} h, {plan_reason(u)}): {_cell(u.why_unscheduled)}")
    if p.not_addressed:
        out += ["", "Gaps and risks no scheduled module addresses: " + ", ".join(p.not_addressed) + "."]
    return "\n".join(out) + "\n"


def plan_reason(m: PlanModule) -> str:
    if m.reason == "recommended":
        return "recommended by " + ", ".join(m.recommended_by)
    if m.reason == "prerequisite":
        return "prerequisite for " + ", ".join(m.prerequisite_for)
    return "addresses " + ", ".join(m.addresses)
