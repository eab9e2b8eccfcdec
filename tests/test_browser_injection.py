"""Text is text, in the browser (issue 20): markup imported into every text field (answers,
country, the file name, codebook labels and keywords) creates no element and no request on the
pages that show it; a 6,000-character word does not widen the page; and the 1.6 KB workbook
whose used range is A1:XFD1048576, uploaded on the Import page, is refused while the server
stays up. Runs on a server of its own over a hostile copy of the sample store."""

from __future__ import annotations

import contextlib
import io
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard import cli
from tests.test_browser import VIEWPORT, Session, guarded, serve, settle

pytestmark = pytest.mark.browser

CONSULTATION = "civic-space-2020"
HOST = "attacker.test"
MARKUP = (
    f"![img](https://{HOST}/md-image.png)",
    f'<img src="https://{HOST}/html-image.png">',
    f'<a href="https://{HOST}/html-link">html link</a>',
    f"[md link](https://{HOST}/md-link) :material/home: $x^2$ **bold**",
)
FILE_NAME = f"![f](https:{HOST}) <img src=x> report.csv"
LONG_WORD = "x" * 6000


def _run(*argv: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(list(argv)) == 0


@pytest.fixture(scope="module")
def hostile_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.duckdb"
    db.write_bytes(sample_db.read_bytes())
    codebook = folder / "codebook.toml"
    codebook.write_text(
        f'consultation = "{CONSULTATION}"\n\n[[codes]]\nid = "injected"\ntheme = "protection"\n'
        f"label.en = '{MARKUP[2]} {MARKUP[0]}'\nkeywords = [\"attacker\"]\n",
        encoding="utf-8",
    )
    _run("codebook", "set", "--consultation", CONSULTATION, "--db", str(db), str(codebook))
    rows = ["Respondent ID,Country,Language,Q1"]
    for number, markup in enumerate(MARKUP):
        quoted = markup.replace('"', '""')
        rows.append(f'HOSTILE-{number},"{quoted}",en,"attacker says {quoted}"')
    rows.append(f"HOSTILE-LONG,France,en,attacker {LONG_WORD}")
    export = folder / FILE_NAME
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _run("import", "--consultation", CONSULTATION, "--db", str(db), str(export))
    return db


@pytest.fixture(scope="module")
def hostile_server(browser: Browser, hostile_db: Path, tmp_path_factory) -> Iterator[str]:
    with serve(hostile_db, tmp_path_factory.mktemp("hostile-server")) as url:
        yield url


@pytest.fixture
def session(browser: Browser, hostile_server: str) -> Iterator[Session]:
    yield from guarded(Session(browser, hostile_server))


# Attributes that make the browser fetch or link: text in a title or aria-label is only text.
_URL_ATTRIBUTES_NAMING_HOST = """host => {
    const fetching = ['href', 'xlink:href', 'src', 'srcset', 'action', 'formaction',
                      'poster', 'data', 'style', 'background'];
    const found = [];
    for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
            if (fetching.includes(attribute.name) && attribute.value.includes(host)) {
                const holder = element.closest('[data-testid^="st"]');
                found.push(element.tagName + ' ' + attribute.name + '=' + attribute.value
                           + ' in ' + (holder ? holder.dataset.testid : '?'));
            }
        }
    }
    return found;
}"""


def _assert_shown_as_text(page: Page) -> None:
    created = page.evaluate(_URL_ATTRIBUTES_NAMING_HOST, HOST)
    assert not created, f"markup from the data became elements: {created[:5]}"


@pytest.mark.parametrize(
    ("path", "title", "must_show"),
    [
        ("/responses?search=attacker", "Responses", MARKUP[1]),
        ("/tag_review", "Tag review", MARKUP[2]),
        ("/themes?code=injected", "Themes", None),
        ("/import", "Import", None),
    ],
)
def test_injected_markup_stays_text(
    session: Session, path: str, title: str, must_show: str | None
) -> None:
    page = session.open(path, title)
    if must_show is not None:
        expect(page.get_by_text(must_show, exact=False).first).to_be_visible()
    _assert_shown_as_text(page)
    session.assert_nothing_left_the_machine()


def test_a_long_word_does_not_widen_the_responses_page(session: Session) -> None:
    page = session.open("/responses?search=attacker", "Responses")
    width = page.evaluate(
        "Math.max(document.documentElement.scrollWidth,"
        " document.querySelector('[data-testid=\"stMain\"]').scrollWidth)"
    )
    assert width <= VIEWPORT["width"] + 20, f"the page is {width} px wide"
    session.assert_nothing_left_the_machine()


def _huge_range_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Respondent ID", "Q1"])
    workbook.active.append(["R1", "a"])
    workbook.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_huge_range_workbook_upload_leaves_the_server_up(
    session: Session, hostile_server: str
) -> None:
    data = _huge_range_workbook()
    assert len(data) < 8 * 1024
    page = session.open("/import", "Import")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        {"name": "huge-range.xlsx", "mimeType": "application/octet-stream", "buffer": data}
    )
    expect(page.get_by_text("DASHBOARD_MAX_CELLS", exact=False).first).to_be_visible(timeout=60_000)
    settle(page, "Import")
    with urllib.request.urlopen(f"{hostile_server}/_stcore/health", timeout=10) as response:
        assert response.status == 200
    again = session.open("/responses", "Responses")  # the app still serves pages
    _assert_shown_as_text(again)
    session.assert_nothing_left_the_machine()


def test_interactive_tables_offer_no_csv_of_their_own(session: Session) -> None:
    """The Import history and the Audit log are interactive tables; their built-in "Download
    as CSV" would write the file name and details undefused, so it is not offered."""
    for path, title in (("/import", "Import"), ("/audit", "Audit log")):
        page = session.open(path, title)
        grid = page.locator('[data-testid="stDataFrame"]').last
        grid.hover()
        toolbar = page.locator('[data-testid="stElementToolbarButton"]')
        expect(toolbar.first).to_be_attached()  # the toolbar is there...
        expect(page.locator('button[aria-label^="Download as CSV"]')).not_to_be_visible()
    session.assert_nothing_left_the_machine()
