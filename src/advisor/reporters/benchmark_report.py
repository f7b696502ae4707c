"""Text and Markdown for ``advisor benchmark`` and ``advisor screen --cohort-stats``: aggregates only."""

from __future__ import annotations

from advisor.reporters.values import display_value
from advisor.views.benchmark import Benchmark, Cell, CohortStats


def _num(value: float | None) -> str:
    return "–" if value is None else display_value(float(value))


def _rows(cells: tuple[Cell, ...], own: bool) -> list[list[str]]:
    rows = []
    for c in cells:
        if c.withheld:
            peers = f"withheld: {c.withheld}"
            yours = _num(c.value) if c.value is not None else "unanswered"
            rows.append([c.title, yours, peers, ""] if own else [c.title, peers, ""])
            continue
        spread = f"{_num(c.q1)}–{_num(c.q3)}"
        if own:
            rows.append([c.title, _num(c.value) if c.value is not None else "unanswered",
                         f"{_num(c.median)} (middle half {spread})", c.position or ""])
        else:
            rows.append([c.title, _num(c.median), spread])
    return rows


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
            "| " + " | ".join(x.replace("|", "\\|") for x in row) + " |" for row in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(x.ljust(w) for x, w in zip(row, widths)).rstrip()

    return [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]


def cohort_text(stats: CohortStats, *, markdown: bool = False, heading_level: int = 1) -> str:
    own = isinstance(stats, Benchmark)
    h = "#" * heading_level
    if own:
        assert isinstance(stats, Benchmark)
        title = f"Benchmark: {stats.organisation or 'Unnamed organisation'} among {stats.organisations} peers"
    else:
        title = f"Cohort statistics: {stats.organisations} organisations"
    out = [f"{h} {title}" if markdown else title, ""]
    head = ["", "yours", "peers' median", "your position"] if own else ["", "median", "middle half"]
    out += [f"{h}# Maturity per area (1–4)" if markdown else "Maturity per area (1-4)", ""]
    out += _table(["Area", *head[1:]], _rows(stats.areas, own), markdown)
    out += ["", f"{h}# Main figures" if markdown else "Main figures", ""]
    out += _table(["Figure", *head[1:]], _rows(stats.figures, own), markdown)
    out += ["", f"{h}# Most common gaps and risks" if markdown else "Most common gaps and risks", ""]
    if stats.common_findings:
        rows = [[f.id, f.title, ("≥ " if f.at_least else "") + f"{f.share_pct} %"]
                + ([("yes" if f.yours else "no")] if own else []) for f in stats.common_findings]
        out += _table(["ID", "Finding", "share" + (" of peers" if own else ""), *(["yours"] if own else [])],
                      rows, markdown)
    else:
        out.append("None is held by enough organisations to be shown.")
    out += [""] + [f"{'> ' if markdown else ''}{n}" for n in stats.notes]
    return "\n".join(out) + "\n"


__all__ = ["cohort_text"]
