"""Compare (issue 17, item 1): segments side by side on the page and in `export --compare`.

A segment's column is exactly what the single-segment pages show for its filters; shares and
differences come from released figures only, and a hidden count hides them. (The attacker over
random segment pairs is in tests/test_perturbation.py.)"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli
from dashboard.coding import tagging
from dashboard.protection import perturbation, privacy
from dashboard.publish import charts, compare
from dashboard.store import database, queries
from dashboard.store.queries import Filters

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "web" / "app.py")
CONSULTATION = "civic-space-2020"
K = 5


@pytest.fixture(scope="module")
def store(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    copy = tmp_path_factory.mktemp("compare") / "sample.duckdb"
    shutil.copy(sample_db, copy)
    con = database.connect(copy)
    yield con
    con.close()


def segment(con: duckdb.DuckDBPyConnection, filters: Filters) -> compare.Segment:
    consultation = database.get_consultation(con, CONSULTATION)
    return compare.Segment(consultation, filters, tagging.get_codebook(con, CONSULTATION))


# --- the comparison itself ----------------------------------------------------------------------


def test_shares_and_differences_come_from_released_figures_and_hide_with_them() -> None:
    a = pd.DataFrame({"region": ["Africa", "Europe", "Oceania"], "respondents": [40, 50, 10]})
    b = pd.DataFrame(
        {
            "region": ["Africa", "Europe", "Oceania"],
            "respondents": pd.array([30, None, 10], "Int64"),
        }
    )
    b.attrs["k"] = K
    table = compare.compare([a, b], [100, 50], "region")
    assert table["count_0"].tolist() == [40, 50, 10]
    assert table["share_0"].tolist() == [0.4, 0.5, 0.1]
    assert table["share_1"].iloc[0] == pytest.approx(0.6)
    assert table["points_1"].iloc[0] == pytest.approx(20.0)
    # Europe's count is hidden in B: its share and its difference are hidden too.
    assert pd.isna(table["count_1"].iloc[1]) and pd.isna(table["share_1"].iloc[1])
    assert pd.isna(table["points_1"].iloc[1])
    assert table["points_1"].iloc[2] == pytest.approx(10.0)
    # A segment of fewer than k (no released total): no share at all.
    hidden_total = compare.compare([a, b], [100, None], "region")
    assert hidden_total["share_1"].isna().all() and hidden_total["points_1"].isna().all()
    # A row only one segment lists counts 0 in the other (the statement lists none there).
    c = pd.DataFrame({"region": ["Americas"], "respondents": [5]})
    table = compare.compare([a, c], [100, 5], "region")
    assert table["region"].tolist() == ["Africa", "Europe", "Oceania", "Americas"]
    assert table["count_0"].tolist() == [40, 50, 10, 0]
    assert table["points_1"].iloc[3] == pytest.approx(100.0)
    with pytest.raises(ValueError):
        compare.compare([a], [100], "region")


def test_the_table_marks_hidden_counts_and_shares(store) -> None:
    segments = [segment(store, Filters()), segment(store, Filters(regions=("Oceania",)))]
    a = pd.DataFrame(
        {"region": ["Africa", "Oceania"], "respondents": pd.array([40, None], "Int64")}
    )
    a.attrs["k"] = K
    b = pd.DataFrame({"region": ["Africa", "Oceania"], "respondents": [0, 20]})
    table = compare.compare([a, b], [100, 20], "region")
    shown = compare.numbers(table, compare.BY_SLUG["regions"], segments)
    assert list(shown.columns) == [
        "Region (M49)",
        "Segment A: Respondents",
        "Segment A: share (%)",
        "Segment B: Respondents",
        "Segment B: share (%)",
        "Segment B − Segment A (points)",
    ]
    assert shown.iloc[0].tolist() == ["Africa", 40, 40.0, 0, 0.0, -40.0]
    assert shown.iloc[1].tolist() == ["Oceania", "< 5", "–", 20, 100.0, "–"]
    text = compare.numbers(table, compare.BY_SLUG["regions"], segments, as_text=True)
    assert text.iloc[0].tolist() == ["Africa", "40", "40.0%", "0", "0.0%", "−40.0"]


def test_comparison_bars_draw_one_bar_per_segment_and_no_hidden_share() -> None:
    frame = pd.DataFrame(
        {
            "language": ["ar", "es"],
            "share_0": pd.array([0.25, 0.75], "Float64"),
            "share_1": pd.array([None, 0.5], "Float64"),
        }
    )
    frame.attrs["k"] = K
    fig = charts.comparison_bars(
        frame, "language", ["Segment A", "Segment B"], title="Languages",
        labels={"ar": "Arabic", "es": "Spanish"},
    )  # fmt: skip
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars] == ["Segment A", "Segment B"]
    assert list(bars[0].y) == ["Arabic", "Spanish"]
    assert list(bars[0].x) == [25.0, 75.0] and list(bars[0].text) == ["25.0%", "75.0%"]
    # The hidden share sends no number to the browser: no length, "< k" as its label
    # (escaped, as Plotly reads HTML in labels).
    assert list(bars[1].x) == [0.0, 50.0] and list(bars[1].text) == ["&lt; 5", "50.0%"]
    assert fig.layout.barmode == "group" and fig.layout.title.text == "Languages"
    assert bars[0].marker.color != bars[1].marker.color
    # Room after the longest bar (75%), and never a share axis past 100.
    assert tuple(fig.layout.xaxis.range) == (0, 90.0)
    whole = frame.assign(share_0=pd.array([1.0, 0.0], "Float64"))
    assert tuple(
        charts.comparison_bars(whole, "language", ["A", "B"], title="L").layout.xaxis.range
    ) == (0, 100.0)
    everything_hidden = frame.assign(share_0=pd.array([None, None], "Float64"), share_1=None)
    hidden = charts.comparison_bars(everything_hidden, "language", ["A", "B"], title="L")
    assert not [t for t in hidden.data if t.type == "bar"]
    assert "below 5" in hidden.layout.annotations[0].text


def test_a_segment_is_read_as_the_filter_options_are() -> None:
    consultation, filters = cli.parse_segment(
        "language=ar; country=fra;country=SEN; stakeholder-type=NGO; from=2020-01-15"
    )
    assert consultation is None
    assert filters.languages == ("ar",) and filters.countries == ("FRA", "SEN")
    assert filters.stakeholder_types == ("NGO",) and str(filters.date_from) == "2020-01-15"
    assert cli.parse_segment("all") == (None, Filters())
    assert cli.parse_segment("consultation=other;region=Africa")[0] == "other"
    for bad in ("language", "colour=red", "from=yesterday", "to=2020-01-01;to=2020-01-02"):
        with pytest.raises(cli.SegmentError):
            cli.parse_segment(bad)


# --- a segment's figures are its single-segment figures ----------------------------------------


def single(con, filters: Filters, name: str, **parameters) -> pd.DataFrame:
    """What the single-segment page releases for these filters (data.protected_table's steps)."""
    frame = queries.frame(con, name, {**filters.params(CONSULTATION), **parameters})
    return privacy.protect(name, frame, K, perturbed=perturbation.is_filtered(filters))


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_export_compare_writes_the_pages_figures_and_is_audited(
    sample_copy: Path, tmp_path
) -> None:
    out = tmp_path / "comparison"
    status = cli.main(
        [
            "export", "--consultation", CONSULTATION, "--compare", "--out", str(out),
            "--segment", "language=ar", "--segment", "language=fr;region=Africa",
            "--db", str(sample_copy),
        ]
    )  # fmt: skip
    assert status == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"compare-{b.slug}.{suffix}" for b in compare.BREAKDOWNS for suffix in ("csv", "xlsx")
    )
    con = database.connect(sample_copy, read_only=True)
    try:
        a, b = Filters(languages=("ar",)), Filters(languages=("fr",), regions=("Africa",))
        rows = csv_rows(out / "compare-regions.csv")
        assert rows[0] == [
            "Region (M49)", "Segment A: Respondents", "Segment A: share (%)",
            "Segment B: Respondents", "Segment B: share (%)", "Segment B − Segment A (points)",
        ]  # fmt: skip
        table = rows[1 : rows.index([])]
        totals = [perturbation.totals(con, CONSULTATION, f, K).respondents for f in (a, b)]
        for column, filters, total in ((1, a, totals[0]), (3, b, totals[1])):
            expected = single(con, filters, "by_region")
            released = {r: ("< 5" if pd.isna(v) else str(v)) for r, v in
                        zip(expected["region"], expected["respondents"], strict=True)}  # fmt: skip
            shown = {row[0]: row[column] for row in table}
            # A row its own page does not list (nobody there): 0 in the comparison.
            assert shown == {**{region: "0" for region in shown}, **released}
            for row in table:
                if row[column] != "< 5" and total is not None:
                    assert float(row[column + 1]) == round(int(row[column]) / total * 100, 1)
                else:
                    assert row[column + 1] == "–"
        # Africa only in B: A's other regions count in B as 0.
        europe = next(row for row in table if row[0] == "Europe")
        assert europe[3] == "0" and europe[4] == "0.0"
        footer = "\n".join(r[0] for r in rows[rows.index([]) + 1 :])
        assert "Segment A: " in footer and "filters: language: Arabic" in footer
        assert "Totals under filters are perturbed" in footer
        (entry,) = con.execute("SELECT details FROM audit_log WHERE action = 'export'").fetchall()
    finally:
        con.close()
    details = json.loads(entry[0])
    assert details["segments"] == [
        f"{CONSULTATION}: language: ar",
        f"{CONSULTATION}: region: Africa; language: fr",
    ]
    assert details["exact"] is False


def test_export_compare_refuses_a_wrong_number_of_segments(sample_db: Path, tmp_path, capsys):
    base = ["export", "--consultation", CONSULTATION, "--out", str(tmp_path), "--compare"]
    assert cli.main([*base, "--segment", "language=ar", "--db", str(sample_db)]) == 2
    assert "needs 2 to 4 --segment" in capsys.readouterr().err
    assert cli.main([*base, "--segment", "colour=red", "--segment", "all",
                     "--db", str(sample_db)]) == 2  # fmt: skip
    assert "is not KEY=VALUE" in capsys.readouterr().err


@pytest.fixture
def page(sample_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DASHBOARD_DB", str(sample_db))

    def open_page(name: str, **query: str | list[str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(f"views/{name}.py").run()
        assert not at.exception, at.exception
        return at

    return open_page


def table_with(at: AppTest, first: str, column: str) -> dict[str, str]:
    for table in at.table:
        frame = table.value
        if list(frame.columns)[:1] == [first] and column in frame.columns:
            return {
                str(r): str(v).replace(",", "")
                for r, v in zip(frame[first], frame[column], strict=True)
            }
    raise AssertionError(f"no table with {first!r} and {column!r}")


def test_the_page_shows_each_segment_as_its_own_pages_do(page) -> None:
    """Arabic against Spanish speakers, figures protected (perturbed: both are filtered): each
    segment's column is the Regions and Languages pages' column for the same filter, and its
    total the Overview's."""
    at = page("compare", **{"s1-language": "ar", "s2-language": "es"})
    assert at.title[0].value == "Compare" and not at.error
    headers = [h.value for h in at.header if h.value != "Filters"]  # the sidebar's
    assert headers == ["Regions", "Languages", "Themes", "Questions", "Codes", "Timeline"]
    comparison = {
        "regions": table_with(at, "Region (M49)", "Segment A: Respondents"),
        "regions B": table_with(at, "Region (M49)", "Segment B: Respondents"),
        "languages B": table_with(at, "Language", "Segment B: Respondents"),
    }
    metrics = {m.label: m.value for m in at.metric}
    for language, key in (("ar", "regions"), ("es", "regions B")):
        regions = page("regions", language=language)
        alone = table_with(regions, "Region (M49)", "Respondents")
        assert comparison[key] == alone
        overview = page("overview", language=language)
        total = next(m.value for m in overview.metric if m.label == "Respondents")
        segment_name = "Segment A" if language == "ar" else "Segment B"
        assert metrics[f"{segment_name}: respondents"] == total
    languages = page("languages", language="es")
    alone = table_with(languages, "Language", "Respondents")
    assert {k: v for k, v in comparison["languages B"].items() if k in alone} == {
        k: v for k, v in alone.items() if k in comparison["languages B"]
    }
    # Spanish speakers' Arabic row: nobody, 0 (not hidden), share 0.
    assert comparison["languages B"]["Arabic (ar)"] == "0"


def test_viewers_cannot_open_the_page() -> None:
    from dashboard.web import roles

    assert roles.PAGE_ROLES["compare.py"] == "analyst"
