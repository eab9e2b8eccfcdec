"""Dates decided with evidence: the order of 7/10/14 (mapping, values, platform, window), offsets
written as people write them, and the validation report saying which reading was taken."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dashboard.definition.consultation import ConsultationError, parse_consultation
from dashboard.importer import pipeline, platforms
from dashboard.importer.mapping import Mapping, MappingError, parse_mapping
from dashboard.importer.normalise import date_order_note, parse_times
from dashboard.reference import zones
from tests.test_consultation import EXAMPLE

MARCH = (pd.Timestamp("2020-03-01T00:00Z"), pd.Timestamp("2020-03-31T23:59Z"))
APRIL = (pd.Timestamp("2020-04-01T00:00Z"), pd.Timestamp("2020-04-30T23:59Z"))
YEAR_2020 = (pd.Timestamp("2020-01-01T00:00Z"), pd.Timestamp("2020-12-31T23:59Z"))
JULY = (pd.Timestamp("2014-07-01T00:00Z"), pd.Timestamp("2014-07-31T23:59Z"))


def _parse(values: list[str], zone: str = "UTC", **options):
    return parse_times(pd.Series(values, dtype=object), zone, **options)


# (values, options, order taken, reason, ambiguous rows, UTC instants read (None: unreadable))
DECISIONS = [
    pytest.param(
        ["13/01/2020 10:00", "03/04/2020"], {}, "dmy", "values", 1,
        ["2020-01-13T10:00Z", "2020-04-03T00:00Z"], id="first-over-12-means-day-first",
    ),
    pytest.param(
        ["01/13/2020", "03/04/2020"], {}, "mdy", "values", 1,
        ["2020-01-13T00:00Z", "2020-03-04T00:00Z"], id="second-over-12-means-month-first",
    ),
    pytest.param(
        ["13/01/2020", "03/04/2020"], {"platform_order": "mdy", "window": MARCH}, "dmy",
        "values", 1, ["2020-01-13T00:00Z", "2020-04-03T00:00Z"], id="values-beat-platform",
    ),
    pytest.param(
        ["03/04/2020"], {"platform_order": "mdy"}, "mdy", "platform", 1,
        ["2020-03-04T00:00Z"], id="platform-when-values-cannot-tell",
    ),
    pytest.param(
        ["03/04/2020"], {"platform_order": "dmy", "window": MARCH}, "dmy", "platform", 1,
        ["2020-04-03T00:00Z"], id="platform-beats-window",
    ),
    pytest.param(
        ["03/04/2020", "03/05/2020"], {"window": MARCH}, "mdy", "window", 2,
        ["2020-03-04T00:00Z", "2020-03-05T00:00Z"], id="window-march-month-first",
    ),
    pytest.param(
        ["03/04/2020", "03/05/2020"], {"window": APRIL}, "dmy", "window", 2,
        ["2020-04-03T00:00Z", "2020-05-03T00:00Z"], id="window-april-day-first",
    ),
    pytest.param(
        # Neither reading puts 02/06/2020 inside March: 6 Feb is closer than 2 June.
        ["02/06/2020"], {"window": MARCH}, "mdy", "window", 1,
        ["2020-02-06T00:00Z"], id="window-none-inside-closest",
    ),
    pytest.param(
        ["03/04/2020"], {"window": YEAR_2020},
        "dmy", "default", 1, ["2020-04-03T00:00Z"], id="window-both-inside-default",
    ),
    pytest.param(
        ["03/04/2020"], {}, "dmy", "default", 1, ["2020-04-03T00:00Z"], id="no-evidence-default"
    ),
    pytest.param(
        ["05/05/2020", "12/12/20"], {"platform_order": "mdy"}, "dmy", "values", 0,
        ["2020-05-05T00:00Z", "2020-12-12T00:00Z"], id="same-either-way-not-ambiguous",
    ),
    pytest.param(
        ["13/01/2020", "03/04/2020"], {"date_order": "mdy"}, "mdy", "mapping", 1,
        [None, "2020-03-04T00:00Z"], id="mapping-wins-contradiction-unreadable",
    ),
    pytest.param(
        ["03/04/2020"], {"day_first": False, "window": APRIL}, "mdy", "mapping", 1,
        ["2020-03-04T00:00Z"], id="day-first-false-still-works",
    ),
    pytest.param(
        ["14/07/10 18:37"], {"date_order": "ymd"}, "ymd", "mapping", 0,
        ["2014-07-10T18:37Z"], id="year-first-two-digits",
    ),
    pytest.param(
        # Inconsistent: 13/01 only day-first, 01/13 only month-first; March decides for the
        # ambiguous 03/04 (4 March inside), and 13/01/2020 does not fit: unreadable.
        ["13/01/2020", "01/13/2020", "03/04/2020"], {"window": MARCH}, "mdy", "window", 1,
        [None, "2020-01-13T00:00Z", "2020-03-04T00:00Z"], id="inconsistent-window-decides",
    ),
    pytest.param(
        ["13/01/2020", "01/13/2020"], {}, "dmy", "default", 0,
        ["2020-01-13T00:00Z", None], id="inconsistent-nothing-decides",
    ),
    pytest.param(
        ["7/10/14 18:37", "7/9/14 17:45"], {"window": JULY}, "mdy", "window", 2,
        ["2014-07-10T18:37Z", "2014-07-09T17:45Z"], id="two-digit-year-is-2014",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("values", "options", "order", "reason", "ambiguous", "utc"), DECISIONS)
def test_date_order_decision(values, options, order, reason, ambiguous, utc) -> None:
    parsed = _parse(values, **options)
    assert (parsed.date_order, parsed.reason, parsed.ambiguous) == (order, reason, ambiguous)
    assert parsed.day_first is (order == "dmy")
    expected = [pd.NaT if u is None else pd.Timestamp(u) for u in utc]
    assert [None if pd.isna(t) else t for t in parsed.utc] == [
        None if pd.isna(t) else t for t in expected
    ]
    assert parsed.unreadable.tolist() == [u is None for u in utc]


def test_ambiguous_counts_rows_not_distinct_values() -> None:
    parsed = _parse(["03/04/2020"] * 5 + ["13/04/2020", "05/05/2020"])
    assert (parsed.numeric_dates, parsed.ambiguous, parsed.reason) == (7, 5, "values")
    assert parsed.only_day_first == {"13/04/2020": 1}


def test_the_mapping_and_day_first_must_agree() -> None:
    with pytest.raises(ValueError, match="disagree"):
        _parse(["03/04/2020"], day_first=True, date_order="mdy")


@pytest.mark.parametrize(
    ("reason_options", "words"),
    [
        ({"date_order": "mdy"}, "read month-first (m/d/y) as the mapping says"),
        ({"platform_order": "mdy"}, "because that is how SurveyMonkey writes dates"),
        ({"window": MARCH}, "because of the consultation window: read so, 2 of 2 fall inside"),
        ({}, "for want of evidence"),
    ],
)
def test_note_names_reading_and_evidence(reason_options: dict, words: str) -> None:
    parsed = _parse(["03/04/2020", "03/05/2020"], **reason_options)
    note = date_order_note(parsed, "SurveyMonkey")
    assert words in note
    assert "2 of 2 dates could be read either way (e.g. '03/04/2020')" in note


def test_note_says_when_the_dates_contradict_each_other() -> None:
    note = date_order_note(_parse(["13/01/2020", "01/13/2020", "01/14/2020"], window=MARCH))
    assert "contradict each other: 1 value can only be day-first (e.g. '13/01/2020')" in note
    assert "2 values only month-first" in note


# --- the property: what was written inside the window comes back -----------------------------


@st.composite
def written_in_window(draw):
    opens = draw(st.datetimes(datetime(2000, 1, 1), datetime(2060, 12, 31)))
    opens = opens.replace(second=0, microsecond=0)
    length = timedelta(days=draw(st.integers(1, 60)))
    count = draw(st.integers(1, 12))
    seconds = draw(st.booleans())
    instants = [
        opens + timedelta(seconds=draw(st.integers(0, int(length.total_seconds()))))
        for _ in range(count)
    ]
    instants = [t if seconds else t.replace(second=0) for t in instants]
    order = draw(st.sampled_from(["dmy", "mdy"]))
    year_digits = draw(st.sampled_from([2, 4]))
    zone = draw(st.sampled_from(["UTC", "UTC-6", "GMT+05:30"]))
    return opens, opens + length, instants, order, year_digits, seconds, zone


def _write(moment: datetime, order: str, year_digits: int, seconds: bool) -> str:
    year = f"{moment.year % 100:02d}" if year_digits == 2 else str(moment.year)
    first, second = (moment.day, moment.month) if order == "dmy" else (moment.month, moment.day)
    clock = f"{moment:%H:%M:%S}" if seconds else f"{moment:%H:%M}"
    return f"{first}/{second}/{year} {clock}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_in_window())
def test_times_written_inside_the_window_read_back_exactly(case) -> None:
    opens, closes, instants, order, year_digits, seconds, zone = case
    offset = zones.fixed_offset(zone) or timedelta(0)
    window = (pd.Timestamp(opens - offset, tz="UTC"), pd.Timestamp(closes - offset, tz="UTC"))
    unambiguous = any(max(t.day, t.month) > 12 and t.day != t.month for t in instants)
    if not unambiguous:
        # All ambiguous: the window must tell the readings apart, i.e. the other reading must
        # not put every value inside it too.
        others = []
        for t in instants:
            try:
                others.append(pd.Timestamp(t.replace(day=t.month, month=t.day) - offset, tz="UTC"))
            except ValueError:
                others.append(None)
        all_inside = all(o is not None and window[0] <= o <= window[1] for o in others)
        assume(not all_inside or order == "dmy")
    written = [_write(t, order, year_digits, seconds) for t in instants]
    parsed = _parse(written, zone, window=window)
    assert not parsed.unreadable.any(), written
    assert parsed.utc.tolist() == [pd.Timestamp(t - offset, tz="UTC") for t in instants], written


# --- offsets --------------------------------------------------------------------------------

MONDAY_1615 = "2020-01-13T16:15Z"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-01-13 10:15 GMT-06:00", MONDAY_1615),
        ("2020-01-13 10:15 UTC-6", MONDAY_1615),
        ("2020-01-13 10:15 UTC-06:00", MONDAY_1615),
        ("2020-01-13 10:15 -06:00", MONDAY_1615),
        ("2020-01-13 10:15-0600", MONDAY_1615),
        ("13/01/2020 10:15 GMT-06:00", MONDAY_1615),
        ("2020-01-13 21:45 UTC+05:30", MONDAY_1615),
        ("2020-01-13 21:45 GMT+0530", MONDAY_1615),
        ("13/01/2020 9:45 pm UTC+05:30", MONDAY_1615),
        ("1/13/20 17:15 GMT+1", MONDAY_1615),
        ("2023/11/10 4:20:37 pm", "2023-11-10T07:20:37Z"),  # year first is never day-first
    ],
)
def test_offsets_in_values_keep_the_sign_people_mean(value: str, expected: str) -> None:
    parsed = _parse([value], "Asia/Tokyo")
    assert parsed.utc.iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC-6", MONDAY_1615),
        ("GMT-06:00", MONDAY_1615),
        ("-06:00", MONDAY_1615),
        ("UTC+05:30", "2020-01-13T04:45Z"),
        ("Etc/GMT+6", MONDAY_1615),  # POSIX: Etc/GMT+6 is UTC-6
        ("Etc/GMT-6", "2020-01-13T04:15Z"),
        ("America/Chicago", MONDAY_1615),
    ],
)
def test_zone_settings_as_fixed_offsets(zone: str, expected: str) -> None:
    assert _parse(["2020-01-13 10:15"], zone).utc.iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("setting", "iana"),
    [("UTC-6", "Etc/GMT+6"), ("GMT+03:00", "Etc/GMT-3"), ("+00:00", "UTC"), ("Asia/Tokyo", None)],
)
def test_whole_hour_offsets_have_an_iana_name(setting: str, iana: str | None) -> None:
    assert zones.iana_name(setting) == (iana or setting)


@pytest.mark.parametrize("setting", ["6", "UTC+15", "GMT-06:75", "Mars/Olympus", "+5"])
def test_unknown_zone_settings_are_refused(setting: str) -> None:
    with pytest.raises(zones.UnknownZone, match="unknown time zone"):
        zones.zone_info(setting)


@pytest.mark.parametrize(
    ("name", "warning"),
    [
        ("Etc/GMT-6", "Etc/GMT-6 means UTC+6: POSIX signs are inverted, so times in this zone "
         "are 6 hours ahead of UTC."),
        ("Etc/GMT+1", "Etc/GMT+1 means UTC-1: POSIX signs are inverted, so times in this zone "
         "are 1 hour behind UTC."),
        ("Etc/GMT", None),
        ("UTC-6", None),
        ("Europe/Paris", None),
    ],
)  # fmt: skip
def test_etc_gmt_is_spelled_out(name: str, warning: str | None) -> None:
    assert zones.posix_sign_warning(name) == warning


def test_consultation_accepts_whole_hour_offsets_as_their_iana_name() -> None:
    consultation = parse_consultation(EXAMPLE.replace('timezone = "UTC"', 'timezone = "UTC-6"'))
    assert consultation.timezone == "Etc/GMT+6"
    with pytest.raises(ConsultationError, match="Asia/Kolkata"):
        parse_consultation(EXAMPLE.replace('timezone = "UTC"', 'timezone = "UTC+05:30"'))


# --- the mapping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse_table", "order"),
    [
        ('date_order = "dmy"', "dmy"),
        ('date_order = "mdy"', "mdy"),
        ('date_order = "ymd"', "ymd"),
        ("day_first = true", "dmy"),
        ("day_first = false", "mdy"),
        ('day_first = true\ndate_order = "dmy"', "dmy"),
        ("", None),
    ],
)
def test_mapping_date_order(parse_table: str, order: str | None) -> None:
    mapping = parse_mapping(f"[parse]\n{parse_table}\n")
    assert mapping.order == order
    assert parse_mapping(mapping.to_toml()).order == order
    assert mapping.merged_over(Mapping(date_order="ymd")).order == (order or "ymd")


@pytest.mark.parametrize(
    ("parse_table", "message"),
    [
        ('day_first = true\ndate_order = "mdy"', "disagree; keep one of them"),
        ('day_first = false\ndate_order = "ymd"', "disagree; keep one of them"),
        ('date_order = "dd/mm/yy"', "is not a date order; use one of dmy, mdy, ymd"),
        ('timezone = "UTC+25"', "unknown time zone 'UTC+25'"),
    ],
)
def test_mapping_refuses_bad_date_settings(parse_table: str, message: str) -> None:
    with pytest.raises(MappingError, match="parse") as refused:
        parse_mapping(f"[parse]\n{parse_table}\n", source="m.toml")
    assert message in str(refused.value) and "m.toml" in str(refused.value)


def test_mapping_accepts_a_fixed_offset_zone() -> None:
    assert parse_mapping('[parse]\ntimezone = "UTC-6"\n').timezone == "UTC-6"


# --- through the pipeline -------------------------------------------------------------------

JULY_2014 = EXAMPLE.replace("opens = 2020-01-13T09:00:00Z", "opens = 2014-07-01T00:00:00Z").replace(
    "closes = 2020-01-24T18:00:00Z", "closes = 2014-07-31T23:59:00Z"
)
EXPORT = (
    "Respondent ID,Submitted at,Q1\n"
    "A1,7/10/14 18:37,yes\n"
    "A2,7/9/14 17:45,no\n"
    "A3,7/9/14 20:01,maybe\n"
)


def _prepare(mapping: Mapping | None = None) -> pipeline.ImportReport:
    consultation = parse_consultation(JULY_2014)
    return pipeline.prepare(EXPORT.encode(), "export.csv", consultation, mapping).report


def test_prepare_reports_the_reading_and_the_window_as_the_reason() -> None:
    report = _prepare()
    assert (report.date_order, report.date_order_reason, report.ambiguous_dates) == (
        "mdy",
        "window",
        3,
    )
    note = next(n for n in report.notes if n.startswith("Numeric dates"))
    assert note.startswith("Numeric dates were read month-first (m/d/y) because of the "
                           "consultation window: read so, 3 of 3 fall inside it; read "
                           "day-first (d/m/y), 0.")  # fmt: skip
    assert "3 of 3 dates could be read either way (e.g. '7/10/14 18:37')" in note
    assert report.responses_after_window == report.responses_before_window == 0


def test_prepare_the_mapping_overrules_the_window_and_the_report_shows_it() -> None:
    report = _prepare(Mapping(date_order="dmy"))
    assert (report.date_order, report.date_order_reason) == ("dmy", "mapping")
    assert any("read day-first (d/m/y) as the mapping says" in n for n in report.notes)
    assert report.responses_after_window == 3  # 7 October and 7 September 2014, all outside


def test_prepare_a_platform_order_beats_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    forms = next(p for p in platforms.PLATFORMS if p.name == "google-forms")
    others = tuple(p for p in platforms.PLATFORMS if p.name != "google-forms")
    monkeypatch.setattr(platforms, "PLATFORMS", (*others, replace(forms, date_order="dmy")))
    report = _prepare(Mapping(platform="google-forms"))
    assert (report.date_order, report.date_order_reason) == ("dmy", "platform")
    assert any("because that is how Google Forms writes dates" in n for n in report.notes)


def test_prepare_spells_out_an_etc_gmt_zone() -> None:
    report = _prepare(Mapping(timezone="Etc/GMT-6"))
    assert (
        "Times written without a zone were read in Etc/GMT-6 means UTC+6: POSIX signs are "
        "inverted, so times in this zone are 6 hours ahead of UTC." in report.notes
    )


def test_prepare_a_default_reading_is_a_finding() -> None:
    wide = JULY_2014.replace("opens = 2014-07-01", "opens = 2014-01-01").replace(
        "closes = 2014-07-31", "closes = 2014-12-31"
    )
    report = pipeline.prepare(EXPORT.encode(), "e.csv", parse_consultation(wide)).report
    assert report.date_order_reason == "default"
    findings = report.findings()
    row = findings[findings["finding"] == "dates read day-first for want of evidence"]
    assert row["rows"].tolist() == [3]


# --- a real SurveyMonkey export -------------------------------------------------------------

SLEEPING = ("surveymonkey-fivethirtyeight", "sleeping-alone-data.csv")


def _sleeping_columns(realdata: Path) -> tuple[list[str], list[str]]:
    text = realdata.joinpath(*SLEEPING).read_bytes().decode("mac_roman")
    rows = list(csv.reader(io.StringIO(text)))[2:]  # two header rows
    return [r[0] for r in rows], [r[1] for r in rows]


@pytest.mark.realdata
def test_sleeping_alone_read_month_first_by_the_july_window(realdata: Path) -> None:
    starts, ends = _sleeping_columns(realdata)
    assert len(starts) == 1093
    july = JULY
    start = _parse(starts, window=july)
    # Every value is 7/9/14 or 7/10/14: all ambiguous, so only the window can decide.
    assert (start.date_order, start.reason) == ("mdy", "window")
    assert (start.numeric_dates, start.ambiguous) == (1093, 1093)
    assert start.inside_window == {"mdy": 1093, "dmy": 0}
    assert (start.utc.min(), start.utc.max()) == (
        pd.Timestamp("2014-07-09T17:45Z"),
        pd.Timestamp("2014-07-10T18:37Z"),
    )
    end = _parse(ends, window=july)
    assert end.date_order == "mdy" and end.utc.max() == pd.Timestamp("2014-07-10T18:39Z")
    assert not start.unreadable.any() and not end.unreadable.any()


@pytest.mark.realdata
def test_sleeping_alone_with_an_october_window(realdata: Path) -> None:
    # Read day-first, the 10 answers of 7/10/14 fall on 7 October, inside an October window,
    # and the 1,083 of 7/9/14 on 7 September; month-first, none is inside. The evidence (the
    # window alone) says day-first, weakly, and the note says most fall outside either way.
    starts, _ = _sleeping_columns(realdata)
    october = (pd.Timestamp("2014-10-01T00:00Z"), pd.Timestamp("2014-10-31T23:59Z"))
    parsed = _parse(starts, window=october)
    assert (parsed.date_order, parsed.reason) == ("dmy", "window")
    assert parsed.inside_window == {"dmy": 10, "mdy": 0}
    assert "most fall outside either way" in date_order_note(parsed)
    # SurveyMonkey's own order, when the platform is known, outranks the window.
    known = _parse(starts, window=october, platform_order="mdy")
    assert (known.date_order, known.reason) == ("mdy", "platform")
    assert known.utc.max() == pd.Timestamp("2014-07-10T18:37Z")
