"""Browser fixtures: Debian's chromium driven through Playwright's sync API against
pytest-django's live server. Each user gets a fresh browser context (own cookies, own
profile), with a Japanese locale like the people who use Kofu.

Chromium comes from Debian (`make browser-deps`); Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop in the test thread, so Django would refuse every
# ORM call the test makes ("You cannot call this from an async context"). Nothing here is
# actually concurrent: the live server runs requests in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=ja-JP",  # the browser's own controls (file picker, date field) in Japanese too
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One chromium per test module: Playwright's loop stays "running" in this thread while it
    lives, which would upset any later test that uses asyncio."""
    if not CHROMIUM.exists():
        reason = "needs Debian chromium: make browser-deps"
        if os.environ.get("KOFU_REQUIRE_SERVICES") == "1":
            pytest.fail(f"KOFU_REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Chromium reports each Content-Security-Policy violation on the console; the event listener
# (added by the browser driver, outside the page's policy) names the directive as well.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => console.error(
    `securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile}:${event.lineNumber}`));
"""


def csp_violation(message) -> bool:
    text = message.text
    return "securitypolicyviolation" in text or "Content Security Policy" in text


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Open a page in a browser context of its own; JavaScript errors and anything the
    Content-Security-Policy blocks fail the test."""
    contexts = []
    page_errors: list[str] = []
    csp_violations: list[str] = []

    def new_page():
        context = browser.new_context(
            base_url=live_server.url,
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
            viewport={"width": 1280, "height": 900},
        )
        contexts.append(context)
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(f"{page.url}: {error}"))

        def on_console(message) -> None:
            if csp_violation(message):
                csp_violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        return page

    new_page.csp_violations = csp_violations
    yield new_page
    for context in contexts:
        context.close()
    assert page_errors == [], "JavaScript errors in the pages"
    assert csp_violations == [], "the Content-Security-Policy blocked something"


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go for a person to look at (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1366, 390)
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it stands (WCAG 2.x A and AA,
    the rules JIS X 8341-3:2016 level AA maps to)."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: make browser-deps installs it from npm", pytrace=False)
    # evaluated by the driver, not added as an inline <script> the page's CSP would block
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def survey(page, name: str) -> list[str]:
    """A full-page screenshot at a laptop's and a phone's width under test-artifacts/, and
    axe-core's serious and critical findings at each width, described; the viewport is put
    back to where it was."""
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    findings = []
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            violations = axe_violations(page)
            if violations:
                findings.append(f"axe-core on {name} at {width} px: {violations}")
    finally:
        page.set_viewport_size(original)
    return findings


@pytest.fixture
def look(artifacts) -> Callable:
    """Look at a page as a person would (survey): screenshots at a laptop's and a phone's width
    under test-artifacts/, failing on a serious or critical axe-core finding at either."""

    def look(page, name: str) -> list[Path]:
        findings = survey(page, name)
        assert findings == [], "\n".join(findings)
        return [artifacts / f"{name}-{width}.png" for width in WIDTHS]

    return look
