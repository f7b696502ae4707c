"""HTML and Markdown documents, rendered from the Jinja2 templates in ``advisor/templates``.

Each function takes a view and a RenderContext and returns the document. What the templates
need beyond the view (the first three actions, strongest and weakest areas, findings grouped
by area) is arranged here, so the templates only lay it out.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from advisor.reporters import present
from advisor.reporters.context import RenderContext
from advisor.reporters.templating import render_template

if TYPE_CHECKING:
    from advisor.assessment import Assessment
    from advisor.views.capacity_plan import CapacityPlan
    from advisor.views.compare import Comparison
    from advisor.views.ngo_report import NgoReport
    from advisor.views.portfolio import Portfolio
    from advisor.views.screening import Screening

FIRST_ACTIONS = 3


def _name(organisation: str | None, ctx: RenderContext) -> str:
    return present.plain(organisation) if organisation else ctx.tr("Unnamed organisation")


# --- the NGO's self-assessment report ----------------------------------------------------


def _ngo_values(r: NgoReport, ctx: RenderContext, *, html: bool) -> dict[str, Any]:
    from advisor.views.diamond import area_title

    rated = [a.maturity for a in r.areas if a.maturity is not None and a.self_rating is not None]
    top = max(rated, default=None)
    low = min((a.maturity for a in r.areas if a.maturity is not None), default=None)
    strongest = ([a.title for a in r.areas if a.self_rating is not None and a.maturity == top]
                 if top is not None and top >= 3 else [])
    weakest = [a.title for a in r.areas if a.maturity is not None and a.maturity == low] if low is not None and low <= 2 else []
    strengths_by_area = _Lists()
    for f in r.strengths:
        strengths_by_area.setdefault(f.area, []).append(f)
    recs_for = _Lists()  # finding ID -> the actions that answer it
    for act in r.actions:
        for reason in act.why:
            recs_for.setdefault(reason.finding.id, []).append(act)
    technical: list[tuple[str, Any]] = []  # (rule ID, evidence) for the appendix
    seen: set[str] = set()
    for finding in [*r.strengths, *(g for a in r.areas for g in a.gaps)]:
        if finding.id not in seen:
            seen.add(finding.id)
            technical += [(finding.id, e) for e in finding.evidence]
    for act in r.actions:
        technical += [(act.id, e) for e in act.evidence]
    values: dict[str, Any] = dict(
        paths=r.what_would_change,
        report=r,
        name=_name(r.organisation, ctx),
        completeness=r.completeness,
        first=r.actions[:FIRST_ACTIONS],
        more=r.actions[FIRST_ACTIONS:],
        actions=r.actions,
        areas=r.areas,
        assessed=sum(1 for a in r.areas if a.maturity is not None),
        not_assessed=sum(1 for a in r.areas if a.maturity is None),
        any_gaps=any(a.gaps for a in r.areas),
        strongest=strongest,
        weakest=weakest,
        diamond=r.diamond,
        area_titles={a.area: a.title for a in r.areas} | {k: area_title(k) for d in r.diamond for k in d.areas},
        unanswered=r.unanswered,
        unanswered_areas=[area_title(k) for k in r.unanswered_areas],
        technical=technical,
        recs_for=recs_for,
        strengths_by_area=strengths_by_area,
    )
    if html:
        from advisor.reporters.svg import diamond_svg

        values["diamond_svg"] = Markup(diamond_svg(
            r.diamond, title=ctx.tr("CIVICUS diamond: capacity by dimension, 1 to 4"),
            score_text=lambda s: present.score(s, ctx)))
    return values


class _Lists(dict[str, list[Any]]):
    """Lists by key; a missing key reads as an empty list (for the templates)."""

    def __missing__(self, key: str) -> list[Any]:
        return []


def ngo_report_html(r: NgoReport, ctx: RenderContext) -> str:
    return render_template("ngo_report.html.j2", "html", ctx, _ngo_values(r, ctx, html=True))


def ngo_report_markdown(r: NgoReport, ctx: RenderContext) -> str:
    return render_template("ngo_report.md.j2", "markdown", ctx, _ngo_values(r, ctx, html=False))


# --- the trainer's capacity plan ---------------------------------------------------------------


def _plan_values(p: CapacityPlan, ctx: RenderContext) -> dict[str, Any]:
    return dict(plan=p, name=_name(p.organisation, ctx), titles=p.titles,
                why=lambda m: present.plan_why(m, p.titles, ctx))


def capacity_plan_html(p: CapacityPlan, ctx: RenderContext) -> str:
    return render_template("capacity_plan.html.j2", "html", ctx, _plan_values(p, ctx))


def capacity_plan_markdown(p: CapacityPlan, ctx: RenderContext) -> str:
    return render_template("capacity_plan.md.j2", "markdown", ctx, _plan_values(p, ctx))


# --- the donor's screening, one partner or a portfolio ---------------------------------------------


def _screening_values(s: Screening, ctx: RenderContext) -> dict[str, Any]:
    risk = s.risk
    parts = [(ctx.tr("Fiduciary and organisational risk"), risk.fiduciary)]
    if getattr(risk, "programmatic", None) is not None:
        parts.append((ctx.tr("Capacity to deliver"), risk.programmatic))
    if getattr(risk, "sustainability", None) is not None:
        parts.append((ctx.tr("Sustainability"), risk.sustainability))
    parts.append((ctx.tr("Context risk"), risk.context))
    return dict(s=s, name=_name(s.organisation, ctx), parts=parts)


def screening_markdown(s: Screening, ctx: RenderContext) -> str:
    return render_template("screening.md.j2", "markdown", ctx, _screening_values(s, ctx))


def screening_html(s: Screening, ctx: RenderContext) -> str:
    return render_template("screening.html.j2", "html", ctx, _screening_values(s, ctx))


def _portfolio_values(p: Portfolio, ctx: RenderContext) -> dict[str, Any]:
    rows = list(p.rows)  # the tally is complete once the rows are read
    return dict(rows=rows, counts=p.tally.counts, failed=p.tally.failed)


def portfolio_markdown(p: Portfolio, ctx: RenderContext) -> str:
    text = render_template("portfolio.md.j2", "markdown", ctx, _portfolio_values(p, ctx))
    if p.stats is not None:  # the cohort's aggregates: numbers and rule titles, no user text
        from advisor.reporters.benchmark_report import cohort_text

        text += "\n" + cohort_text(p.stats, markdown=True, heading_level=2)
    return text


# The portfolio page's only script: sort the partners' table by a column, and a filter box it
# adds itself (without script the page is a plain table). It is a constant, allowed by its
# hash in the page's Content-Security-Policy; it reads nothing from the data but the table.
PORTFOLIO_SCRIPT = """(function () {
  var table = document.getElementById("partners-table");
  if (!table) { return; }
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
  function key(row, i) {
    var cell = row.cells[i], rank = cell.getAttribute("data-rank");
    return rank === null ? cell.textContent.toLowerCase() : Number(rank);
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    th.tabIndex = 0;
    th.setAttribute("aria-sort", "none");
    function sort() {
      var up = th.getAttribute("aria-sort") !== "ascending";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) { var x = key(a, i), y = key(b, i); return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1); });
      rows.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });
  var box = document.createElement("input");
  box.type = "search";
  box.setAttribute("aria-label", table.getAttribute("data-filter-label"));
  box.placeholder = table.getAttribute("data-filter-label");
  box.addEventListener("input", function () {
    var q = box.value.toLowerCase();
    Array.prototype.forEach.call(body.rows, function (row) { row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0; });
  });
  table.parentNode.insertBefore(box, table);
}());"""
PORTFOLIO_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(PORTFOLIO_SCRIPT.encode("utf-8")).digest()).decode()
RATING_ORDER = ("High", "Significant", "Moderate", "Low")
FREQUENT = 10


def portfolio_html(p: Portfolio, ctx: RenderContext) -> str:
    """One self-contained page: the rating distribution, the partners' table (sortable and
    filterable by a few lines of inline script, a plain table without it), the most frequent
    reasons and conditions, and a section per partner. Nothing is fetched."""
    values = _portfolio_values(p, ctx)
    rows = values["rows"]
    reasons = Counter(reason for r in rows for reason in r.reasons)
    conditions = Counter(cid for r in rows for cid in r.conditions)
    values.update(
        distribution=[(key, values["counts"].get(key, 0)) for key in RATING_ORDER],
        rank={key: i for i, key in enumerate(reversed(RATING_ORDER))},
        frequent_reasons=sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:FREQUENT],
        frequent_conditions=sorted(conditions.items(), key=lambda kv: (-kv[1], kv[0]))[:FREQUENT],
        script=PORTFOLIO_SCRIPT, script_hash=PORTFOLIO_SCRIPT_HASH,
    )
    return render_template("portfolio.html.j2", "html", ctx, values)


# --- a reassessment, and the all-audience assessment -------------------------------------------------


def comparison_markdown(c: Comparison, ctx: RenderContext) -> str:
    sections = ((ctx.tr("Findings"), c.findings), (ctx.tr("Recommendations"), c.recommendations))
    name = _name(c.new.organisation or c.old.organisation, ctx)
    return render_template("comparison.md.j2", "markdown", ctx, dict(c=c, name=name, sections=sections))


def assessment_markdown(a: Assessment, ctx: RenderContext) -> str:
    from advisor.areas import AREA_BY_KEY

    titles = {"ngo": ctx.tr("Recommendations for the NGO"), "donor": ctx.tr("Recommendations for the donor"),
              "trainer": ctx.tr("Recommendations for the trainer")}
    audiences = [(titles[aud], recs) for aud in ("ngo", "donor", "trainer")
                 if (recs := [r for r in a.recommendations if r.audience == aud])]
    return render_template("assessment.md.j2", "markdown", ctx, dict(
        a=a, name=_name(a.profile.name, ctx), audiences=audiences,
        area_titles={k: v.title for k, v in AREA_BY_KEY.items()},
        finding_titles={f.id: f.title for f in a.findings}))
