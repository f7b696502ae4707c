"""The self-contained HTML report: well-formed, accessible, escaped, nothing fetched."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from advisor.engine import assess
from advisor.assessment import Assessment, Evidence, Finding, ProfileInfo, Source
from advisor.profile_io import load_profile
from advisor.reporters import render
from advisor.reporters.context import ENGLISH, RenderContext
from advisor.rules.loader import load_rulebase
from advisor.views.capacity_plan import capacity_plan
from advisor.views.ngo_report import ngo_report

ROOT = Path(__file__).resolve().parents[2]
PINNED_RULES = ROOT / "tests" / "snapshots" / "rulebase"
SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HOSTILE = 'Evil </title><script>alert("x")</script> & <img src=http://x.example/a.png> | co'


def ngo_report_html(view: object, ctx: RenderContext = ENGLISH) -> str:
    text = render(view, "html", ctx)
    assert text is not None
    return text


capacity_plan_html = ngo_report_html


def example() -> Assessment:
    return assess(load_profile(ROOT / "profiles" / "example.yaml"), load_rulebase(PINNED_RULES), "reference")


def hostile(a: Assessment) -> Assessment:
    """The example with user text that tries to break out of the markup."""
    extra = Finding(id="ACC001", kind="strength", area="accountability", severity="info", title="Has a policy",
                    evidence=(Evidence(field="organisation.name", value=HOSTILE),), because=(),
                    sources=(Source(source="ref-kz-2023", section="S", quote="a quote of length", statement="KZ23-A-1"),))
    return a.model_copy(update={
        "profile": ProfileInfo(name=HOSTILE, hash=a.profile.hash, schema_version="1.0"),
        "findings": (extra, *a.findings),
    })


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.split("\n", 1)[1])  # after <!DOCTYPE html>


def test_well_formed_with_chart_of_five_axes() -> None:
    a = example()
    text = ngo_report_html(ngo_report(a))
    assert text.startswith("<!DOCTYPE html>")
    root = parse(text)
    assert root.get("lang") == "en"
    svgs = list(root.iter(f"{SVG}svg"))
    assert len(svgs) == 1
    axes = [line for line in svgs[0].iter(f"{SVG}line") if line.get("class") == "axis"]
    assert len(axes) == 5
    assert svgs[0].get("role") == "img" and svgs[0].find(f"{SVG}title") is not None
    assert "External environment: 1" in (svgs[0].findtext(f"{SVG}desc") or "")


def test_every_finding_id_present() -> None:
    a = hostile(example())
    text = ngo_report_html(ngo_report(a))
    root = parse(text)
    ids = {el.get("id") for el in root.iter()}
    for f in a.findings:
        assert f.id in ids, f"finding {f.id} has no section in the report"


def test_accessible_structure() -> None:
    root = parse(ngo_report_html(ngo_report(example())))
    assert root.find(f".//{XHTML}title") is not None
    assert len(list(root.iter(f"{XHTML}h1"))) == 1
    assert len(list(root.iter(f"{XHTML}h2"))) >= 5
    for table in root.iter(f"{XHTML}table"):
        headers = list(table.iter(f"{XHTML}th"))
        assert headers and all(th.get("scope") in ("col", "row") for th in headers)


def test_user_text_is_escaped_and_nothing_is_fetched() -> None:
    text = ngo_report_html(ngo_report(hostile(example())))
    parse(text)  # still well-formed
    collector = Collector()
    collector.feed(text)
    tags = [t for t, _ in collector.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for _, attrs in collector.tags:
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            assert not re.match(r"(?i)\s*(https?:)?//", value), f"external {key}: {value}"
    assert "@import" not in text and "url(" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text  # markupsafe writes " as &#34;


def test_capacity_plan_html() -> None:
    a = example()
    rb = load_rulebase(PINNED_RULES)
    plan = capacity_plan(a, rb, weeks=1, hours_per_week=4)
    root = parse(capacity_plan_html(plan))
    text = "".join(root.itertext())
    assert "MOD01" in text and "Not scheduled" in text
    assert root.get("lang") == "en"
