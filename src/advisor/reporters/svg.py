"""The CIVICUS diamond as an inline SVG radar chart: one axis per dimension, scale 0-4.

Plain strings, no dependencies; every text is escaped. The chart carries ``role="img"``, a
``<title>`` and a ``<desc>`` that states each score, so it has a text alternative; the HTML
report also shows the same numbers in a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from advisor.views.diamond import DiamondDimension

WIDTH, HEIGHT = 640, 420
CX, CY = WIDTH / 2, HEIGHT / 2 + 10
RADIUS = 140
LEVELS = (1, 2, 3, 4)


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = RADIUS * value / 4
    return round(CX + r * math.cos(angle), 1), round(CY + r * math.sin(angle), 1)


def _fmt(score: float | None) -> str:
    return f"{score:.2f}".rstrip("0").rstrip(".") if score is not None else "not assessed"


def diamond_svg(dims: tuple[DiamondDimension, ...], *, chart_id: str = "diamond",
                title: str = "CIVICUS diamond: capacity by dimension, 1 to 4",
                score_text: Callable[[float | None], str] = _fmt) -> str:
    """The chart; ``title`` and ``score_text`` (a score, or "not assessed" for None) in the reader's language."""
    _fmt = score_text
    n = len(dims)
    desc = "; ".join(f"{d.title}: {_fmt(d.score)}" for d in dims)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="diamond">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for level in LEVELS:  # grid rings
        pts = " ".join(f"{x},{y}" for x, y in (_point(i, n, level) for i in range(n)))
        out.append(f'<polygon class="grid" points="{pts}" fill="none" stroke="#c8c8c8" stroke-width="1"/>')
    for i, d in enumerate(dims):  # axes and labels
        x, y = _point(i, n, 4)
        out.append(f'<line class="axis" data-dimension="{escape(d.key)}" x1="{CX}" y1="{CY}" '
                   f'x2="{x}" y2="{y}" stroke="#777" stroke-width="1"/>')
        lx, ly = _point(i, n, 4.5)
        if abs(lx - CX) < 10:
            anchor = "middle"
        elif ly > CY + RADIUS / 2:  # the two bottom corners: centre the label under the point
            anchor = "middle"
        else:
            anchor = "start" if lx > CX else "end"
        if ly < CY - RADIUS:
            ly -= 14
        elif ly > CY + RADIUS / 2:
            ly += 6
        out.append(f'<text class="label" x="{lx}" y="{round(ly, 1)}" text-anchor="{anchor}" font-size="13" '
                   f'fill="#222"><tspan x="{lx}" font-weight="600">{escape(d.title)}</tspan>'
                   f'<tspan x="{lx}" dy="16">{escape(_fmt(d.score))}</tspan></text>')
    for level in LEVELS:  # scale numbers along the first axis
        x, y = _point(0, n, level)
        out.append(f'<text class="scale" x="{x + 4}" y="{y + 4}" font-size="10" fill="#666">{level}</text>')
    values = [(d.score if d.score is not None else 0.0) for d in dims]
    pts = " ".join(f"{x},{y}" for x, y in (_point(i, n, v) for i, v in enumerate(values)))
    out.append(f'<polygon class="score" points="{pts}" fill="#2a6f97" fill-opacity="0.35" '
               f'stroke="#2a6f97" stroke-width="2"/>')
    for i, d in enumerate(dims):
        if d.score is None:
            x, y = _point(i, n, 4)
            out.append(f'<circle class="missing" cx="{x}" cy="{y}" r="4" fill="#fff" stroke="#999" '
                       f'stroke-dasharray="2 2"/>')
        else:
            x, y = _point(i, n, d.score)
            colour = "#b00020" if d.score < 2 else "#2a6f97"
            out.append(f'<circle class="point" cx="{x}" cy="{y}" r="4" fill="{colour}"/>')
    out.append("</svg>")
    return "\n".join(out)
