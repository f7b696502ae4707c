#!/usr/bin/env python3
"""Render a report with headless Chromium to PNG (1280x800, page one as a reader sees it) and PDF.

    python scripts/screenshot_report.py profiles/example.yaml --lang ru --out docs/screenshots
    python scripts/screenshot_report.py profiles/example.yaml --view plan --pdf

Writes <out>/<view>-<profile>-<lang>.png (and .pdf with --pdf; the PDF uses the report's
print stylesheet, as a browser's "Print to PDF" does). Needs a Chromium or Chrome binary on
PATH (``apt-get install chromium``) or in $CHROMIUM. Nothing is fetched: the report is one
self-contained file, opened from a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def browser() -> str:
    found = os.environ.get("CHROMIUM") or next((b for b in map(shutil.which, BROWSERS) if b), None)
    if not found:
        sys.exit("screenshot_report: no Chromium found (apt-get install chromium, or set CHROMIUM)")
    return found


def render(profile: Path, view: str, lang: str) -> str:
    from advisor.engine import assess
    from advisor.i18n import set_language
    from advisor.profile_io import load_profile
    from advisor.reporters import render as render_view
    from advisor.reporters.context import RenderContext
    from advisor.rules.loader import load_rulebase

    set_language(lang)  # rule texts are chosen when the assessment is built
    rulebase = load_rulebase(None)
    loaded = load_profile(profile)
    assessment = assess(loaded, rulebase, "reference")
    if view == "ngo":
        from advisor.views.ngo_report import ngo_report

        shown: object = ngo_report(assessment, rulebase, loaded)
    elif view == "plan":
        from advisor.views.capacity_plan import capacity_plan

        shown = capacity_plan(assessment, rulebase)
    else:
        from advisor.views.screening import screen

        shown = screen(assessment, loaded)
    text = render_view(shown, "html", RenderContext.for_language(lang))
    assert text is not None
    return text


def chromium(args: list[str]) -> None:
    base = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions", "--disable-background-networking",
            "--force-device-scale-factor=1"]
    subprocess.run(base + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--view", choices=("ngo", "plan", "screen"), default="ngo")
    parser.add_argument("--lang", choices=("en", "ru", "kk"), default="en")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--pdf", action="store_true", help="also print to PDF")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{args.view}-{args.profile.stem}-{args.lang}"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(render(args.profile, args.view, args.lang), encoding="utf-8")
        url = page.resolve().as_uri()
        png = (args.out / f"{stem}.png").resolve()
        chromium(["--window-size=1280,800", f"--screenshot={png}", url])
        print(png)
        if args.pdf:
            pdf = (args.out / f"{stem}.pdf").resolve()
            chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", url])
            print(pdf)


if __name__ == "__main__":
    main()
