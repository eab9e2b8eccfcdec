"""Accessibility in Chromium, checked by axe-core: every page an administrator sees, in the six
languages, has no serious or critical violation and its headings in order; every chart has a
title and its numbers one click away; the filters work from the keyboard; the page works at
1,280 px and at 200% zoom (640 × 400 CSS px); in Arabic the sidebar stands on the right.

axe-core comes from the lock: the wheel of axe-playwright-python ships axe.min.js (axe-core
4.12.1, MPL-2.0), injected into the page as a script; nothing is fetched, and the session's
guard fails the test on any request that would leave the machine.

Every page in English and Arabic; in French, Spanish, Chinese and Russian three pages each,
together covering every page, which keeps the run near two minutes on a shared machine.
`AXE_ALL_LANGUAGES=1` runs every page in every language (about six minutes).
`A11Y_SCREENSHOTS=1` also writes a whole-page screenshot of every page in English and Arabic at
1,280 px to `test-output/screenshots/a11y-*.png`, for a person to look at: each one redraws the
page at its full height and waits for its charts again, so it is not done on every run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.reference import i18n
from dashboard.web import roles
from tests.test_browser import SCREENSHOTS, SKELETONS, Session, settle

pytestmark = pytest.mark.browser

AXE_SOURCE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
WIDE = {"width": 1280, "height": 800}
ZOOMED = {"width": 640, "height": 400}  # 1,280 × 800 at 200% zoom, in CSS pixels
# Each page as an administrator sees it: the path Streamlit gives the view, its title.
PAGES = {
    file.removesuffix(".py"): (
        "/"
        if file == "overview.py"
        else "/import"
        if file == "import_data.py"
        else "/" + file[:-3],
        title,
    )
    for file, title, _role in roles.PAGES
}
EVERY_PAGE = tuple(PAGES)
# The other four languages share the pages out between them, so each page is checked in at
# least one of them besides English and Arabic.
SOME_PAGES = {
    "fr": ("overview", "regions", "tag_review"),
    "es": ("languages", "themes", "import_data", "compare"),
    "zh": ("timeline", "responses", "consultations"),
    "ru": ("codebook", "audit", "tag_review"),
}
LANGUAGES = ("en", "ar", *SOME_PAGES)
FAILING_IMPACTS = ("serious", "critical")
# Rules checked whatever their impact: axe calls a skipped heading level "moderate".
ALWAYS_CHECKED = ("heading-order",)
# Parts of the page axe leaves out, each with its reason. Every other violation found was fixed
# in the app (dashboard/web/ui.py's page style, .streamlit/config.toml's theme).
EXCLUDED: dict[str, str] = {
    "[data-testid='stFileUploaderDropzone'] button": (
        "Streamlit's uploader button: outside English its words are replaced by the catalogue's "
        "through CSS generated content (dashboard/web/ui.py, uploader_css), which Chromium and "
        "screen readers take as the button's name (tests/test_browser_languages.py finds it by "
        "that name) but axe-core does not compute, so axe reports a button with no name"
    ),
}
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => c.querySelector('.js-plotly-plot .main-svg'))"""


def pages_for(lang: str) -> tuple[str, ...]:
    if lang in ("en", "ar") or os.environ.get("AXE_ALL_LANGUAGES") == "1":
        return EVERY_PAGE
    return SOME_PAGES[lang]


@pytest.fixture(scope="module")
def a11y_server(browser: Browser, sample_server: str) -> str:
    """The session's server over the sample store (conftest)."""
    return sample_server


@pytest.fixture(scope="module")
def wide(browser: Browser, a11y_server: str) -> Iterator[Page]:
    """One tab at 1,280 px for the whole module, guarded: nothing may leave the machine."""
    session = Session(browser, a11y_server)
    session.context.set_default_timeout(60_000)
    page = session.context.new_page()
    page.set_viewport_size(WIDE)
    page.base_url = a11y_server  # type: ignore[attr-defined]
    try:
        yield page
        session.assert_nothing_left_the_machine()
    finally:
        session.context.close()


def open_page(page: Page, name: str, lang: str) -> None:
    """Open the page `name` in `lang`, and wait until its charts are drawn."""
    path, title = PAGES[name]
    with i18n.using(lang):
        shown = i18n._(title)
    page.goto(f"{page.base_url}{path}?lang={lang}")  # type: ignore[attr-defined]
    settle(page, shown)
    page.wait_for_function(CHARTS_DRAWN)


def axe(page: Page) -> list[dict]:
    """axe-core's violations on the page as it stands, with the excluded parts left out."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SOURCE)
    return page.evaluate(
        """async excluded => {
            const context = excluded.length ? {exclude: excluded} : document;
            const result = await axe.run(context, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                          summary: n.failureSummary}))}));
        }""",
        [[selector] for selector in EXCLUDED],
    )


def failing(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS or v["id"] in ALWAYS_CHECKED]


def described(where: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}, {len(v['nodes'])} node(s)")
        lines += [f"    {n['html']}\n      {n['summary']!r}" for n in v["nodes"][:3]]
    return lines


def chart_alternatives(page: Page) -> list[str]:
    """What a chart lacks of its text alternative: a title, and its numbers table one click
    away (the expander right under it)."""
    problems = []
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for index in range(charts.count()):
        title = charts.nth(index).locator(".gtitle").first
        if not title.count() or not (title.text_content() or "").strip():
            problems.append(f"chart {index + 1} has no title")
    with i18n.using(page.evaluate("() => new URL(location).searchParams.get('lang')")):
        label = i18n._("Numbers behind this chart")
    tables = page.locator('[data-testid="stExpander"] summary').filter(has_text=label)
    if tables.count() < charts.count():
        problems.append(f"{charts.count()} charts but {tables.count()} numbers tables")
    return problems


def shot(page: Page, name: str) -> Path:
    """The whole page at 1,280 px (Streamlit scrolls inside its main block: the viewport is
    made as tall as the content for the shot)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            '[data-testid="stMain"], [data-testid="stSidebarContent"]'
        )].map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": WIDE["width"], "height": min(int(height), 10_000)})
    page.wait_for_function(CHARTS_DRAWN)
    expect(page.locator(SKELETONS)).to_have_count(0)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(WIDE)
    return path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_serious_and_headings_in_order(wide: Page, lang: str) -> None:
    problems: list[str] = []
    checked = 0
    for name in pages_for(lang):
        open_page(wide, name, lang)
        problems += described(f"{lang} {name}", failing(axe(wide)))
        problems += [f"{lang} {name}: {p}" for p in chart_alternatives(wide)]
        checked += 1
        if lang in ("en", "ar") and os.environ.get("A11Y_SCREENSHOTS") == "1":
            shot(wide, f"a11y-{lang}-{name}")
    assert checked == len(pages_for(lang))
    assert not problems, "\n".join(problems)


def test_axe_sees_a_violation_when_there_is_one(wide: Page) -> None:
    """The check can fail: grey text of 2:1 contrast added to a page is reported serious."""
    open_page(wide, "audit", "en")
    wide.evaluate(
        """() => {
            const p = document.createElement('p');
            p.textContent = 'Faint text';
            p.style.cssText = 'color: #bbbbbb; background: #ffffff; position: fixed; ' +
                'top: 40%; left: 40%; z-index: 100000; font-size: 14px';
            document.body.appendChild(p);
        }"""
    )
    # On the body, out of Streamlit's tree: a late rerun of the page cannot take it away.
    found = {v["id"] for v in failing(axe(wide))}
    assert "color-contrast" in found


def main_overflow(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            return {main: main.scrollWidth - main.clientWidth,
                    document: document.documentElement.scrollWidth - window.innerWidth};
        }"""
    )


def sidebar_box(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const bar = document.querySelector('[data-testid="stSidebar"]');
            const content = document.querySelector('[data-testid="stSidebarContent"]');
            const box = bar.getBoundingClientRect();
            return {left: box.left, right: box.right, width: box.width,
                    overflow: content.scrollWidth - content.clientWidth,
                    main_left: document.querySelector('[data-testid="stMain"]')
                        .getBoundingClientRect().left,
                    main_right: document.querySelector('[data-testid="stMain"]')
                        .getBoundingClientRect().right};
        }"""
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_page_fits_at_1280_px_and_at_200_percent_zoom(
    browser: Browser, a11y_server: str, lang: str
) -> None:
    session = Session(browser, a11y_server)
    try:
        page = session.context.new_page()
        for viewport in (WIDE, ZOOMED):
            page.set_viewport_size(viewport)
            page.base_url = a11y_server  # type: ignore[attr-defined]
            open_page(page, "overview", lang)
            assert main_overflow(page) == {"main": 0, "document": 0}, viewport
            bar = page.locator('[data-testid="stSidebar"]')
            if bar.get_attribute("data-collapsed") == "true":  # narrow: Streamlit folds it
                page.get_by_test_id("stExpandSidebarButton").focus()
                page.keyboard.press("Enter")
                expect(bar).to_have_attribute("data-collapsed", "false")
                page.wait_for_timeout(500)  # its 0.3 s slide
            box = sidebar_box(page)
            # The whole sidebar on screen, nothing in it wider than it is.
            assert box["width"] > 0 and box["overflow"] <= 0, (viewport, box)
            assert box["left"] >= 0 and box["right"] <= viewport["width"], (viewport, box)
            if viewport is WIDE:  # side by side, the sidebar on the reader's starting side
                if lang == "ar":
                    assert box["right"] == viewport["width"], box
                    assert box["main_right"] <= box["left"], box
                else:
                    assert box["left"] == 0 and box["right"] <= box["main_left"], box
            assert main_overflow(page)["document"] == 0, viewport
            shot_name = f"a11y-{lang}-overview-{viewport['width']}px"
            page.screenshot(path=SCREENSHOTS / f"{shot_name}.png")
        session.assert_nothing_left_the_machine()
    finally:
        session.context.close()


def test_the_filters_work_from_the_keyboard(wide: Page) -> None:
    """Tab from the top of the page to the region filter, choose Africa by typing, and the
    view follows (the chip, and the address)."""
    open_page(wide, "overview", "en")
    region = wide.get_by_role("combobox", name="Region (M49)")
    for _ in range(60):
        wide.keyboard.press("Tab")
        if region.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the region filter")
    wide.keyboard.type("Africa")
    wide.keyboard.press("ArrowDown")
    wide.keyboard.press("Enter")
    wide.keyboard.press("Escape")
    settle(wide, "Overview")
    chosen = (
        wide.locator('[data-testid="stMultiSelect"]')
        .filter(has=region)
        .locator(".react-aria-ComboBox [data-tag]")
    )
    expect(chosen).to_have_text(["Africa"])
    # The address follows once the rerun has written it (polled: it can lag the chip).
    expect(wide).to_have_url(re.compile(r"[?&]region=Africa(&|$)"))
    expect(wide.locator('[data-testid="stMain"]')).to_contain_text(re.compile("filtered"))
