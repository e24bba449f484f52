"""Make docs/progress-report.png: the progress section of an HTML cohort report in Chromium.

    python docs/progress_report_shot.py          # from the repository root, venv active

Records a small cohort with the real CLI (`parley play --record`, the records_small test
scenario: Ann, Bo and Cy play it a few times, Di stops half-way), writes the HTML report
(`parley report --format html`), opens it in Chromium (Playwright, /usr/bin/chromium) and
keeps the part from "Progress per learner" to the end of the decisive moments table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "records_small.yaml"
OUT = ROOT / "docs" / "progress-report.png"

PLAYS = [
    ("Ann", "blame_vendor,insist"),
    ("Bo", "just_ask,your_call"),
    ("Ann", "facts_first,your_call"),
    ("Cy", "facts_first,two_options"),
    ("Bo", "facts_first,insist"),
    ("Ann", "facts_first,two_options"),
    ("Bo", "facts_first,two_options"),
    ("Cy", "blame_vendor,your_call"),
    ("Di", "just_ask"),
]


def parley(*args: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000"}
    subprocess.run([sys.executable, "-m", "simulator.cli.main", *args], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "cohort.sqlite3")
        for who, choices in PLAYS:
            parley("play", str(SMALL), "--choices", choices, "--record", "--participant", who,
                   "--cohort", "tuesday-pm", "--db", db)  # fmt: skip
        page_file = Path(tmp) / "report.html"
        parley("report", "--db", db, "--cohort", "tuesday-pm", "--format", "html",
               "-o", str(page_file))  # fmt: skip
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(page_file.as_uri())
            top = page.locator("h3", has_text="Progress per learner").bounding_box()
            end = page.locator("h4", has_text="Decisive moment of each attempt")
            table = end.locator("xpath=following-sibling::table[1]").bounding_box()
            assert top is not None and table is not None
            y = top["y"] - 12
            page.set_viewport_size(
                {"width": 1100, "height": int(table["y"] + table["height"]) + 40}
            )
            page.screenshot(
                path=str(OUT),
                clip={"x": 48, "y": y, "width": 1004,
                      "height": table["y"] + table["height"] + 16 - y},
            )  # fmt: skip
            browser.close()
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
