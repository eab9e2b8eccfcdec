"""Coding by hand in the browser: an analyst adds a code to an answer on the Responses page,
reloads, filters by that code in the sidebar, and finds the answer; two analysts code one Tag
review sample and see their agreement. Runs on a server of its own over a private copy of the
sample store (the tests write). Every request must stay local."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.test_browser import Session, guarded, review_screenshot, serve, settle

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


def exact_figures(page: Page) -> None:
    """Switch on the administrator's exact figures: under a filter the released count is
    perturbed (cell key method), so only the exact one can show a change of exactly one."""
    toggle = page.get_by_text("Exact figures on screen", exact=True)
    summary = page.locator("summary").filter(has_text="Administrator")
    for _ in range(3):  # a click during a rerun can land on a summary that is being replaced
        if toggle.is_visible():
            break
        summary.click()
        page.wait_for_timeout(500)
    expect(toggle).to_be_visible()
    toggle.click()
    # The run the click starts may not have begun when the page first looks idle: wait for
    # what only that run draws (the page's note on exact figures).
    expect(page.get_by_text("Exact figures: an administrator chose them")).to_be_visible()
    settle(page, "Responses")


def cards(page: Page):
    """The bordered box of each answer (its block sits in a layout wrapper; the page's does
    not)."""
    boxes = '[data-testid="stLayoutWrapper"] > [data-testid="stVerticalBlock"]'
    return page.locator(boxes).filter(has=page.get_by_role("combobox", name="Add a code"))


def test_a_code_given_by_hand_is_kept_and_found_by_the_filter(session: Session) -> None:
    page = session.open(f"/responses?code={quote(GENDER)}", "Responses")
    exact_figures(page)
    before = matches(page)
    page.close()

    page = session.open("/responses", "Responses")
    untagged = cards(page).filter(has_not_text=GENDER).first
    answer = untagged.locator('div[dir="auto"]').inner_text()
    codes = untagged.get_by_role("combobox", name="Add a code")
    codes.click()
    codes.fill("Gender")
    page.get_by_role("option", name=GENDER, exact=True).click()
    untagged.get_by_role("button", name="Add", exact=True).click()
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
    # The run the choice starts may not have begun when the page first looks idle: wait for
    # what only that run does (the filter written into the address), then for it to end.
    expect(page).to_have_url(re.compile(r"[?&]code="))
    settle(page, "Responses")
    exact_figures(page)
    assert matches(page) == before + 1
    # The hand-given code shows as an analyst's, not a keyword's.
    by_hand = cards(page).filter(has_text=answer).filter(has_text=f"{GENDER} (by an analyst)")
    expect(by_hand.first).to_be_visible()
    expect(cards(page).filter(has_text=answer).first).to_be_visible()
    review_screenshot(page, "responses-coded-by-hand")
    session.assert_nothing_left_the_machine()


def judge(page: Page, verdicts: list[str]) -> None:
    """Judge the first pair of the sample, once per verdict ("Right" or "Wrong"): a judged pair
    leaves the sample, so the next one comes first."""
    caption = page.get_by_text(re.compile(r"\d+ drawn from "))
    pairs = page.get_by_role("button", name="Wrong", exact=True)  # one per pair shown
    for word in verdicts:
        left = re.search(r"drawn from ([\d,]+) ", caption.inner_text())
        shown = pairs.count()
        page.get_by_role("button", name=word, exact=True).first.click()
        # Wait for the judged pair to leave the sample before judging the next one. The pairs
        # of fewer than k respondents have no number: the sample (all of them) shrinks.
        if left is None:
            expect(pairs).to_have_count(shown - 1)
        elif (remaining := int(left[1].replace(",", "")) - 1) > 0:
            expect(caption).to_contain_text(f"drawn from {remaining:,} ")
        else:
            expect(caption).to_have_count(0)
        settle(page, "Tag review")


def analyst(page: Page, name: str) -> None:
    field = page.get_by_role("textbox", name="Your name as analyst")
    field.fill(name)
    field.press("Enter")
    settle(page, "Tag review")


def test_two_analysts_code_one_sample_and_see_their_agreement(session: Session) -> None:
    page = session.open("/tag_review", "Tag review")
    expect(page.get_by_text("Agreement needs two analysts")).to_be_visible()
    analyst(page, "ana")
    expect(page.get_by_text(re.compile(r"10 drawn from [\d,]+ automatic tags"))).to_be_visible()
    judge(page, ["Right", "Right", "Right", "Wrong"])
    review_screenshot(page, "tag-review-first-analyst")

    analyst(page, "bob")
    page.get_by_text("Second coding: pairs another analyst judged").click()
    settle(page, "Tag review")
    # Bob sees exactly Ana's four pairs, and not her verdicts; they are the answers of fewer
    # than k respondents, so the caption gives no number of them.
    expect(page.get_by_role("button", name="Wrong", exact=True)).to_have_count(4)
    expect(
        page.get_by_text(
            "4 drawn from the automatic tags of fewer than 5 respondents that another analyst"
        )
    ).to_be_visible()
    expect(page.get_by_text("hidden while you code blind")).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    review_screenshot(page, "tag-review-second-analyst-blind")
    judge(page, ["Wrong"] * 4)

    expect(page.get_by_text("Nothing left to judge here")).to_be_visible()
    # Bob's agreement with the analyst whose pairs he judged comes up by itself, though other
    # tests judge as "local" on the same store.
    expect(page.get_by_role("combobox", name="First analyst")).to_have_value("bob")
    expect(page.get_by_role("combobox", name="Second analyst")).to_have_value("ana")
    table = page.locator('[data-testid="stTable"]').filter(has_text="Cohen's kappa")
    expect(table).to_be_visible()
    expect(page.get_by_text("3 disagreements, 3 to settle")).to_be_visible()
    review_screenshot(page, "tag-review-agreement")
    page.get_by_role("button", name="Settle: has it").first.click()
    settle(page, "Tag review")
    expect(page.get_by_text("3 disagreements, 2 to settle")).to_be_visible()
    expect(page.get_by_text("settled: has it")).to_have_count(1)
    review_screenshot(page, "tag-review-settled")
