"""Markdown for the donor's screening (one partner or a portfolio) and for a reassessment."""

from __future__ import annotations

from advisor.reporters.markdown import evidence_text
from advisor.views.compare import Comparison
from advisor.views.portfolio import PortfolioRow
from advisor.views.screening import Screening


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _money(amount: float | None, currency: str | None) -> str:
    if amount is None:
        return "not given"
    return f"{currency or ''} {amount:,.0f}".strip()


def screening_markdown(s: Screening) -> str:
    r = s.risk
    out = [f"# Screening: {_cell(s.organisation or 'Unnamed organisation')}", ""]
    out.append(f"**Risk rating: {r.rating}** (fiduciary and organisational: {r.fiduciary.rating}; "
               f"context: {r.context.rating}; confidence: {r.confidence.level}, "
               f"{r.confidence.answered} of {r.confidence.asked} financial questions answered).")
    out += ["", r.explanation[:1].upper() + r.explanation[1:], ""]
    grant = s.grant
    months = f", {grant.months} months" if grant.months else ""
    out.append(f"Grant: {_money(grant.amount, grant.currency)}{months}. Rule base {s.rulebase.version} "
               f"(`{s.rulebase.hash[:12]}`), profile `{s.profile_hash[:12]}`.")
    for title, part in (("Fiduciary and organisational risk", r.fiduciary), ("Context risk", r.context)):
        out += ["", f"## {title}: {part.rating}", ""]
        if not part.reasons:
            out.append("No gap or risk found.")
        for reason in part.reasons:
            line = f"- **{reason.id}** {_cell(reason.title)} ({reason.area}, {reason.severity} → {reason.implies})"
            out.append(line)
            if reason.evidence:
                out.append(f"  - evidence: {evidence_text(reason.evidence)}")
    if r.context.reasons:
        out += ["", "Context risk is a reason to protect and support the partner; it does not raise the rating."]
    out += ["", "## Conditions and support", "", "| ID | Kind | Condition | Detail | Because |", "|---|---|---|---|---|"]
    for c in s.conditions:
        out.append(f"| {c.id} | {c.kind} | {_cell(c.title)} | {_cell(c.detail)} | {_cell(', '.join(c.because))} |")
    if s.findings:
        out += ["", "## Screening findings", ""]
        for f in s.findings:
            out.append(f"- **{f.id}** {_cell(f.title)} ({f.severity}); evidence: {evidence_text(f.evidence)}")
    if s.notes:
        out += ["", "## Notes", ""] + [f"- {_cell(n)}" for n in s.notes]
    return "\n".join(out) + "\n"


def portfolio_markdown(rows: list[PortfolioRow], counts: dict[str, int]) -> str:
    out = ["# Portfolio screening", "",
           "Summary: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + ".", "",
           "| Rating | Organisation | Path | Context | Confidence | Top reasons | Conditions |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r.rating} | {_cell(r.name)} | {_cell(r.path)} | {r.context} | {r.confidence} | "
                   f"{_cell('; '.join(r.reasons))} | {' '.join(r.conditions)} |")
    return "\n".join(out) + "\n"


def comparison_markdown(c: Comparison) -> str:
    name = c.new.organisation or c.old.organisation or "Unnamed organisation"
    out = [f"# Reassessment: {_cell(name)}", "", f"OLD: `{_cell(c.old.label)}` ({c.old.source}); "
           f"NEW: `{_cell(c.new.label)}` ({c.new.source})."]
    if c.rulebase_note:
        out += ["", f"> {c.rulebase_note}"]
    out += ["", f"**Donor rating: {c.rating.before} → {c.rating.after}** ({c.rating.change}).", ""]
    out.append("Findings: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in c.counts.items()) + ".")
    for title, changes in (("Findings", c.findings), ("Recommendations", c.recommendations)):
        out += ["", f"## {title}", ""]
        if not changes:
            out.append("None before or after.")
        for ch in changes:
            sev = f"{ch.before or '–'} → {ch.after or '–'}"
            out.append(f"- {ch.status.replace('_', ' ')}: **{ch.id}** {_cell(ch.title)} ({sev})")
    out += ["", "## Maturity per area (1–4)", "", "| Area | Before | After | Change |", "|---|---|---|---|"]
    for a in c.areas:
        out.append(f"| {a.title} | {a.before if a.before is not None else '–'} | "
                   f"{a.after if a.after is not None else '–'} | {a.change} |")
    return "\n".join(out) + "\n"
