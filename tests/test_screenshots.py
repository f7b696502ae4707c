"""The NGO report in a real browser: scripts/screenshot_report.py renders page one to a
1280x800 PNG and the whole report to PDF with headless Chromium (skipped without one)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine")
def test_report_renders_to_png_and_pdf(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshot_report.py"), str(ROOT / "profiles" / "example.yaml"),
                    "--out", str(tmp_path), "--pdf"], check=True, timeout=240, cwd=ROOT)
    png = (tmp_path / "ngo-example-en.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1280, 800)
    pdf = (tmp_path / "ngo-example-en.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
