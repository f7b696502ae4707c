"""Self-contained HTML: the NGO's self-assessment report and the trainer's capacity plan.

One file, inline CSS, the diamond as inline SVG, no script and nothing fetched from the
network. The markup is also well-formed XML (void elements closed), so it can be checked
with any XML parser. Every piece of text goes through ``html.escape``: organisation names
and answers are user input. Accessibility: ``lang``, a heading outline, ``<th scope>`` in
every table, and a text alternative for the chart (its ``<title>``/``<desc>`` and a table).
"""

from __future__ import annotations

from html import escape

from advisor.reporters.markdown import (
    MATURITY_LABELS,
    diamond_score,
    ordinal,
    plan_reason,
)
from advisor.reporters.svg import diamond_svg
from advisor.reporters.values import display_value
from advisor.views.capacity_plan import CapacityPlan
from advisor.views.ngo_report import EvidenceItem, FindingItem, NgoReport, SourceItem

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1b1b1b;
max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:2px solid #2a6f97}
h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#eef3f7}
.meta{color:#555;font-size:.9rem}.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.sev-critical,.sev-high{color:#b00020;font-weight:600}.sev-medium{color:#8a5a00}.sev-low,.sev-info{color:#1f5f7a}
.m1{background:#fde2e2}.m2{background:#fff1d6}.m3{background:#e6f2e6}.m4{background:#cfe8cf}
.chart{text-align:center}.chart svg{max-width:100%;height:auto}
.why{margin:.2rem 0 .6rem 1.2rem}.strengths li{margin-bottom:.4rem}.src{color:#555;font-size:.88rem}
code{font-size:.88rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
""".strip()


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _page(title: str, body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en" xmlns="http://www.w3.org/1999/xhtml">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        '<meta name="referrer" content="no-referrer"/>',
        f"<title>{_e(title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]) + "\n"


def _evidence(evidence: tuple[EvidenceItem, ...]) -> list[str]:
    if not evidence:
        return []
    items = [f"<li>{_e(e.question)} (<code>{_e(e.field)}</code>): <strong>{_e(display_value(e.value))}</strong></li>"
             for e in evidence]
    return ["<ul class=\"evidence\">", *items, "</ul>"]


def _sources(sources: tuple[SourceItem, ...]) -> list[str]:
    return [f'<p class="src">Source: {_e(s.source)}, {_e(s.section)} ({_e(s.statement)}): “{_e(s.quote)}”</p>'
            for s in sources]


def _finding(f: FindingItem, level: str = "h3", via: str | None = None) -> list[str]:
    via_text = f" — through {_e(via)}" if via else ""
    out = [f'<{level} id="{_e(f.id)}"><span class="id">{_e(f.id)}</span> {_e(f.title)}{via_text}</{level}>',
           f'<p>{_e(f.kind)}, <span class="sev-{_e(f.severity)}">{_e(f.severity)}</span>, {_e(f.area_title)}</p>']
    out += _evidence(f.evidence)
    if f.combines:
        out.append(f"<p>Builds on: {_e(', '.join(f.combines))}</p>")
    out += _sources(f.sources)
    return out


def _maturity(value: int | None) -> str:
    return f"{value} – {MATURITY_LABELS[value]}" if value is not None else "not assessed"


def ngo_report_html(r: NgoReport) -> str:
    name = r.organisation or "Unnamed organisation"
    body = [
        f"<h1>Self-assessment report: {_e(name)}</h1>",
        f'<p class="meta">Rule base {_e(r.rulebase_version)} (<code>{_e(r.rulebase_hash[:12])}</code>), '
        f"engine {_e(r.engine)}, profile <code>{_e(r.profile_hash[:12])}</code>. "
        "Maturity runs from 1 (clear need) to 4 (high capacity).</p>",
        '<h2 id="strengths">Strengths to build on</h2>',
    ]
    if not r.strengths:
        body.append("<p>No strengths were identified from the answers given.</p>")
    else:
        body.append('<ul class="strengths">')
        for f in r.strengths:
            answers = "; ".join(f"{e.question} {display_value(e.value)}" for e in f.evidence)
            body.append(f'<li id="{_e(f.id)}"><span class="id">{_e(f.id)}</span> <strong>{_e(f.title)}</strong> '
                        f'({_e(f.area_title)}){": " + _e(answers) if answers else ""}</li>')
        body.append("</ul>")

    body += ['<h2 id="areas">Capacity areas</h2>', "<table>",
             "<caption>Maturity per capacity area (1–4); a serious gap caps the self-rating</caption>",
             '<thead><tr><th scope="col">Area</th><th scope="col">Maturity</th><th scope="col">Self-rating</th>'
             '<th scope="col">Capped by</th><th scope="col">Gaps and risks</th></tr></thead>', "<tbody>"]
    for a in r.areas:
        cls = f' class="m{a.maturity}"' if a.maturity is not None else ""
        links = " ".join(f'<a href="#{_e(g.id)}">{_e(g.id)}</a>' for g in a.gaps) or "–"
        body.append(
            f'<tr><th scope="row">{_e(a.title)}</th><td{cls}>{_e(_maturity(a.maturity))}</td>'
            f"<td>{_e(a.self_rating if a.self_rating is not None else '–')}</td>"
            f"<td>{_e(', '.join(a.capped_by) or '–')}</td>"
            f"<td>{links}</td></tr>"
        )
    body += ["</tbody>", "</table>"]

    body += ['<h2 id="diamond">CIVICUS diamond</h2>',
             "<p>Each dimension scores the capacity areas mapped onto it: the mean of their maturities, "
             "never more than one level above the weakest of them.</p>",
             f'<figure class="chart">{diamond_svg(r.diamond)}<figcaption>Scores on a scale of 1 to 4; '
             "a dimension with no assessed area is shown as not assessed.</figcaption></figure>",
             "<table>", "<caption>The diamond's scores (the chart's data)</caption>",
             '<thead><tr><th scope="col">Dimension</th><th scope="col">Score (1–4)</th>'
             '<th scope="col">Areas</th><th scope="col">Weakest area</th></tr></thead>', "<tbody>"]
    for d in r.diamond:
        weakest = f"{d.weakest_area} ({d.weakest_maturity})" if d.weakest_area else "–"
        if d.capped:
            weakest += ", caps the score"
        body.append(f'<tr><th scope="row">{_e(d.title)}</th><td>{_e(diamond_score(d.score))}</td>'
                    f"<td>{_e(', '.join(d.areas))}</td><td>{_e(weakest)}</td></tr>")
    body += ["</tbody>", "</table>"]

    body.append('<h2 id="gaps">Gaps and risks by area</h2>')
    gap_areas = [a for a in r.areas if a.gaps]
    if not gap_areas:
        body.append("<p>No gaps or risks were found.</p>")
    for a in gap_areas:
        body.append(f"<section><h3>{_e(a.title)} — maturity {_e(_maturity(a.maturity))}</h3>")
        for g in a.gaps:
            body += _finding(g, level="h4")
        body.append("</section>")

    body.append('<h2 id="actions">What to do first</h2>')
    if not r.actions:
        body.append("<p>No recommendations for the organisation.</p>")
    for act in r.actions:
        body += [
            f'<section class="action"><h3><span class="id">{_e(act.id)}</span> '
            f"{_e(ordinal(act.priority))} ({act.priority}): {_e(act.title)}</h3>",
            f"<p>{_e(act.action)}</p>",
            "<ul>",
            f"<li>Who: {_e(act.who)}</li>",
            f"<li>First step: {_e(act.first_step)}</li>",
            f"<li>When: {_e(act.timeframe)}</li>",
            f'<li>Urgency: <span class="sev-{_e(act.urgency)}">{_e(act.urgency)}</span></li>',
        ]
        if act.modules:
            body.append(f"<li>Training modules: {_e(', '.join(act.modules))}</li>")
        body.append("</ul>")
        body.append("<p>Why:</p>")
        body.append('<ul class="why">')
        for reason in act.why:
            f = reason.finding
            via = f" (through {_e(reason.via)})" if reason.via else ""
            body.append(f'<li><a href="#{_e(f.id)}" class="id">{_e(f.id)}</a> {_e(f.title)} '
                        f'(<span class="sev-{_e(f.severity)}">{_e(f.severity)}</span>){via}')
            body += _evidence(f.evidence)
            body.append("</li>")
        body.append("</ul>")
        body += _evidence(act.evidence)
        body += _sources(act.sources)
        body.append("</section>")

    body.append('<h2 id="unanswered">Not answered</h2>')
    if r.unanswered_areas:
        body.append(f"<p>Areas with no answers: {_e(', '.join(r.unanswered_areas))}.</p>")
    if not r.unanswered:
        body.append("<p>Every question the rules use was answered.</p>")
    else:
        body += ["<table>", "<caption>Unanswered questions and the advice they withhold</caption>",
                 '<thead><tr><th scope="col">Question</th><th scope="col">Field</th>'
                 '<th scope="col">Advice withheld</th></tr></thead>', "<tbody>"]
        for u in r.unanswered:
            held = ", ".join(f"{w.id}" + (f" {w.title}" if w.title else "") for w in u.withholds) or "–"
            body.append(f"<tr><td>{_e(u.question)}</td><td><code>{_e(u.field)}</code></td><td>{_e(held)}</td></tr>")
        body += ["</tbody>", "</table>"]
    return _page(f"Self-assessment report: {name}", body)


def capacity_plan_html(p: CapacityPlan) -> str:
    name = p.organisation or "Unnamed organisation"
    body = [
        f"<h1>Capacity plan: {_e(name)}</h1>",
        f'<p class="meta">{p.weeks} weeks at {p.hours_per_week:g} h a week ({p.budget_hours:g} h); '
        f"{p.scheduled_hours:g} h scheduled. Rule base {_e(p.rulebase_version)}, "
        f"profile <code>{_e(p.profile_hash[:12])}</code>.</p>",
        '<h2 id="schedule">Schedule</h2>',
    ]
    if not p.modules:
        body.append("<p>No module is scheduled.</p>")
    else:
        body += ["<table>", "<caption>Modules in order; a module never comes before its prerequisites</caption>",
                 '<thead><tr><th scope="col">#</th><th scope="col">Weeks</th><th scope="col">Module</th>'
                 '<th scope="col">Objective</th><th scope="col">Format</th><th scope="col">Hours per week</th>'
                 '<th scope="col">Why</th><th scope="col">Addresses</th></tr></thead>', "<tbody>"]
        for m in p.modules:
            weeks = str(m.week) if m.week == m.end_week else f"{m.week}–{m.end_week}"
            sessions = "; ".join(f"week {s.week}: {s.hours:g} h" for s in m.sessions)
            body.append(
                f'<tr><td>{m.order}</td><td>{_e(weeks)}</td><th scope="row"><span class="id">{_e(m.id)}</span> '
                f"{_e(m.title)}</th><td>{_e(m.objective)}</td><td>{_e(m.format)}</td>"
                f"<td>{m.hours:g} h ({_e(sessions)})</td><td>{_e(plan_reason(m))}</td>"
                f"<td>{_e(', '.join(m.addresses) or '–')}</td></tr>"
            )
        body += ["</tbody>", "</table>"]
    body.append('<h2 id="unscheduled">Not scheduled</h2>')
    if not p.unscheduled:
        body.append("<p>Every chosen module fits the budget.</p>")
    else:
        body += ["<table>", '<thead><tr><th scope="col">#</th><th scope="col">Module</th><th scope="col">Hours</th>'
                 '<th scope="col">Why chosen</th><th scope="col">Why not scheduled</th></tr></thead>', "<tbody>"]
        for u in p.unscheduled:
            body.append(f'<tr><td>{u.order}</td><th scope="row"><span class="id">{_e(u.id)}</span> {_e(u.title)}</th>'
                        f"<td>{u.hours:g}</td><td>{_e(plan_reason(u))}</td><td>{_e(u.why_unscheduled)}</td></tr>")
        body += ["</tbody>", "</table>"]
    if p.not_addressed:
        body.append(f"<p>Gaps and risks no scheduled module addresses: {_e(', '.join(p.not_addressed))}.</p>")
    return _page(f"Capacity plan: {name}", body)
