"""The Word report of the pack (report.docx), opened with python-docx: one picture per chart PNG
with its numbered caption and source lines, the methodology as real Word headings, lists and
tables, every chart's table with the cells of its CSV, sentences whose numbers are the table's,
and no count of fewer than k respondents anywhere, even under a filter to one small country."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import given
from hypothesis import strategies as st

from dashboard.publish import word
from dashboard.publish.catalogue import CHARTS
from dashboard.reference import geo
from tests.conftest import copy_of
from tests.test_exports import CONSULTATION, read_csv, run

K = 5  # the sample consultation's suppression_k
TITLE = "Online consultation on civil society space"
BY_TITLE = {chart.title: chart for chart in CHARTS}
CAPTION = re.compile(r"^(Figure|Table) (\d+)\. (.+)$")
ROWS = re.compile(
    r"^The table has (?P<rows>[\d,]+) rows?, (?:none of them hidden|(?P<hidden>[\d,]+) of them "
    r'hidden \(shown as "< \d+"\)|(?P<all>all of them hidden) \(shown as "< \d+"\))\.'
)
LARGEST = re.compile(
    r"The most respondents are in (?P<label>.+?)(?: \(tied with (?P<tied>[\d,]+) other rows?\))?"
    r": (?P<value>[\d,]+), (?P<share>less than 1|\d+)% of the (?P<total>[\d,]+) summed over the "
    r"(?P<shown>[\d,]+) rows shown\.$"
)
ONE_ROW = re.compile(
    r"The one row with respondents shown is (?P<label>.+): (?P<value>[\d,]+) respondents\.$"
)
SAYS = "What the figures say: "


def blocks(document: WordDocument) -> Iterator[Paragraph | Table]:
    """The body's paragraphs and tables, in document order."""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, document)
        elif element.tag == qn("w:tbl"):
            yield Table(element, document)


def table_rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def number(text: str) -> int:
    return int(text.replace(",", ""))


def sections(document: WordDocument) -> dict[str, list[Paragraph | Table]]:
    """Each chart's blocks, by its title (a Heading 2 after "Figures and tables")."""
    found: dict[str, list[Paragraph | Table]] = {}
    current: list[Paragraph | Table] | None = None
    started = False
    for block in blocks(document):
        if isinstance(block, Paragraph) and block.style.name.startswith("Heading"):
            if block.text == "Figures and tables":
                started = True
                continue
            if started and block.style.name == "Heading 2":
                current = found.setdefault(block.text, [])
                continue
        if started and current is not None:
            current.append(block)
    return found


@pytest.fixture(scope="module")
def report(suppressed_pack: Path) -> WordDocument:
    return docx.Document(str(suppressed_pack / "report.docx"))


def test_the_page_is_a4_with_margins_and_fonts_for_every_script(report: WordDocument) -> None:
    section = report.sections[0]
    assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (21.0, 29.7)
    for side in (section.left_margin, section.right_margin, section.top_margin):
        assert round(side.cm, 2) == 2.5
    for style in ("Normal", "Heading 1", "Heading 2", "Title"):
        fonts = report.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == word.LATIN_FONT, style
        assert fonts.get(qn("w:eastAsia")) == word.EAST_ASIAN_FONT, style
        assert fonts.get(qn("w:cs")) == word.COMPLEX_SCRIPT_FONT, style
        assert fonts.get(qn("w:asciiTheme")) is None, style  # a theme font would win


def test_the_title_page_names_the_consultation_by_title_not_id(report: WordDocument) -> None:
    cover = []
    for block in blocks(report):
        if isinstance(block, Paragraph) and block.style.name == "Heading 1":
            break
        cover.append(block.text)
    text = "\n".join(cover)
    assert TITLE in text and CONSULTATION not in text
    assert "Filters in force: none" in text
    assert "Window: open 13 Jan 2020 09:00 UTC to 24 Jan 2020 18:00 UTC" in text
    assert re.search(r"Made: \d{1,2} \w+ \d{4} \d{2}:\d{2} UTC", text)


def test_one_picture_per_chart_png_with_its_caption_and_source(
    report: WordDocument,
    suppressed_pack: Path,
) -> None:
    pngs = {p.stem: p.read_bytes() for p in (suppressed_pack / "charts").glob("*.png")}
    body = list(blocks(report))
    pictures = [
        n
        for n, b in enumerate(body)
        if isinstance(b, Paragraph) and b._p.findall(f".//{qn('w:drawing')}")
    ]
    assert len(pictures) == len(pngs) > 10
    placed = {}
    for figure, index in enumerate(pictures, start=1):
        caption, source = body[index + 1], body[index + 2]
        assert caption.style.name == "Caption"
        kind, shown, title = CAPTION.match(caption.text).groups()
        assert (kind, int(shown)) == ("Figure", figure)
        assert source.style.name == word.SOURCE_STYLE
        assert source.text.startswith(f"Source: {TITLE} (13 Jan 2020 to 24 Jan 2020); ")
        assert CONSULTATION not in source.text, "the source names the title, never the id"
        # The picture is the pack's PNG of that chart, at the full text width.
        (blip,) = body[index]._p.iterfind(".//" + qn("a:blip"))
        image = report.part.related_parts[blip.get(qn("r:embed"))].blob
        placed[BY_TITLE[title].slug] = hashlib.sha256(image).hexdigest()
        (extent,) = body[index]._p.iterfind(".//" + qn("wp:extent"))
        assert int(extent.get("cx")) == Cm(16)
    assert placed == {slug: hashlib.sha256(png).hexdigest() for slug, png in pngs.items()}


def test_the_methodology_is_word_headings_lists_and_tables(
    report: WordDocument,
    suppressed_pack: Path,
) -> None:
    note = (suppressed_pack / "methodology.md").read_text(encoding="utf-8")
    note = note.split("\n## Files\n")[0]  # the pack's file list stays in the pack
    paragraphs = [b for b in blocks(report) if isinstance(b, Paragraph)]
    styled = {(p.style.name, p.text) for p in paragraphs}
    headings = re.findall(r"^(#+) (.+)$", note, flags=re.MULTILINE)
    assert len(headings) >= 7
    for marks, text in headings:
        assert (f"Heading {len(marks)}", text.replace("`", "")) in styled
    bullets = re.findall(r"^- (.+)$", note, flags=re.MULTILINE)
    for text in bullets:
        assert ("List Bullet", text.replace("`", "")) in styled
    assert not any(p.text.startswith(("#", "- ", "|")) for p in paragraphs), "raw Markdown"
    sources = [t for t in report.tables if t.rows[0].cells[0].text == "import"]
    (source,) = sources
    rows = table_rows(source)
    markdown = [
        [cell.strip().replace("`", "") for cell in line.strip("|").split("|")]
        for line in note.split("## Data sources")[1].splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    assert rows == markdown and len(rows) > 2


def test_every_table_has_the_cells_of_its_csv(report, suppressed_pack) -> None:
    found = sections(report)
    assert list(found) == [c.title for c in CHARTS]  # the sample has a codebook: every chart
    for number_, (title, body) in enumerate(found.items(), start=1):
        captions = [b for b in body if isinstance(b, Paragraph) and b.text.startswith("Table ")]
        (caption,) = captions
        assert CAPTION.match(caption.text).groups() == ("Table", str(number_), title)
        table = body[body.index(caption) + 1]
        assert isinstance(table, Table), title
        csv_table, _ = read_csv(suppressed_pack / "tables" / f"{BY_TITLE[title].slug}.csv")
        rows = table_rows(table)
        assert rows[0] == list(csv_table.columns), title
        assert len(rows) - 1 == len(csv_table), title
        for got, expected in zip(rows[1:], csv_table.itertuples(index=False), strict=True):
            assert [same_cell(g) for g in got] == [same_cell(e) for e in expected], title


def same_cell(text: str) -> str:
    """A cell as text, with the CSV's defusing apostrophe and the Word thousands separators
    taken away (the only ways the two may write one value)."""
    text = text.removeprefix("'")
    return text.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", text) else text


def test_what_the_figures_say_is_read_off_the_table(report, suppressed_pack) -> None:
    checked = 0
    for title, body in sections(report).items():
        (says,) = [b for b in body if isinstance(b, Paragraph) and b.text.startswith(SAYS)]
        table, _ = read_csv(suppressed_pack / "tables" / f"{BY_TITLE[title].slug}.csv")
        checked += check_sentence(says.text.removeprefix(SAYS), table)
    assert checked >= 12  # sections whose sentence names a largest row


def check_sentence(text: str, table: pd.DataFrame) -> bool:
    """The sentence's numbers against the table's (as written in the CSV): True when it named
    the row with the most respondents."""
    if table.empty:
        assert text == "The table has no rows for the filters in force."
        return False
    rows = ROWS.match(text)
    assert rows, text
    respondents = list(table["Respondents"])
    hidden = sum(v == f"< {K}" for v in respondents)
    assert number(rows["rows"]) == len(table)
    assert (number(rows["hidden"]) if rows["hidden"] else len(table) if rows["all"] else 0) == (
        hidden
    )
    shown = [int(v) for v in respondents if v not in (f"< {K}", "")]
    rest = text[rows.end() :].strip()
    if not shown:
        assert rest == ""
        return False
    if max(shown) == 0:
        assert rest == "No row shown has respondents."
        return False
    largest = LARGEST.fullmatch(rest) or ONE_ROW.fullmatch(rest)
    assert largest, rest  # and so every number of the sentence is checked below
    assert number(largest["value"]) == max(shown)
    keys = [c for c in table.columns if c not in ("Respondents", "Responses")][:2]
    unique = table[keys[0]].is_unique
    labels = {
        (row[keys[0]] if unique else f"{row[keys[0]]}, {row[keys[1]]}")
        for _, row in table.iterrows()
        if row["Respondents"] == str(max(shown))
    }
    assert largest["label"] in labels
    if "total" in largest.groupdict():
        assert number(largest["total"]) == sum(shown)
        assert number(largest["shown"]) == len(shown)
        share = 100 * max(shown) / sum(shown)
        assert largest["share"] == ("less than 1" if share < 1 else f"{share:.0f}")
        assert number(largest["tied"] or "0") == shown.count(max(shown)) - 1
    else:
        assert len(shown) == 1
    return True


@pytest.fixture(scope="module")
def small_country(suppressed_pack: Path) -> str:
    """The country with the fewest respondents shown, from at least 2k (so that under a
    filter to it some cells are shown and many are hidden)."""
    table, _ = read_csv(suppressed_pack / "tables" / "respondents-by-country.csv")
    shown = table[table["Respondents"] != f"< {K}"].assign(n=lambda t: t["Respondents"].astype(int))
    return shown[shown["n"] >= 2 * K].sort_values(["n", "ISO3"]).iloc[0]["ISO3"]


@pytest.fixture(scope="module")
def small_report(sample_db: Path, small_country: str, tmp_path_factory) -> WordDocument:
    folder = tmp_path_factory.mktemp("small-country")
    store = copy_of(sample_db, tmp_path_factory.mktemp("small-country-store"))
    run("export", "--consultation", CONSULTATION, "--db", str(store), "--out", str(folder),
        "--country", small_country)  # fmt: skip
    return docx.Document(str(folder / "report.docx"))


# A count of respondents in words: "12 respondents", "Respondents: 12", "respondents are in X: 12".
IN_WORDS = re.compile(
    r"(\d[\d,]*)\s+respondents?\b|\brespondents?\b[^.;:\d]{0,60}:\s*(\d[\d,]*)(?![\d,]*%)",
    re.IGNORECASE,
)
RESPONDENT_COLUMNS = ("Respondents", "Respondents so far", "respondents")


def test_no_count_below_k_under_a_filter_to_one_small_country(small_report, small_country):
    text = [p.text for p in blocks(small_report) if isinstance(p, Paragraph)]
    # The filter named as a reader knows it (CLDR's English name), not by its ISO code.
    name = geo.countries()[small_country].name_en
    assert any(f"Filters in force: country: {name}" in t for t in text), name
    # The note's list of hidden cells per chart counts cells, not respondents.
    titles = tuple(f"{c.title}: " for c in CHARTS)
    counts = [
        number(a or b)
        for line in text
        if not line.startswith(titles)
        for a, b in IN_WORDS.findall(line)
    ]
    assert counts, "no count of respondents found to check"
    assert all(c == 0 or c >= K for c in counts), counts
    hidden = shown = 0
    for table in small_report.tables:
        rows = table_rows(table)
        for column, name in enumerate(rows[0]):
            if name not in RESPONDENT_COLUMNS:
                continue
            for row in rows[1:]:
                if row[column] == f"< {K}":
                    hidden += 1
                elif row[column] and "fewer than" not in row[column]:
                    # A running total past a hidden day is a range: "up to 8", "12 to 20".
                    bounds = row[column].removeprefix("up to ").split(" to ")
                    for bound in bounds:
                        assert number(bound) == 0 or number(bound) >= K, (name, row)
                    shown += 1
    assert hidden > 0 and shown > 0  # the filter left some cells to show and some to hide
    says = [t.removeprefix(SAYS) for t in text if t.startswith(SAYS)]
    assert any(f'hidden (shown as "< {K}")' in t for t in says)


# The sentences on their own: any table of published counts.
label_text = (
    st.text(st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)


@given(
    st.lists(
        st.tuples(label_text, st.one_of(st.none(), st.just(0), st.integers(K, 10**6))),
        min_size=1,
        max_size=30,
        unique_by=lambda pair: pair[0],
    )
)
def test_the_sentence_is_read_off_any_table_of_published_counts(rows) -> None:
    """Whatever the table, the sentence is made of the checked patterns only (so each of its
    numbers is a row count, a hidden count, a shown figure, their sum or a share)."""
    table = pd.DataFrame(
        {
            "Label": [label for label, _ in rows],
            "Respondents": [f"< {K}" if v is None else v for _, v in rows],
        }
    )
    text = word.figures_say(table, K)
    check_sentence(text, table.assign(Respondents=table["Respondents"].astype(str)))


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (pd.DataFrame({"Region": [], "Respondents": []}), "no rows for the filters"),
        (pd.DataFrame({"Region": ["Africa"], "Respondents": ["< 5"]}), "all of them hidden"),
        (pd.DataFrame({"Day": ["2020-01-14"], "Responses": [7]}), "The table has 1 row."),
        (
            pd.DataFrame(
                {"Theme": ["a", "a", "b"], "Region": ["X", "Y", "X"], "Respondents": [9, 12, "< 5"]}
            ),
            "The most respondents are in a, Y: 12, 57% of the 21 summed over the 2 rows shown.",
        ),
    ],
)
def test_the_sentence_for_each_kind_of_table(table: pd.DataFrame, expected: str) -> None:
    assert expected in word.figures_say(table, K)
