"""The attacks of issue 19, repeated in the browser on the sample consultation: "every country
but one" against the unfiltered Overview, two nested date ranges, and the answers (Responses,
Tag review) of a country of fewer than k respondents. None of them gives a hidden count.

Uses the server and browser helpers of `test_browser.py` (Debian's Chromium, never a download).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, expect

from dashboard.protection import perturbation, privacy
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from tests.test_browser import PAGES, Session, count, guarded, metric

pytestmark = pytest.mark.browser

CONSULTATION = "civic-space-2020"
K = 5


@pytest.fixture(scope="module")
def server(browser: Browser, sample_server: str) -> str:
    """The session's server over the sample store (conftest): these tests only read."""
    return sample_server


@pytest.fixture
def session(browser: Browser, server: str) -> Iterator[Session]:
    yield from guarded(Session(browser, server))


@pytest.fixture(scope="module")
def truth(sample_db: Path) -> dict:
    """What the attacker wants (the exact counts of hidden cells) and the choices they have."""
    con = database.connect(sample_db, read_only=True)
    try:
        params = Filters().params(CONSULTATION)
        countries = queries.frame(con, "by_country", params)
        shown = privacy.protect("by_country", countries, K)
        hidden = countries[shown["suppressed"]]
        options = queries.frame(con, "filter_options", {"consultation": CONSULTATION})

        def exact(filters: Filters) -> int:
            return perturbation.totals(con, CONSULTATION, filters, K, exact=True).respondents

        return {
            "hidden": dict(zip(hidden["iso3"], hidden["respondents"], strict=True)),
            # The URL names countries as the sidebar does: by name.
            "names": dict(
                zip(
                    options.loc[options["field"] == "country", "value"],
                    options.loc[options["field"] == "country", "label"],
                    strict=True,
                )
            ),
            "to_25": exact(Filters(date_to=date(2020, 1, 25))),
            "to_26": exact(Filters(date_to=date(2020, 1, 26))),
        }
    finally:
        con.close()


PERTURBED = "Totals under filters are perturbed"


def overview_respondents(session: Session, query: dict[str, list[str] | str]) -> int:
    """The Overview's respondents for a query; the heading says "filtered" exactly when a filter
    applied (and the figures are then perturbed)."""
    page = session.open("/?" + urlencode(query, doseq=True), "Overview", PAGES["overview"][2])
    value = metric(page, "Respondents").inner_text()
    main = page.locator('[data-testid="stMain"]')
    if query:
        expect(main).to_contain_text(" · filtered")
    else:
        expect(main).not_to_contain_text(" · filtered")
    page.close()
    return count(value)


def test_every_country_but_one_gives_no_hidden_country(session: Session, truth: dict) -> None:
    everyone = overview_respondents(session, {})
    assert everyone == 3000
    # Comoros (hidden, 4 respondents), Austria (hidden only to protect another cell, 12), and
    # two more hidden countries.
    targets = ["COM", "AUT", *sorted(set(truth["hidden"]) - {"COM", "AUT"})[:2]]
    assert truth["hidden"]["COM"] == 4 and truth["hidden"]["AUT"] == 12
    for target in targets:
        others = [name for iso3, name in truth["names"].items() if iso3 != target]
        shown = overview_respondents(session, {"country": others})
        exact_rest = everyone - int(truth["hidden"][target])
        assert abs(shown - exact_rest) < 40, "the filter did not apply"
        assert shown != exact_rest, f"every country but {target} shows its exact total"
        assert everyone - shown != truth["hidden"][target]
    session.assert_nothing_left_the_machine()


def test_two_date_ranges_give_no_hidden_day(session: Session, truth: dict) -> None:
    to_25 = overview_respondents(session, {"to": "2020-01-25"})
    to_26 = overview_respondents(session, {"to": "2020-01-26"})
    everyone = overview_respondents(session, {})
    assert everyone == 3000
    # The noise can carry a filtered total above the unfiltered one (2,998 shown as 3,002), so
    # the filter is seen to apply by the page's notice (the heading's "filtered") and by figures
    # within the noise's reach of the exact ones, never equal to them.
    for shown, exact in ((to_25, truth["to_25"]), (to_26, truth["to_26"])):
        assert exact < everyone
        assert 0 < abs(shown - exact) <= 31
    # Asking again (a copied link) gives the same figure: nothing to average.
    assert overview_respondents(session, {"to": "2020-01-26"}) == to_26
    session.assert_nothing_left_the_machine()


def test_a_country_of_fewer_than_k_shows_neither_count_nor_answers(session: Session) -> None:
    page = session.open("/?country=Comoros", "Overview")
    expect(metric(page, "Respondents")).to_have_text("< 5")
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text(PERTURBED)
    answers = session.open("/responses?country=Comoros", "Responses")
    expect(answers.locator('[data-testid="stMain"]')).to_contain_text(
        "Fewer than 5 respondents match these filters"
    )
    cards = answers.locator('[data-testid="stMain"] [data-testid="stHtml"] div[dir="auto"]')
    expect(cards).to_have_count(0)
    # Tag review draws no sample from them and gives no figure.
    review = session.open("/tag_review?country=Comoros", "Tag review")
    main = review.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("Fewer than 5 respondents match these filters")
    expect(main).not_to_contain_text("drawn from")
    expect(main.locator('[data-testid="stHtml"] div[dir="auto"]')).to_have_count(0)
    session.assert_nothing_left_the_machine()
