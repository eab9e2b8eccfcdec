"""Coding by hand in the browser: an analyst adds a code to an answer on the Responses page,
reloads, filters by that code in the sidebar, and finds the answer. Runs on a server of its own
over a private copy of the sample store (the test writes). Every request must stay local."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.test_browser import Session, guarded, screenshot, serve, settle

pytestmark = pytest.mark.browser

GENDER = "Gender-specific risks (women defenders)"


@pytest.fixture(scope="module")
def coding_server(
    browser: Browser, sample_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with serve(sample_db, tmp_path_factory.mktemp("coding-server")) as url:
        yield url


@pytest.fixture
def session(browser: Browser, coding_server: str) -> Iterator[Session]:
    yield from guarded(Session(browser, coding_server))


def matches(page: Page) -> int:
    """The number of responses the Responses page says match."""
    text = page.get_by_text(re.compile(r"responses from .* respondents match")).inner_text()
    return int(text.split()[0].replace(",", ""))


def cards(page: Page):
    """The bordered box of each answer (its block sits in a layout wrapper; the page's does
    not)."""
    boxes = '[data-testid="stLayoutWrapper"] > [data-testid="stVerticalBlock"]'
    return page.locator(boxes).filter(has=page.get_by_role("combobox", name="Codes"))


def test_a_code_given_by_hand_is_kept_and_found_by_the_filter(session: Session) -> None:
    page = session.open(f"/responses?code={quote(GENDER)}", "Responses")
    before = matches(page)
    page.close()

    page = session.open("/responses", "Responses")
    untagged = cards(page).filter(has_not_text=GENDER).first
    answer = untagged.locator('div[dir="auto"]').inner_text()
    codes = untagged.get_by_role("combobox", name="Codes")
    codes.click()
    codes.fill("Gender")
    page.get_by_role("option", name=GENDER, exact=True).click()
    codes.press("Escape")
    settle(page, "Responses")

    page.reload()
    settle(page, "Responses")
    kept = cards(page).filter(has_text=answer).filter(has_text=GENDER)
    expect(kept.first).to_be_visible()

    code_filter = page.get_by_role("combobox", name="Code", exact=True)
    code_filter.click()
    code_filter.fill("Gender")
    page.get_by_role("option", name=GENDER, exact=True).click()
    code_filter.press("Escape")
    settle(page, "Responses")
    assert "code=" in page.url
    assert matches(page) == before + 1
    # The hand-given code shows without a keyword: "found by" only for keyword tags.
    by_hand = page.locator("[data-tag]").filter(has_text=re.compile(f"^{re.escape(GENDER)}$"))
    expect(by_hand.first).to_be_visible()
    expect(cards(page).filter(has_text=answer).first).to_be_visible()
    screenshot(page, "responses-coded-by-hand")
    session.assert_nothing_left_the_machine()
