"""Screenshots of report sections in headless Chromium, for reading a real corpus's report as a journalist would.

Each section (``overview``, ``timeline``, ``relations``, ``numbers``, ``matrix``, ``quotes``…) is cut out of the
report with the report's own styles and shot on its own page. The shots stay under ``out/`` (T17 text may not be
redistributed).

    .venv/bin/python benchmarks/report_shots.py out/all/report.html --out out/shots overview timeline relations numbers matrix
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report")
    ap.add_argument("sections", nargs="+")
    ap.add_argument("--out", default="out/shots")
    ap.add_argument("--size", default="1400,2600", help="window width,height in pixels")
    args = ap.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("report_shots: Debian's chromium is needed (apt-get install chromium)")
    html = Path(args.report).read_text(encoding="utf-8")
    head = html[: html.index("<body")]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.sections:
        m = re.search(rf'<section id="{re.escape(name)}".*?</section>', html, re.S)
        if m is None:
            print(f"{name}: no such section in {args.report}")
            continue
        page = out / f"{name}.html"
        page.write_text(head + "<body><main>" + m.group(0) + "</main></body></html>", encoding="utf-8")
        shot = out / f"{name}.png"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu",
                        f"--window-size={args.size}", f"--screenshot={shot.resolve()}", page.resolve().as_uri()],
                       capture_output=True, timeout=120, check=False)
        print(f"{name}: {shot}")


if __name__ == "__main__":
    main()
