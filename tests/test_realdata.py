"""Real exports that nobody on this project wrote, imported through the CLI.

Each test adds a consultation from ``tests/realdata_defs/``, imports one or more files of
``../shared/realdata/`` (see its SOURCES.md) with ``dashboard.cli.main`` into a temporary store,
and checks the figures that ``summary --json`` and the store give against figures computed here
from the files themselves, with the csv module and python-calamine only: no importer code.
"""

from __future__ import annotations

import csv
import json
import tomllib
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from python_calamine import CalamineWorkbook

from dashboard import cli
from dashboard.store import database
from tests.conftest import store_snapshot

pytestmark = pytest.mark.realdata

DEFS = Path(__file__).resolve().parent / "realdata_defs"
BRUSSELS = ZoneInfo("Europe/Brussels")

# ------------------------------------------------------------------------------- helpers


class CliStore:
    """A temporary store driven through ``dashboard.cli.main``, stdout captured by capsys."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def run(self, *args: object) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = cli.main([*map(str, args), "--db", str(self.db)])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def add(self, definition: str) -> str:
        code, _out, err = self.run("consultation", "add", DEFS / definition)
        assert code == 0, err
        return _toml(definition)["id"]

    def import_files(
        self, consultation: str, *files: Path, mapping: str | None = None
    ) -> tuple[int, str, str]:
        extra = ["--mapping", DEFS / mapping] if mapping else []
        return self.run("import", "--consultation", consultation, *extra, *files)

    def import_ok(self, consultation: str, *files: Path, mapping: str | None = None) -> str:
        code, out, err = self.import_files(consultation, *files, mapping=mapping)
        assert code == 0, err
        assert not err
        return out

    def summary(self, consultation: str) -> dict:
        code, out, err = self.run("summary", "--consultation", consultation, "--json")
        assert code == 0, err
        return json.loads(out)

    def query(self, sql: str, **params: object) -> list[tuple]:
        con = database.connect(self.db)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()


@pytest.fixture
def cli_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> CliStore:
    return CliStore(tmp_path / "realdata.duckdb", capsys)


def _toml(name: str) -> dict:
    with (DEFS / name).open("rb") as handle:
        return tomllib.load(handle)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def first_sheet(path: Path) -> tuple[list[str], list[list[object]]]:
    """Headers and non-empty data rows of a workbook's first sheet, as calamine reads them."""
    workbook = CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python(skip_empty_area=True)
    rows = [row for row in rows if not all(blank(v) for v in row)]
    return [str(h) for h in rows[0]], rows[1:]


def csv_sheet(path: Path) -> tuple[list[str], list[list[object]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if not all(blank(v) for v in row)]
    return rows[0], rows[1:]


def nonzero(breakdown: dict[str, dict[str, int]], figure: str = "respondents") -> dict:
    return {key: counts[figure] for key, counts in breakdown.items() if counts[figure]}


def day(stamp: datetime) -> str:
    return stamp.astimezone(UTC).date().isoformat()


def question_texts(definition: str) -> set[str]:
    return {q["text"]["en"] for q in _toml(definition)["questions"]}


def responses_in(headers: list[str], rows: Iterable[list[object]], texts: set[str]) -> int:
    matched = [i for i, header in enumerate(headers) if header in texts]
    assert matched, "no column of the export is headed like a question of the definition"
    return sum(1 for row in rows for i in matched if not blank(row[i]))


# ------------------------------------------------------------------------- Have your say

# M49 regions, written by hand for every ISO3 code the two "Have your say" files use (UN
# Statistics Division, "Standard country or area codes": Cyprus and Türkiye are Western Asia).
HYS_REGIONS = {
    **dict.fromkeys(
        ["ALB", "AUT", "BEL", "BGR", "CHE", "CZE", "DEU", "DNK", "ESP", "FIN", "FRA", "GBR",
         "GRC", "HRV", "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "NOR", "POL",
         "PRT", "ROU", "SVK", "SWE"],
        "Europe",
    ),
    **dict.fromkeys(["CHN", "CYP", "IND", "IRQ", "JPN", "KOR", "TUR"], "Asia"),
    **dict.fromkeys(["BRA", "CAN", "CRI", "USA"], "Americas"),
    "CIV": "Africa",
}  # fmt: skip


def hys_region(code: str) -> str:
    if blank(code):
        return "Unknown"
    assert code in HYS_REGIONS, f"add {code} to HYS_REGIONS"
    return HYS_REGIONS[code]


def brussels(naive: str) -> datetime:
    """A "Have your say" time: Brussels local time written without an offset."""
    return datetime.strptime(naive, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BRUSSELS)


def test_have_your_say_ai_act_figures(cli_store, realdata):
    path = realdata / "have-your-say" / "ai-act-2021__feedbacks.csv"
    rows = read_csv(path)
    consultation = cli_store.add("hys-ai-act-2021.toml")
    cli_store.import_ok(consultation, path)
    result = cli_store.summary(consultation)

    answered = [r for r in rows if not blank(r["feedback"])]
    assert (len(rows), len(answered)) == (304, 303)
    assert result["respondents"] == len(rows)
    assert result["responses"] == len(answered)
    assert result["by_theme"] == {"ai-act": {"respondents": 303, "responses": 303}}

    languages = nonzero(result["by_language"])
    assert languages == dict(Counter(r["language"] for r in rows))
    assert (languages["en"], languages["fr"], languages["de"]) == (266, 12, 11)

    regions = nonzero(result["by_region"])
    assert regions == dict(Counter(hys_region(r["country"]) for r in rows))
    assert regions == {"Europe": 273, "Americas": 26, "Asia": 5}
    assert sum(regions.values()) == 304
    assert nonzero(result["by_region"], "responses") == dict(
        Counter(hys_region(r["country"]) for r in answered)
    )

    times = [brussels(r["date_feedback"]) for r in rows]
    assert nonzero(result["by_day"]) == dict(Counter(map(day, times)))
    assert "Unknown" not in result["by_day"]
    definition = _toml("hys-ai-act-2021.toml")
    assert {k: v["respondents"] for k, v in result["window"].items()} == {
        "before": sum(1 for t in times if t < definition["opens"]),
        "during": sum(1 for t in times if definition["opens"] <= t <= definition["closes"]),
        "after": sum(1 for t in times if t > definition["closes"]),
    }

    # The text is kept as written: newlines inside quotes, 4,000-character cap, no trimming.
    stored = dict(cli_store.query("SELECT respondent_id, answer FROM responses"))
    assert stored == {r["id"]: r["feedback"] for r in answered}
    stakeholders = cli_store.query(
        "SELECT stakeholder_type, count(*) FROM respondents GROUP BY ALL"
    )
    assert dict(stakeholders) == dict(Counter(r["user_type"] for r in rows))


def test_have_your_say_rows_versus_the_platforms_published_totals(cli_store, realdata):
    """The platform's own totals leave out the one REJECTED feedback (GBR, ngo, no text); the
    store counts every row of the export, so GBR has 20 respondents where the site says 19."""
    folder = realdata / "have-your-say"
    rows = read_csv(folder / "ai-act-2021__feedbacks.csv")
    published = [r for r in rows if r["status"] == "PUBLISHED"]
    consultation = cli_store.add("hys-ai-act-2021.toml")
    cli_store.import_ok(consultation, folder / "ai-act-2021__feedbacks.csv")

    by_country = dict(
        cli_store.query("SELECT country_iso3, count(*) FROM respondents GROUP BY ALL")
    )
    assert by_country == dict(Counter(r["country"] for r in rows))
    site_countries = {
        r["country"]: int(r["n_responses"]) for r in read_csv(folder / "ai-act-2021__countries.csv")
    }
    site_categories = {
        r["category"]: int(r["n_responses"])
        for r in read_csv(folder / "ai-act-2021__categories.csv")
    }
    assert site_countries == dict(Counter(r["country"] for r in published))
    assert site_categories == dict(Counter(r["user_type"] for r in published))
    assert (by_country["GBR"], site_countries["GBR"]) == (20, 19)
    rejected = [r["id"] for r in rows if r["status"] != "PUBLISHED"]
    assert cli_store.query(
        "SELECT country_iso3, stakeholder_type FROM respondents WHERE respondent_id = $id",
        id=rejected[0],
    ) == [("GBR", "ngo")]


def test_have_your_say_same_file_again_changes_nothing(cli_store, realdata):
    path = realdata / "have-your-say" / "ai-act-2021__feedbacks.csv"
    consultation = cli_store.add("hys-ai-act-2021.toml")
    cli_store.import_ok(consultation, path)
    before = store_snapshot(cli_store.db)

    code, out, err = cli_store.import_files(consultation, path)

    assert code == 0, err
    assert "already imported" in out
    assert "nothing added" in out
    assert store_snapshot(cli_store.db) == before
    assert cli_store.summary(consultation)["respondents"] == 304


def test_have_your_say_white_paper_without_feedback_text(cli_store, realdata):
    path = realdata / "have-your-say" / "ai-white-paper-2020__feedbacks.csv"
    rows = read_csv(path)
    consultation = cli_store.add("hys-ai-white-paper-2020.toml")
    cli_store.import_ok(consultation, path)
    result = cli_store.summary(consultation)

    blank_countries = sum(1 for r in rows if blank(r["country"]))
    assert "feedback" not in rows[0]
    assert (len(rows), blank_countries) == (1216, 460)
    assert result["respondents"] == 1216
    assert result["responses"] == 0
    regions = nonzero(result["by_region"])
    assert regions == dict(Counter(hys_region(r["country"]) for r in rows))
    assert regions["Unknown"] == blank_countries
    assert sum(regions.values()) == 1216
    assert nonzero(result["by_language"]) == dict(Counter(r["language"] for r in rows))


def white_paper_window(realdata: Path) -> tuple[datetime, datetime]:
    """Initiative 12527's window in consultation-windows.csv, as whole days in Brussels."""
    windows = read_csv(realdata / "have-your-say" / "consultation-windows.csv")
    (row,) = [r for r in windows if r["initiative_id"] == "12527"]
    assert row["consultation_period"] == "20 February 2020 - 14 June 2020"
    assert int(row["total_feedback"]) == 1216
    opens = datetime.strptime(row["consultation_start_date"], "%d %B %Y")
    closes = datetime.strptime(row["consultation_end_date"], "%d %B %Y")
    return (
        opens.replace(tzinfo=BRUSSELS),
        (closes + timedelta(days=1, seconds=-1)).replace(tzinfo=BRUSSELS),
    )


def check_white_paper_window(cli_store: CliStore, realdata: Path, consultation: str) -> None:
    rows = read_csv(realdata / "have-your-say" / "ai-white-paper-2020__feedbacks.csv")
    opens, closes = white_paper_window(realdata)
    definition = _toml("hys-ai-white-paper-2020.toml")
    assert (definition["opens"], definition["closes"]) == (opens, closes)
    times = [brussels(r["date_feedback"]) for r in rows]
    expected = {
        "before": sum(1 for t in times if t < opens),
        "during": sum(1 for t in times if opens <= t <= closes),
        "after": sum(1 for t in times if t > closes),
    }
    assert (expected["before"], expected["after"]) == (13, 62)  # as SOURCES.md says

    result = cli_store.summary(consultation)
    assert {k: v["respondents"] for k, v in result["window"].items()} == expected
    assert nonzero(result["by_day"]) == dict(Counter(map(day, times)))


def test_have_your_say_white_paper_window_detected(cli_store, realdata):
    path = realdata / "have-your-say" / "ai-white-paper-2020__feedbacks.csv"
    consultation = cli_store.add("hys-ai-white-paper-2020.toml")
    cli_store.import_ok(consultation, path)
    check_white_paper_window(cli_store, realdata, consultation)


def test_have_your_say_white_paper_window_with_a_mapping(cli_store, realdata):
    path = realdata / "have-your-say" / "ai-white-paper-2020__feedbacks.csv"
    consultation = cli_store.add("hys-ai-white-paper-2020.toml")
    cli_store.import_ok(consultation, path, mapping="have-your-say.mapping.toml")
    check_white_paper_window(cli_store, realdata, consultation)
    ids = {row[0] for row in cli_store.query("SELECT respondent_id FROM respondents")}
    assert ids == {r["id"] for r in read_csv(path)}


# ---------------------------------------------------------------------------------- Polis

POLIS = [
    pytest.param("brexit-consensus", "", id="brexit-consensus"),
    pytest.param("london-youth-policing", "", id="london-youth-policing"),
    pytest.param("vtaiwan-uberx", "", id="vtaiwan-uberx"),
    pytest.param("bg2050-volunteers", "", id="bg2050-volunteers-newest-format"),
    *(
        pytest.param("austria-klimarat", conversation, id=f"austria-klimarat-{conversation}")
        for conversation in ("2vkxcncppn", "5twd2jsnkf", "5tzfrp5eaa", "7z7ejpbmv5", "9xnndurbfm")
    ),
]


def epoch_ms(value: str) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, UTC)


@pytest.mark.parametrize(("folder", "conversation"), POLIS)
def test_polis_comments_then_votes(cli_store, realdata, folder, conversation):
    stem = f"*{conversation}*" if conversation else "*"
    (comments_path,) = sorted((realdata / "polis" / folder).glob(f"{stem}__comments.csv"))
    votes_paths = sorted((realdata / "polis" / folder).glob(f"{stem}__votes.csv"))
    comments = read_csv(comments_path)
    votes = [row for path in votes_paths for row in read_csv(path)]
    # The export formats this test is meant to cover: `datetime` only before the newest.
    assert ("datetime" in comments[0]) == (folder != "bg2050-volunteers")
    assert folder == "austria-klimarat" or len(votes_paths) == 1

    consultation = cli_store.add("polis-conversation.toml")
    cli_store.import_ok(consultation, comments_path, *votes_paths)
    result = cli_store.summary(consultation)

    answered = [c for c in comments if not blank(c["comment-body"])]
    authors = {c["author-id"] for c in comments}
    voters = {v["voter-id"] for v in votes}
    assert result["respondents"] == len(authors | voters)
    assert result["responses"] == len(answered)
    stored = Counter(cli_store.query("SELECT respondent_id, answer FROM responses"))
    assert stored == Counter((c["author-id"], c["comment-body"]) for c in answered)

    # A respondent's time is their earliest over every import (schema.sql): the first comment
    # or the first vote, whichever came first.
    first: dict[str, datetime] = {}
    for rows, who in ((votes, "voter-id"), (comments, "author-id")):
        for row in rows:
            stamp = epoch_ms(row["timestamp"])
            first[row[who]] = min(first.get(row[who], stamp), stamp)

    assert "Unknown" not in result["by_day"]
    response_days = Counter(day(epoch_ms(c["timestamp"])) for c in answered)
    respondent_days = Counter(map(day, first.values()))
    assert set(result["by_day"]) == set(response_days) | set(respondent_days)
    assert nonzero(result["by_day"], "responses") == dict(response_days)
    assert nonzero(result["by_day"]) == dict(respondent_days)


# ------------------------------------------------------------------ KoboToolbox, Google Forms

KOBO = [
    "DemoProjectDownloadedData_repeatgroup",
    "Meeting_Form_nested_repeats_geopoint",
    "Platform_Test_rank_groups",
]


@pytest.mark.parametrize("name", KOBO)
def test_kobotoolbox_xlsx(cli_store, realdata, name):
    path = realdata / "kobo-googleforms" / f"kobo_{name}.xlsx"
    headers, rows = first_sheet(path)
    consultation = cli_store.add("kobotoolbox.toml")
    cli_store.import_ok(consultation, path)
    result = cli_store.summary(consultation)

    assert result["respondents"] == len(rows)
    assert result["responses"] == responses_in(headers, rows, question_texts("kobotoolbox.toml"))
    # `_submission_time` is UTC, written without an offset; `start`/`end` are the device's.
    uuid, submitted = headers.index("_uuid"), headers.index("_submission_time")
    expected = {row[uuid]: row[submitted].replace(tzinfo=UTC) for row in rows}
    stored = dict(cli_store.query("SELECT respondent_id, submitted_at FROM respondents"))
    assert stored == expected
    assert nonzero(result["by_day"]) == dict(Counter(map(day, expected.values())))


# Zone abbreviations the Google Forms CSV export writes after its times.
GOOGLE_ZONES = {"CET": timezone(timedelta(hours=1)), "CEST": timezone(timedelta(hours=2))}


def google_csv_time(text: str) -> datetime:
    stamp, zone = text.rsplit(" ", 1)
    return datetime.strptime(stamp, "%Y/%m/%d %I:%M:%S %p").replace(tzinfo=GOOGLE_ZONES[zone])


@pytest.mark.parametrize(
    "file_name",
    [
        "googleforms_export_Kobo_Test.csv",
        "googleforms_KoboTest_Responses_New.xlsx",
        "googleforms_GoogleDemoForm_Responses.xlsx",
    ],
)
def test_google_forms(cli_store, realdata, file_name):
    path = realdata / "kobo-googleforms" / file_name
    headers, rows = csv_sheet(path) if path.suffix == ".csv" else first_sheet(path)
    consultation = cli_store.add("google-forms.toml")
    cli_store.import_ok(consultation, path)
    result = cli_store.summary(consultation)

    assert result["respondents"] == len(rows)
    assert result["responses"] == responses_in(headers, rows, question_texts("google-forms.toml"))
    stamps = [row[headers.index("Timestamp")] for row in rows]
    if path.suffix == ".csv":
        expected = [google_csv_time(s) for s in stamps]
        assert stamps[0] == "2023/11/13 4:20:37 pm CET"
        assert expected[0] == datetime(2023, 11, 13, 15, 20, 37, tzinfo=UTC)
    else:
        # Workbook cells carry no zone: they are read in the consultation's (Europe/Berlin).
        zone = ZoneInfo(_toml("google-forms.toml")["timezone"])
        expected = [s.replace(tzinfo=zone) for s in stamps]
    stored = [row[0] for row in cli_store.query("SELECT submitted_at FROM respondents")]
    assert sorted(stored) == sorted(expected)
    assert nonzero(result["by_day"]) == dict(Counter(map(day, expected)))


# ------------------------------------------------------------------------------- platforms


@pytest.mark.parametrize(
    ("definition", "files", "platforms"),
    [
        pytest.param(
            "hys-ai-act-2021.toml", ["have-your-say/ai-act-2021__feedbacks.csv"],
            ["have-your-say"], id="have-your-say",
        ),
        pytest.param(
            "hys-ai-white-paper-2020.toml", ["have-your-say/ai-white-paper-2020__feedbacks.csv"],
            ["have-your-say"], id="have-your-say-no-feedback-column",
        ),
        pytest.param(
            "polis-conversation.toml",
            ["polis/brexit-consensus/brexit-consensus__comments.csv",
             "polis/brexit-consensus/brexit-consensus__votes.csv"],
            ["polis-comments", "polis-votes"], id="polis",
        ),
        pytest.param(
            "polis-conversation.toml",
            ["polis/bg2050-volunteers/bg2050-volunteers__comments.csv",
             "polis/bg2050-volunteers/bg2050-volunteers__votes.csv"],
            ["polis-comments", "polis-votes"], id="polis-newest-format",
        ),
        pytest.param(
            "kobotoolbox.toml", [f"kobo-googleforms/kobo_{name}.xlsx" for name in KOBO],
            ["kobotoolbox"] * len(KOBO), id="kobotoolbox",
        ),
        pytest.param(
            "google-forms.toml",
            ["kobo-googleforms/googleforms_export_Kobo_Test.csv",
             "kobo-googleforms/googleforms_KoboTest_Responses_New.xlsx"],
            ["google-forms", "google-forms"], id="google-forms",
        ),
        pytest.param(
            "limesurvey-rse-2018.toml", ["limesurvey-rse/public_data_2018.csv"], ["generic"],
            id="limesurvey-is-generic",
        ),
    ],
)  # fmt: skip
def test_detected_platform_is_recorded(cli_store, realdata, definition, files, platforms):
    consultation = cli_store.add(definition)
    paths = [realdata / f for f in files]
    mapping = "limesurvey-rse-2018.mapping.toml" if definition.startswith("limesurvey") else None
    # One import per file (by default several files are one import), so each records its own.
    cli_store.import_ok(consultation, "--separately", *paths, mapping=mapping)
    recorded = cli_store.query("SELECT file_name, platform FROM imports ORDER BY import_id")
    assert recorded == [(p.name, platform) for p, platform in zip(paths, platforms, strict=True)]


# ------------------------------------------------------------------------------ LimeSurvey

# M49 regions of every country name the RSE survey uses, checked by hand.
RSE_REGIONS = {
    **dict.fromkeys(
        ["Germany", "United Kingdom of Great Britain and Northern Ireland", "Netherlands",
         "Norway", "Czech Republic", "France", "Italy", "Spain", "Belgium", "Denmark", "Ireland",
         "Sweden", "Switzerland", "Greece", "Russian Federation", "Portugal", "Poland"],
        "Europe",
    ),
    **dict.fromkeys(["United States of America", "Canada", "Brazil"], "Americas"),
    **dict.fromkeys(["Australia", "New Zealand"], "Oceania"),
    **dict.fromkeys(
        ["South Africa", "Botswana", "Ethiopia", "Mauritius", "Benin", "Malawi", "Nigeria"],
        "Africa",
    ),
    **dict.fromkeys(["Japan", "India", "Turkey", "Saudi Arabia"], "Asia"),
}  # fmt: skip


def test_limesurvey_with_a_mapping(cli_store, realdata):
    path = realdata / "limesurvey-rse" / "public_data_2018.csv"
    headers, rows = csv_sheet(path)
    mapping = _toml("limesurvey-rse-2018.mapping.toml")
    (country_header,) = [h for h in headers if h.startswith("socio1._.")]
    assert mapping["columns"]["country"] == country_header
    assert (len(rows), len(headers)) == (997, 707)

    consultation = cli_store.add("limesurvey-rse-2018.toml")
    cli_store.import_ok(consultation, path, mapping="limesurvey-rse-2018.mapping.toml")
    result = cli_store.summary(consultation)

    assert result["respondents"] == 997
    countries = [row[headers.index(country_header)] for row in rows]
    expected = Counter(RSE_REGIONS.get(c.strip(), "Unknown") for c in countries)
    regions = nonzero(result["by_region"])
    assert regions == dict(expected)
    assert regions == {"Europe": 665, "Americas": 162, "Oceania": 136, "Africa": 30, "Asia": 4}
    assert regions.get("Unknown", 0) == expected["Unknown"]
    assert sum(regions.values()) == 997
    assert result["responses"] == responses_in(headers, rows, set(mapping["questions"]))

    # LimeSurvey writes the server's local time without an offset; the consultation says UTC.
    started = headers.index(mapping["columns"]["submitted_at"])
    times = [datetime.fromisoformat(row[started]).replace(tzinfo=UTC) for row in rows]
    assert nonzero(result["by_day"]) == dict(Counter(map(day, times)))
    assert {k: v["respondents"] for k, v in result["window"].items()} == {
        "before": 0,
        "during": 997,
        "after": 0,
    }


# ---------------------------------------------------------------------- pandas deprecations


@pytest.mark.filterwarnings("error::pandas.errors.Pandas4Warning")
def test_export_without_country_or_language_column_imports_without_deprecation(cli_store, realdata):
    path = realdata / "kobo-googleforms" / "googleforms_export_Kobo_Test.csv"
    consultation = cli_store.add("google-forms.toml")
    cli_store.import_ok(consultation, path)
    result = cli_store.summary(consultation)
    assert nonzero(result["by_region"]) == {"Unknown": len(csv_sheet(path)[1])}
    assert nonzero(result["by_language"]) == {"und": 5}
