"""Reporters render views for people or programs, one registry for every command.

``RENDERERS`` maps (view type, format) to the function that renders it, named as
``"module:function"`` and imported only when used, so a command loads the one reporter it
needs. A renderer takes ``(view, ctx)`` (``ctx``: :class:`advisor.reporters.context.RenderContext`)
and returns the text (bytes for a binary format in ``FILE_FORMATS``), an iterator of text pieces (a view that streams, such as a portfolio
screened in input order), or ``None`` when it drew on the terminal itself.

Only the terminal reporters (``terminal``, ``terminal_screening``) import rich.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.reporters.context import RenderContext

# View types, by import path (the view modules are not imported to build this table).
ASSESSMENT = "advisor.assessment.Assessment"
NGO_REPORT = "advisor.views.ngo_report.NgoReport"
CAPACITY_PLAN = "advisor.views.capacity_plan.CapacityPlan"
SCREENING = "advisor.views.screening.Screening"
PORTFOLIO = "advisor.views.portfolio.Portfolio"
COMPARISON = "advisor.views.compare.Comparison"
MERGE = "advisor.merge.MergeResult"
EXPLANATION = "advisor.explain.Explanation"
RULE_LIST = "advisor.views.rule_list.RuleList"

# Formats drawn on the terminal: they cannot go to a file (-o).
TERMINAL_FORMATS = frozenset({"table"})
# Binary formats (their renderers return bytes): only to a file (-o), never to standard output.
FILE_FORMATS = frozenset({"xlsx"})
# What a file (-o) of this format starts with: a byte-order mark, so Excel reads a CSV as UTF-8.
FILE_PREFIXES = {"csv": "\ufeff"}
# A portfolio row built in the screening workers for a format that needs more than PortfolioRow.
ROW_BUILDERS = {"xlsx": "advisor.reporters.xlsx_format:sheet_row"}

RENDERERS: dict[tuple[str, str], str] = {
    (ASSESSMENT, "table"): "advisor.reporters.terminal:print_assessment",
    (ASSESSMENT, "json"): "advisor.reporters.json_format:view_json",
    (ASSESSMENT, "markdown"): "advisor.reporters.documents:assessment_markdown",
    (NGO_REPORT, "table"): "advisor.reporters.terminal:print_ngo_report",
    (NGO_REPORT, "json"): "advisor.reporters.json_format:view_json",
    (NGO_REPORT, "markdown"): "advisor.reporters.documents:ngo_report_markdown",
    (NGO_REPORT, "html"): "advisor.reporters.documents:ngo_report_html",
    (CAPACITY_PLAN, "table"): "advisor.reporters.terminal:print_capacity_plan",
    (CAPACITY_PLAN, "json"): "advisor.reporters.json_format:view_json",
    (CAPACITY_PLAN, "markdown"): "advisor.reporters.documents:capacity_plan_markdown",
    (CAPACITY_PLAN, "html"): "advisor.reporters.documents:capacity_plan_html",
    (SCREENING, "table"): "advisor.reporters.terminal_screening:print_screening",
    (SCREENING, "json"): "advisor.reporters.json_format:view_json",
    (SCREENING, "markdown"): "advisor.reporters.documents:screening_markdown",
    (SCREENING, "html"): "advisor.reporters.documents:screening_html",
    (PORTFOLIO, "table"): "advisor.reporters.terminal_screening:print_portfolio",
    (PORTFOLIO, "json"): "advisor.reporters.portfolio_rows:portfolio_json",
    (PORTFOLIO, "markdown"): "advisor.reporters.documents:portfolio_markdown",
    (PORTFOLIO, "html"): "advisor.reporters.documents:portfolio_html",
    (PORTFOLIO, "csv"): "advisor.reporters.portfolio_rows:portfolio_csv",
    (PORTFOLIO, "xlsx"): "advisor.reporters.portfolio_rows:portfolio_xlsx",
    (COMPARISON, "table"): "advisor.reporters.terminal_screening:print_comparison",
    (COMPARISON, "json"): "advisor.reporters.json_format:view_json",
    (COMPARISON, "markdown"): "advisor.reporters.documents:comparison_markdown",
    (MERGE, "table"): "advisor.reporters.terminal_screening:print_merge",
    (MERGE, "json"): "advisor.reporters.json_format:merge_json",
    (EXPLANATION, "table"): "advisor.reporters.terminal:print_explanation",
    (RULE_LIST, "table"): "advisor.reporters.rule_base:rule_list_lines",
    (RULE_LIST, "json"): "advisor.reporters.rule_base:rule_list_json",
}


# Renderers that write a view piece by piece as its rows arrive (a portfolio in input order).
STREAMING: frozenset[tuple[str, str]] = frozenset({(PORTFOLIO, "json"), (PORTFOLIO, "csv")})


def row_builder(fmt: str) -> Any:
    """The function that builds a portfolio row for ``fmt`` (None: the plain PortfolioRow)."""
    name = ROW_BUILDERS.get(fmt)
    if name is None:
        return None
    module, _, function = name.partition(":")
    return getattr(import_module(module), function)


def view_type(view: object) -> str:
    return f"{type(view).__module__}.{type(view).__qualname__}"


def renderer_name(view_kind: str | type, fmt: str) -> str | None:
    """The registered renderer for a view type (an import path or a class, its bases included)."""
    if isinstance(view_kind, str):
        return RENDERERS.get((view_kind, fmt))
    for cls in view_kind.__mro__:
        found = RENDERERS.get((f"{cls.__module__}.{cls.__qualname__}", fmt))
        if found is not None:
            return found
    return None


def _renderer(view: object, fmt: str) -> Any:
    name = renderer_name(type(view), fmt)
    if name is None:
        raise LookupError(f"no {fmt} renderer for {view_type(view)}")
    module, _, function = name.partition(":")
    return getattr(import_module(module), function)


def stream(view: object, fmt: str, ctx: RenderContext) -> Iterator[Any] | None:
    """Render ``view`` piece by piece (text; bytes for a format in ``FILE_FORMATS``);
    ``None`` when the terminal renderer drew it."""
    result: str | bytes | Iterator[Any] | None = _renderer(view, fmt)(view, ctx)
    if result is None:
        return None
    if isinstance(result, str | bytes):
        return iter((result,))
    return iter(result)


def render(view: object, fmt: str, ctx: RenderContext) -> str | None:
    """Render ``view`` in ``fmt``: the text, or ``None`` when the terminal renderer drew it."""
    pieces = stream(view, fmt, ctx)
    return None if pieces is None else "".join(pieces)


def render_bytes(view: object, fmt: str, ctx: RenderContext) -> bytes:
    """Render ``view`` in a binary format (``FILE_FORMATS``)."""
    pieces = stream(view, fmt, ctx)
    assert pieces is not None
    return b"".join(pieces)
