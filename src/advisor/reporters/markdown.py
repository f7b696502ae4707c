"""Markdown rendering of an assessment, for sharing in documents."""

from __future__ import annotations

from advisor.assessment import Assessment, Evidence


def _value(value: object) -> str:
    if value is None:
        return "unanswered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def evidence_text(evidence: tuple[Evidence, ...]) -> str:
    return "; ".join(f"`{e.field}` = {_value(e.value)}" for e in evidence)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def assessment_markdown(a: Assessment) -> str:
    name = a.profile.name or "Unnamed organisation"
    out = [f"# Assessment: {_cell(name)}", ""]
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
