#!/usr/bin/env python3
"""Render an HTML report to a PNG screenshot in headless Chromium, to look at it.

    python scripts/render_html.py report.html report.png [--width 1200] [--height 3000]

A developer's check, not part of the product: it needs a Chromium binary (``chromium``,
``chromium-browser`` or ``google-chrome`` on PATH, or ``$CHROMIUM``; on Debian/Ubuntu
``apt-get install chromium``). Chromium runs with a throw-away profile, no GPU, no sandbox
(containers) and background networking, component updates and sync switched off; the report
itself fetches nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str:
    if env := os.environ.get("CHROMIUM"):
        return env
    for name in CANDIDATES:
        if found := shutil.which(name):
            return found
    sys.exit("render_html: no Chromium found (install 'chromium' or set CHROMIUM)")


def render(html: Path, png: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory(prefix="advisor-chromium-") as profile:
        cmd = [
            find_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
            f"--window-size={width},{height}", f"--screenshot={png.resolve()}",
            html.resolve().as_uri(),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0 or not png.exists():
            sys.exit(f"render_html: chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=3000)
    args = parser.parse_args()
    if not args.html.is_file():
        sys.exit(f"render_html: {args.html}: not a file")
    render(args.html, args.png, args.width, args.height)
    print(f"render_html: wrote {args.png}", file=sys.stderr)


if __name__ == "__main__":
    main()
