"""PNG images of the report, drawn by a headless Chromium (Debian's ``chromium`` package, or the
browser named by ROUNDABOUT_CHROMIUM) through Playwright: each chart as it renders on the page,
and a screenshot of the report's top."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_VAR = "ROUNDABOUT_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


class NoBrowser(RuntimeError):
    pass


def chromium_path() -> Path:
    """The Chromium executable: ROUNDABOUT_CHROMIUM, else the first on PATH."""
    named = os.environ.get(CHROMIUM_VAR)
    if named:
        if not Path(named).exists():
            raise NoBrowser(f"{CHROMIUM_VAR}={named}: no such file")
        return Path(named)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise NoBrowser(
        "PNG images need a Chromium: install Debian's package (apt-get install chromium) or "
        f"name the executable in {CHROMIUM_VAR}"
    )


def launch(playwright):
    # --no-sandbox: the sandbox needs user namespaces, which containers and CI often lack.
    return playwright.chromium.launch(
        executable_path=str(chromium_path()), headless=True, args=["--no-sandbox"]
    )


def write_images(report: Path, out_dir: Path | None = None, screenshot: Path | None = None,
                 charts: bool = True, page: str | None = None) -> list[Path]:  # fmt: skip
    """Render ``report`` in Chromium; write each chart to ``out_dir/<chart id>.png`` and, when
    asked, the top of the report (or of its page ``page``, a page id) to ``screenshot``.
    Returns the files written."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(report.resolve().as_uri())
            tab.wait_for_function("document.querySelectorAll('.chart .main-svg').length >= "
                                  "document.querySelectorAll('.chart').length")  # fmt: skip
            if screenshot is not None:
                if page is not None:
                    tab.locator(f"section#{page}").evaluate("e => e.scrollIntoView()")
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(screenshot), full_page=False)
                written.append(screenshot)
            if charts and out_dir is not None:
                out_dir.mkdir(parents=True, exist_ok=True)
                for element in tab.query_selector_all(".chart > div > div.plotly-graph-div"):
                    target = out_dir / f"{element.get_attribute('id')}.png"
                    element.screenshot(path=str(target))
                    written.append(target)
        finally:
            browser.close()
    return written
