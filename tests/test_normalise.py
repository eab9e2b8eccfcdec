"""Giving raw values their meaning: times in UTC, countries, languages, answer text."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.importer.normalise import (
    UTC_DTYPE,
    answer_text,
    languages,
    map_distinct,
    parse_times,
    places,
    text_or_none,
)

MONDAY = "2020-01-13T09:15:02Z"  # the instant most cases below write in some other way


def _one(value: object, zone: str = "UTC", day_first: bool | None = None):
    return parse_times(pd.Series([value], dtype=object), zone, day_first)


# (value, zone, day_first given, expected UTC instant)
TIMES = [
    pytest.param("2020-01-13T09:15:02Z", "UTC", None, MONDAY, id="iso-z"),
    pytest.param("2020-01-13 11:15:02+02:00", "Europe/Paris", None, MONDAY, id="iso-offset"),
    pytest.param(
        "2020-01-13T09:15:02.123+0000", "UTC", None, "2020-01-13T09:15:02.123Z", id="iso-ms"
    ),
    pytest.param("2020-01-13T04:15:02-05:00", "Asia/Tokyo", None, MONDAY, id="iso-negative"),
    pytest.param("2020-01-13T14:45:02+05:30", "UTC", None, MONDAY, id="iso-half-hour"),
    pytest.param("20200113T091502Z", "UTC", None, MONDAY, id="iso-basic"),
    pytest.param("  2020-01-13T09:15:02Z  ", "UTC", None, MONDAY, id="iso-padded"),
    pytest.param("2020-01-13 10:15", "Europe/Paris", None, "2020-01-13T09:15Z", id="naive-paris"),
    pytest.param(
        "2020-07-13 11:15", "Europe/Paris", None, "2020-07-13T09:15Z", id="naive-paris-summer"
    ),
    pytest.param("2020/01/13", "Europe/Paris", None, "2020-01-12T23:00Z", id="date-slashes"),
    pytest.param("2020-01-13", "Europe/Paris", None, "2020-01-12T23:00Z", id="date-iso-only"),
    pytest.param(
        "13-01-2020", "Europe/Paris", None, "2020-01-12T23:00Z", id="date-dashes-day-first"
    ),
    pytest.param("13/01/2020 10:15", "Europe/Paris", None, "2020-01-13T09:15Z", id="day-first"),
    pytest.param("01/13/2020 10:15", "Europe/Paris", None, "2020-01-13T09:15Z", id="month-first"),
    pytest.param("03/04/2020", "UTC", True, "2020-04-03T00:00Z", id="ambiguous-day-first"),
    pytest.param("03/04/2020", "UTC", False, "2020-03-04T00:00Z", id="ambiguous-month-first"),
    pytest.param("03/04/2020", "UTC", None, "2020-04-03T00:00Z", id="ambiguous-default"),
    pytest.param("13.01.2020 10:15", "Europe/Paris", None, "2020-01-13T09:15Z", id="dotted"),
    pytest.param("13-01-2020 10:15", "Europe/Paris", None, "2020-01-13T09:15Z", id="dashed"),
    pytest.param("13/01/20 10:15", "UTC", None, "2020-01-13T10:15Z", id="two-digit-year"),
    pytest.param(1578906902, "Europe/Paris", None, MONDAY, id="epoch-s-int"),
    pytest.param(1578906902.0, "Europe/Paris", None, MONDAY, id="epoch-s-float"),
    pytest.param("1578906902", "Europe/Paris", None, MONDAY, id="epoch-s-text"),
    pytest.param(np.int64(1578906902), "UTC", None, MONDAY, id="epoch-s-numpy"),
    pytest.param(1578906902000, "Europe/Paris", None, MONDAY, id="epoch-ms-int"),
    pytest.param(1578906902000.0, "Europe/Paris", None, MONDAY, id="epoch-ms-float"),
    pytest.param("1578906902000", "Europe/Paris", None, MONDAY, id="epoch-ms-text"),
    pytest.param(1578906902123, "UTC", None, "2020-01-13T09:15:02.123Z", id="epoch-ms-exact"),
    pytest.param(43843.5, "UTC", None, "2020-01-13T12:00Z", id="excel-serial"),
    pytest.param(
        datetime(2020, 1, 13, 12, 15, 2), "Europe/Moscow", None, MONDAY, id="excel-datetime"
    ),
    pytest.param(
        datetime(2020, 1, 13, 9, 15, 2, tzinfo=UTC), "Europe/Moscow", None, MONDAY, id="aware"
    ),
    pytest.param(
        datetime(2020, 1, 13, 4, 15, 2, tzinfo=timezone(timedelta(hours=-5))),
        "UTC",
        None,
        MONDAY,
        id="aware-offset",
    ),
    pytest.param(
        pd.Timestamp("2020-01-13 12:15:02"), "Europe/Moscow", None, MONDAY, id="timestamp"
    ),
    pytest.param(date(2020, 1, 13), "Europe/Moscow", None, "2020-01-12T21:00Z", id="date"),
    pytest.param("2023/11/13 4:20:37 pm CET", "UTC", None, "2023-11-13T15:20:37Z", id="pm-cet"),
    pytest.param("2023/07/13 4:20:37 PM CEST", "UTC", None, "2023-07-13T14:20:37Z", id="pm-cest"),
    pytest.param(
        "Mon Jul 17 16:10:15 WIB 2017", "UTC", None, "2017-07-17T09:10:15Z", id="polis-wib"
    ),
    pytest.param(
        "Tue, 14 Jan 2020 08:00:00 GMT", "Europe/Paris", None, "2020-01-14T08:00Z", id="rfc-gmt"
    ),
    pytest.param(
        "Tue, 14 Jan 2020 08:00:00 +0100", "UTC", None, "2020-01-14T07:00Z", id="rfc-offset"
    ),
    pytest.param(
        "13/01/2020 10:15:02 UTC", "Europe/Paris", None, "2020-01-13T10:15:02Z", id="slash-utc"
    ),
    pytest.param("January 13, 2020 9:15 AM", "Europe/Paris", None, "2020-01-13T08:15Z", id="words"),
]


@pytest.mark.parametrize(("value", "zone", "day_first", "expected"), TIMES)
def test_parse_times_forms(value: object, zone: str, day_first: bool | None, expected: str):
    parsed = _one(value, zone, day_first)
    assert parsed.utc.dtype == UTC_DTYPE
    assert parsed.utc.iloc[0] == pd.Timestamp(expected)
    assert not parsed.unreadable.iloc[0]


@pytest.mark.parametrize(
    ("value", "day_first", "expected_day_first", "inferred"),
    [
        ("2020-01-13T09:15:02Z", None, None, False),  # no slashed date seen
        ("2020-01-13T09:15:02Z", True, None, False),  # "None: none seen", whatever was given
        ("13/01/2020 10:15", None, True, True),  # 13 > 12 in first place
        ("01/13/2020 10:15", None, False, True),  # 13 > 12 in second place
        ("13.01.2020 10:15", None, True, True),  # dots count as slashes
        ("03/04/2020", None, True, True),  # no evidence: day-first, said to be inferred
        ("03/04/2020", False, False, False),  # the mapping decides
        ("03/04/2020", True, True, False),
    ],
)
def test_parse_times_day_first_outputs(
    value: str, day_first: bool | None, expected_day_first: bool | None, inferred: bool
):
    parsed = _one(value, "UTC", day_first)
    assert parsed.day_first is expected_day_first
    assert parsed.day_first_inferred is inferred


def test_parse_times_month_first_evidence_anywhere_in_the_column():
    values = pd.Series(["03/04/2020 10:00", "05/06/2020 11:00", "12/25/2020 09:05"])
    parsed = parse_times(values, "UTC")
    assert parsed.day_first is False and parsed.day_first_inferred is True
    assert parsed.utc.tolist() == [
        pd.Timestamp("2020-03-04T10:00Z"),
        pd.Timestamp("2020-05-06T11:00Z"),
        pd.Timestamp("2020-12-25T09:05Z"),
    ]


def test_parse_times_dst_ambiguous_takes_standard_time():
    # 02:30 happens twice in Paris on 2020-10-25: at 00:30Z (CEST, +02:00) and 01:30Z (CET,
    # +01:00). The importer picks standard time, the later instant.
    parsed = _one("2020-10-25 02:30", "Europe/Paris")
    assert parsed.utc.iloc[0] == pd.Timestamp("2020-10-25T01:30Z")
    assert not parsed.unreadable.iloc[0]


def test_parse_times_dst_gap_shifts_forward():
    # 02:30 never happens in Paris on 2020-03-29: read as 03:00 CEST, the end of the gap.
    parsed = _one("2020-03-29 02:30", "Europe/Paris")
    assert parsed.utc.iloc[0] == pd.Timestamp("2020-03-29T01:00Z")
    assert not parsed.unreadable.iloc[0]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "\t\n",
        None,
        float("nan"),
        np.nan,
        pytest.param(pd.NaT, id="NaT"),
        pytest.param(pd.NA, id="NA"),
    ],
)
def test_parse_times_blanks_are_missing_not_unreadable(value: object):
    parsed = _one(value, "Europe/Paris")
    assert pd.isna(parsed.utc.iloc[0])
    assert not parsed.unreadable.iloc[0]


@pytest.mark.parametrize(
    "value",
    [
        "not a date",
        "31/31/2020",
        "2020-02-30",
        "2020-13-01",
        "25:61",
        "N/A",
        "yesterday",
        0,
        -5,
        False,
        pytest.param(True, id="True"),
        pytest.param("now", id="now"),
        pytest.param("today", id="today"),
    ],
)
def test_parse_times_unreadable(value: object):
    parsed = _one(value, "UTC")
    assert pd.isna(parsed.utc.iloc[0])
    assert parsed.unreadable.iloc[0]


def test_parse_times_year_text_is_not_an_excel_serial():
    parsed = _one("2020", "UTC")
    assert parsed.unreadable.iloc[0] or parsed.utc.iloc[0].year == 2020


def test_parse_times_mixed_column_parses_every_value():
    values = pd.Series(
        [
            "2020-01-13T09:15:02Z",
            "13/01/2020 10:15",
            "14/01/2020",
            "2020-01-15 08:00",
            "15/01/2020 08:00:00",
            "",
            None,
            "16.01.2020 12:00",
            1578906902,
            "2020-01-13T09:15:02Z",
        ],
        index=range(100, 110),
        dtype=object,
    )
    parsed = parse_times(values, "Europe/Paris")
    assert parsed.utc.index.tolist() == list(range(100, 110))
    assert parsed.unreadable.index.tolist() == list(range(100, 110))
    assert parsed.utc.tolist()[:5] == [
        pd.Timestamp(MONDAY),
        pd.Timestamp("2020-01-13T09:15Z"),
        pd.Timestamp("2020-01-13T23:00Z"),
        pd.Timestamp("2020-01-15T07:00Z"),
        pd.Timestamp("2020-01-15T07:00Z"),
    ]
    assert parsed.utc.isna().tolist() == [False] * 5 + [True, True] + [False] * 3
    assert parsed.utc.iloc[7] == pd.Timestamp("2020-01-16T11:00Z")
    assert parsed.utc.iloc[8] == parsed.utc.iloc[9] == pd.Timestamp(MONDAY)
    assert not parsed.unreadable.any()
    assert parsed.day_first is True and parsed.day_first_inferred is True


def test_parse_times_reports_only_the_unreadable_values():
    values = pd.Series(["2020-01-13T09:15:02Z", "garbage", "", "13/01/2020", "31/31/2020"])
    parsed = parse_times(values, "UTC")
    assert parsed.unreadable.tolist() == [False, True, False, False, True]
    assert parsed.utc.notna().tolist() == [True, False, False, True, False]


# --- places ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso3", "region", "subregion"),
    [
        ("FRA", "FRA", "Europe", "Western Europe"),
        ("fr", "FRA", "Europe", "Western Europe"),
        (" France ", "FRA", "Europe", "Western Europe"),
        ("Côte d'Ivoire", "CIV", "Africa", "Sub-Saharan Africa"),
        ("Кот-д'Ивуар", "CIV", "Africa", "Sub-Saharan Africa"),
        ("中国", "CHN", "Asia", "Eastern Asia"),
        ("مصر", "EGY", "Africa", "Northern Africa"),
        ("BR", "BRA", "Americas", "Latin America and the Caribbean"),
        ("Russian Federation", "RUS", "Europe", "Eastern Europe"),
        ("Australia", "AUS", "Oceania", "Australia and New Zealand"),
        (250, "FRA", "Europe", "Western Europe"),  # M49 code as a spreadsheet number
        ("Antarctica", "ATA", "Unknown", "Unknown"),  # known, but in no M49 region
    ],
)
def test_places_resolve(raw: object, iso3: str, region: str, subregion: str):
    result = places(pd.Series(["Atlantis", raw, raw], dtype=object))
    assert result.country_iso3.tolist()[1:] == [iso3, iso3]
    assert result.region.tolist()[1:] == [region, region]
    assert result.subregion.tolist()[1:] == [subregion, subregion]


@pytest.mark.parametrize("raw", ["", "   ", None, np.nan, "Atlantis", "Unknown land", "NA"])
def test_places_unknown(raw: object):
    result = places(pd.Series(["France", raw], dtype=object))
    assert result.country_iso3.iloc[0] == "FRA"
    assert pd.isna(result.country_iso3.iloc[1])
    assert result.region.iloc[1] == "Unknown"
    assert result.subregion.iloc[1] == "Unknown"


def test_places_keep_the_raw_value_trimmed():
    values = pd.Series(["  France ", "\tAtlantis\n", "   ", None, 250.0], index=[5, 6, 7, 8, 9])
    result = places(values)
    assert result.country_raw.index.tolist() == [5, 6, 7, 8, 9]
    assert result.country_raw.tolist()[:2] == ["France", "Atlantis"]
    assert result.country_raw.iloc[2:4].isna().all()
    assert result.country_raw.iloc[4] == "250"
    assert result.country_iso3.tolist()[0] == "FRA"
    assert result.region.isna().sum() == 0 and result.subregion.isna().sum() == 0


def test_places_with_nothing_recognised_need_no_deprecated_fill():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = places(pd.Series([None, "", "Atlantis"], dtype=object))
    assert result.country_iso3.isna().all()
    assert result.region.tolist() == ["Unknown"] * 3
    assert result.subregion.tolist() == ["Unknown"] * 3


def test_places_hold_one_string_per_distinct_value_not_per_row():
    """Issue 18: the places of 1.9 million respondents were one Python string per row and
    column (2.5 million objects at a million answers); a value met on many rows is one object."""
    rows = pd.Series(["France", "Kenya", "Atlantis", None] * 500, dtype="str")
    result = places(rows)
    for column in (result.country_iso3, result.region, result.subregion):
        assert len({id(value) for value in column}) <= 4
    _raw, codes = languages(pd.Series(["English", "français", "", None] * 500, dtype="str"))
    assert len({id(value) for value in codes}) <= 3
    assert codes.tolist()[:4] == ["en", "fr", "und", "und"]


CELLS = st.one_of(
    st.none(),
    st.just(np.nan),
    st.text(alphabet=st.sampled_from(" \tFrancekny中国مصرРоссия"), max_size=8),
    st.integers(min_value=-3, max_value=300),
    st.floats(min_value=-3, max_value=300, allow_nan=False).map(lambda x: round(x, 1)),
)


@given(cells=st.lists(CELLS, max_size=30), as_text=st.booleans())
def test_mapping_distinct_values_is_mapping_every_row(cells: list[object], as_text: bool):
    """Calling the function once per distinct value gives what calling it on every row gives:
    the same values, type, index and name."""
    values = pd.Series(cells, dtype=object, name="Country", index=range(7, 7 + len(cells)))
    if as_text:
        values = values.map(text_or_none).astype("str")
    pd.testing.assert_series_equal(
        map_distinct(values, text_or_none), values.map(text_or_none), check_exact=True
    )


# --- languages ------------------------------------------------------------------------------


def test_languages_mixed_forms():
    values = {
        "en": "en",
        "English": "en",
        "français": "fr",
        "FR": "fr",
        "Español": "es",
        "العربية": "ar",
        "中文": "zh",
        "русский": "ru",
        "zh-Hans": "zh",
        "en-GB": "en",
        "  Deutsch ": "de",
        "": "und",
        "   ": "und",
        "Klingon": "und",
        "xx": "und",
    }
    column = pd.Series([*values, None, np.nan], dtype=object)
    raw, codes = languages(column)
    assert codes.tolist() == [*values.values(), "und", "und"]
    assert raw.iloc[0] == "en" and raw.iloc[10] == "Deutsch"
    assert raw.iloc[11:13].isna().all() and raw.iloc[-2:].isna().all()
    assert raw.iloc[13] == "Klingon"
    assert codes.notna().all()


def test_languages_all_blank_need_no_deprecated_fill():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raw, codes = languages(pd.Series([None, "", "  "], dtype=object))
    assert raw.isna().all()
    assert codes.tolist() == ["und"] * 3


def test_languages_all_blank_are_undetermined():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see test_languages_all_blank_need_no_deprecated_fill
        raw, codes = languages(pd.Series([None, "", "  "], dtype=object))
    assert raw.isna().all()
    assert codes.tolist() == ["und"] * 3


# --- text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  ", None),
        ("\t\n \r\n", None),
        ("", None),
        (None, None),
        (float("nan"), None),
        (5.0, "5"),
        (5, "5"),
        (-3.0, "-3"),
        (2.5, "2.5"),
        (" a ", "a"),
        ("  indented\n  text  ", "indented\n  text"),
        (date(2020, 1, 13), "2020-01-13"),
        pytest.param(pd.NA, None, id="NA"),
        pytest.param(pd.NaT, None, id="NaT"),
    ],
)
def test_text_or_none(value: object, expected: str | None):
    assert text_or_none(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  ", None),
        ("\t\n \r\n", None),
        ("", None),
        (None, None),
        (float("nan"), None),
        (5.0, "5"),
        (5, "5"),
        (2.5, "2.5"),
        ("line one\nline two", "line one\nline two"),
        ("line one\r\n\r\nline three", "line one\r\n\r\nline three"),
        ("  indented\n  text  ", "  indented\n  text  "),  # layout kept as given
        ("公民社会", "公民社会"),
        (date(2020, 1, 13), "2020-01-13"),
        (datetime(2020, 1, 13, 9, 15), "2020-01-13T09:15:00"),
        pytest.param(pd.NA, None, id="NA"),
    ],
)
def test_answer_text(value: object, expected: str | None):
    assert answer_text(value) == expected
