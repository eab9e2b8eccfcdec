"""The interface's languages in Chromium: the address's `?lang=` opens the page in that language,
with its number formats; Arabic is laid out right to left (computed style, not only the CSS
sent); a copied link keeps the language; the selector changes it. With SCREENSHOTS=1, screenshots
of each go to `test-output/screenshots/`.

Every page in Arabic (right to left); in the other languages the Import page, whose uploader's
words are the stylesheet's, with the sidebar and its navigation, which every page shows. The
pages' own words in every language are checked without a browser, through AppTest
(tests/test_i18n.py, `english_in`); Streamlit's own words on a page are the same in any language,
so Arabic finds them. (Chinese on every page as well took a fifth of this module's time, for
the pages' own words, which AppTest checks in Chinese.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from dashboard.reference import i18n
from tests.test_browser import (
    PAGES,
    Session,
    guarded,
    metric,
    query,
    review_screenshot,
    settle,
)

pytestmark = pytest.mark.browser

NARROW_NO_BREAK_SPACE = "\u202f"
TRANSLATED = sorted(path.parent.parent.name for path in i18n.LOCALES.glob("*/LC_MESSAGES/*.po"))
# The pages a reader opens, and the Import page (the local administrator's: the server runs as it).
WITH_IMPORT = {**PAGES, "import": ("/import", "Import", 0)}
# The languages whose every page is opened here; the others open the Import page (see above).
EVERY_PAGE_IN = ("ar",)
# Streamlit's own English words, which no catalogue holds: its uploader's (ui.file_uploader
# writes them in the language) and the placeholders of its pickers.
STREAMLIT_WORDS = re.compile(
    r"\b(Upload|Drag and drop|per file|Browse files|Choose an? options?|No results|Add files)\b"
)
# Every text a reader sees in an element (a page's stApp), data and charts aside: its text (not
# in icons, whose names are ligatures), what CSS writes (::before, ::after), the placeholder of
# an empty field and the column names of data frames. The cells of tables and charts hold data,
# which is not translated.
VISIBLE_TEXTS = """root => {
  const skip = '[data-testid="stIconMaterial"], script, style, .js-plotly-plot, '
    + '[data-testid="stDataFrame"], [data-testid="stTable"]';
  const shown = e => e.checkVisibility({visibilityProperty: true});
  const texts = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.trim();
    if (text && element && !element.closest(skip) && shown(element)) texts.push(text);
  }
  for (const element of root.querySelectorAll('*')) {
    if (element.closest(skip) || !shown(element)) continue;
    for (const pseudo of ['::before', '::after']) {
      const content = getComputedStyle(element, pseudo).content;
      if (content.startsWith('"')) texts.push(content.slice(1, -1));
    }
    if (element.placeholder && !element.value) texts.push(element.placeholder);
  }
  // A data frame draws its cells on a canvas; its column names are in the table it keeps
  // for screen readers (the columns in view).
  for (const header of root.querySelectorAll('[data-testid="stDataFrame"] [role="columnheader"]'))
    texts.push(header.textContent.trim());
  return texts;
}"""


@cache
def interface_english(lang: str) -> frozenset[str]:
    """The interface's English messages (whole, without placeholders) that `lang` writes
    otherwise: one of them shown whole on a page in `lang` is an English word left."""
    with i18n.TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    with i18n.catalogue_path(lang).open("rb") as handle:
        catalogue = read_po(handle)
    english = set()
    for message in template:
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if not msgid or "{" in msgid or not re.search("[A-Za-z]{3}", msgid):
            continue
        translated = catalogue.get(msgid, context=message.context)
        string = translated.string if translated else msgid
        if (string[0] if isinstance(string, tuple) else string) != msgid:
            english.add(msgid)
    return frozenset(english)


def english_left(page: Page, lang: str) -> list[str]:
    """The English interface words a page in `lang` still shows."""
    english = interface_english(lang)
    # A data frame writes its table for screen readers a moment after it is drawn.
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
            .every(frame => frame.querySelector('[role="columnheader"]'))"""
    )
    return sorted(
        {
            text
            for text in page.locator('[data-testid="stApp"]').evaluate(VISIBLE_TEXTS)
            if text in english or STREAMLIT_WORDS.search(text)
        }
    )


@pytest.fixture(scope="module")
def languages_server(browser: Browser, sample_server: str) -> str:
    """The session's server over the sample store (conftest)."""
    return sample_server


@pytest.fixture
def session(browser: Browser, languages_server: str) -> Iterator[Session]:
    yield from guarded(Session(browser, languages_server))


def direction(page: Page, selector: str) -> str:
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).direction")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_page_opens_in_the_language_of_the_address(session: Session, lang: str) -> None:
    """Every page, the Import page too, in the language of the address, with no English
    interface word left (data aside), Streamlit's own words included; in the languages not in
    EVERY_PAGE_IN, the Import page."""
    pages = WITH_IMPORT if lang in EVERY_PAGE_IN else {"import": WITH_IMPORT["import"]}
    with i18n.using(lang):
        titles = {name: i18n._(title) for name, (_path, title, _charts) in pages.items()}
    for name, (path, _title, charts) in pages.items():
        page = session.open(f"{path}?lang={lang}", titles[name], charts)
        assert query(page).get("lang") == [lang], page.url
        assert direction(page, '[data-testid="stMain"]') == ("rtl" if lang == "ar" else "ltr")
        assert english_left(page, lang) == [], name
        review_screenshot(page, f"{lang}-{name}")
        page.close()


def test_english_left_on_a_page_is_found(session: Session) -> None:
    """The check above can fail: on the English Import page it finds the interface's words and
    the uploader's."""
    page = session.open("/import?lang=en", "Import")
    found = english_left(page, "fr")
    assert {"Import", "Import history", "File", "Platform"} <= set(found), found
    assert "Upload" in found
    assert any(text.startswith("200MB per file") for text in found), found


@pytest.mark.skipif("fr" not in TRANSLATED, reason="the French catalogue is not there yet")
def test_the_uploader_speaks_french(session: Session) -> None:
    """Streamlit's uploader has no setting for its words: ui.file_uploader writes the
    catalogue's in their place (its button's name too) and the English ones are gone, also
    from what a screen reader reads, and in the overlay shown while a file is dragged over."""
    page = session.open("/import?lang=fr", "Importation")
    uploader = page.locator(".st-key-uploads [data-testid='stFileUploader']")
    expect(uploader.get_by_role("button", name="Parcourir", exact=True)).to_be_visible()
    assert uploader.evaluate(VISIBLE_TEXTS) == [
        "Exportations à importer",
        "Parcourir",
        "200 Mo par fichier • CSV, TSV, TXT, XLSX, XLSM, XLS, JSON, JSONL, NDJSON, ZIP",
    ]
    zone = uploader.locator("[data-testid='stFileUploaderDropzone']")
    # What a screen reader reads: no English word but the hidden file input's own label
    # ("file upload", an attribute no stylesheet reaches).
    read = zone.aria_snapshot()
    assert not STREAMLIT_WORDS.search(read.replace('button "file upload"', "")), read
    dragged = page.evaluate_handle(
        """() => {
            const dragged = new DataTransfer();
            dragged.items.add(new File(['a'], 'x.csv', {type: 'text/csv'}));
            return dragged;
        }"""
    )
    # The overlay: the drop zone's child without a test id that holds a text.
    overlay = "e => !!e.querySelector(':scope > div:not([data-testid]) > span')"
    # The drop zone listens once its frontend code has run, which may be after the page settles.
    for _attempt in range(20):
        zone.dispatch_event("dragenter", {"dataTransfer": dragged})
        page.wait_for_timeout(250)
        if zone.evaluate(overlay):
            break
    assert zone.evaluate(overlay)
    assert "Glissez-déposez les fichiers ici" in zone.evaluate(VISIBLE_TEXTS)
    read = zone.aria_snapshot()
    assert "Glissez-déposez les fichiers ici" in read
    assert not STREAMLIT_WORDS.search(read.replace('button "file upload"', "")), read
    review_screenshot(page, "fr-import-uploader")


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
    review_screenshot(page, "ar-overview")


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
