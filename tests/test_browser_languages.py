"""The interface's languages in Chromium: the address's `?lang=` opens the page in that language,
with its number formats; Arabic is laid out right to left (computed style, not only the CSS
sent); a copied link keeps the language; the selector changes it. Screenshots of each go to
`test-output/screenshots/`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.reference import i18n
from tests.test_browser import PAGES, Session, guarded, metric, query, screenshot, serve, settle

pytestmark = pytest.mark.browser

NARROW_NO_BREAK_SPACE = "\u202f"
TRANSLATED = sorted(path.parent.parent.name for path in i18n.LOCALES.glob("*/LC_MESSAGES/*.po"))


@pytest.fixture(scope="module")
def languages_server(
    browser: Browser, sample_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with serve(sample_db, tmp_path_factory.mktemp("languages-server")) as url:
        yield url


@pytest.fixture
def session(browser: Browser, languages_server: str) -> Iterator[Session]:
    yield from guarded(Session(browser, languages_server))


def direction(page: Page, selector: str) -> str:
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).direction")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_page_opens_in_the_language_of_the_address(session: Session, lang: str) -> None:
    with i18n.using(lang):
        titles = {name: i18n._(title) for name, (_path, title, _charts) in PAGES.items()}
    for name, (path, _title, charts) in PAGES.items():
        page = session.open(f"{path}?lang={lang}", titles[name], charts)
        assert query(page).get("lang") == [lang], page.url
        assert direction(page, '[data-testid="stMain"]') == ("rtl" if lang == "ar" else "ltr")
        screenshot(page, f"{lang}-{name}")
        page.close()


@pytest.mark.skipif("fr" not in TRANSLATED, reason="the French catalogue is not there yet")
def test_french_numbers_and_a_copied_link_keep_the_language(session: Session) -> None:
    page = session.open("/?lang=fr", "Vue d'ensemble", charts=4)
    expect(metric(page, "Répondants")).to_have_text(f"3{NARROW_NO_BREAK_SPACE}000")
    copied = session.open(page.url, "Vue d'ensemble")
    assert query(copied).get("lang") == ["fr"]


def test_arabic_is_laid_out_right_to_left(session: Session) -> None:
    page = session.open("/?lang=ar", charts=4)
    assert direction(page, '[data-testid="stMain"]') == "rtl"
    assert direction(page, '[data-testid="stSidebar"]') == "rtl"
    # Plotly lays its own text out; the bars lying down are mirrored in the figure instead.
    assert direction(page, ".js-plotly-plot") == "ltr"
    screenshot(page, "ar-overview")


def test_the_selector_changes_the_language_and_keeps_it_in_the_address(
    session: Session,
) -> None:
    page = session.open("/", "Overview", charts=4)
    selector = page.get_by_role("combobox", name="Interface language")
    selector.click()
    page.get_by_role("option", name="Español", exact=True).click()
    settle(page)
    with i18n.using("es"):
        expect(page.locator("h1").first).to_have_text(i18n._("Overview"))
    assert query(page).get("lang") == ["es"], page.url
