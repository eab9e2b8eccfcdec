"""Giving raw values their canonical meaning: times in UTC, countries, languages, text.

Every function takes a whole column and works on each distinct value once, so a million-row
export costs about as much as its distinct values.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

from dashboard.reference import geo
from dashboard.reference import languages as language_reference
from dashboard.reference.languages import UNDETERMINED, resolve_languages

UNKNOWN = "Unknown"
UTC_DTYPE = "datetime64[us, UTC]"

# Zone abbreviations that mean one offset only. CST and IST are left out: each names several.
ZONE_ABBREVIATIONS = {
    "UTC": "+00:00", "GMT": "+00:00", "WET": "+00:00", "WEST": "+01:00", "BST": "+01:00",
    "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00", "MSK": "+03:00",
    "WAT": "+01:00", "CAT": "+02:00", "EAT": "+03:00", "SAST": "+02:00", "PKT": "+05:00",
    "WIB": "+07:00", "ICT": "+07:00", "HKT": "+08:00", "SGT": "+08:00", "JST": "+09:00",
    "KST": "+09:00", "AEST": "+10:00", "AEDT": "+11:00", "NZST": "+12:00", "NZDT": "+13:00",
    "EST": "-05:00", "EDT": "-04:00", "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00",
    "PST": "-08:00", "PDT": "-07:00", "AKST": "-09:00", "HST": "-10:00",
}  # fmt: skip
_ABBREVIATION = re.compile(r"\b(" + "|".join(ZONE_ABBREVIATIONS) + r")\b")
# An offset only counts after a time of day: the "-13" of "2020-01-13" is not one.
_HAS_OFFSET = re.compile(r"\d:\d{2}.*?(?:Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
_RELATIVE_WORDS = {"now", "today", "tomorrow", "yesterday"}
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_DAYS = (25_569, 73_051)  # Excel serial days from 1970 to 2100: beyond, not a date


@dataclass
class ParsedTimes:
    utc: pd.Series  # datetime64[us, UTC]; NaT where blank or unreadable
    unreadable: pd.Series  # bool: a value was given but could not be read
    day_first: bool | None  # what was used for dates like 03/04/2020 (None: none seen)
    day_first_inferred: bool  # True when the values, not the mapping, decided


def parse_times(values: pd.Series, zone: str, day_first: bool | None = None) -> ParsedTimes:
    """Read timestamps of every common form into UTC; naive ones are in `zone`.

    Forms: datetime cells, ISO 8601 with or without offset, day-first or month-first text,
    zone abbreviations ("CET"), Unix epoch seconds or milliseconds, Excel serial days.
    """
    result = pd.Series(pd.NaT, index=values.index, dtype=UTC_DTYPE)
    distinct = pd.unique(values.to_numpy(dtype=object))
    parsed: dict[object, pd.Timestamp] = {}
    texts: list[str] = []
    for value in distinct:
        if isinstance(value, datetime | date) and not isinstance(
            value, pd.Timestamp | type(pd.NaT)
        ):
            parsed[value] = _localise(pd.Timestamp(value), zone)
        elif isinstance(value, pd.Timestamp) and value is not pd.NaT:
            parsed[value] = _localise(value, zone)
        elif isinstance(value, bool | np.bool_):
            continue  # a tick box is not a time
        elif isinstance(value, int | float | np.integer | np.floating) and not pd.isna(value):
            parsed[value] = _from_number(float(value), cell=True)
        elif isinstance(value, str) and value.strip():
            if _NUMBER.match(value):
                parsed[value] = _from_number(float(value), cell=False)
            elif value.strip().casefold() not in _RELATIVE_WORDS:
                texts.append(value)
    inferred = False
    slashed = [t for t in texts if _NUMERIC_DATE.match(t)]
    if slashed and day_first is None:
        day_first, inferred = _infer_day_first(slashed), True
    if slashed:
        # A date that contradicts the order in force (31/01 read month-first) is not guessed at.
        contradicting = {t for t in slashed if not _fits_order(t, bool(day_first))}
        texts = [t for t in texts if t not in contradicting]
    if texts:
        parsed.update(_parse_texts(texts, zone, bool(day_first)))
    mapped = values.map(parsed)
    result = pd.to_datetime(mapped, utc=True, errors="coerce").astype(UTC_DTYPE)
    given = ~values.map(_is_blank).astype(bool)
    return ParsedTimes(
        utc=result,
        unreadable=given & result.isna(),
        day_first=day_first if slashed else None,
        day_first_inferred=inferred,
    )


def _is_blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _fits_order(text: str, day_first: bool) -> bool:
    match = _NUMERIC_DATE.match(text)
    day, month = (match.group(1), match.group(2)) if day_first else (match.group(2), match.group(1))
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _localise(stamp: pd.Timestamp, zone: str) -> pd.Timestamp:
    if stamp.tzinfo is not None:
        return stamp.tz_convert("UTC")
    return stamp.tz_localize(zone, ambiguous=False, nonexistent="shift_forward").tz_convert("UTC")


def _from_number(number: float, cell: bool) -> pd.Timestamp:
    """Epoch milliseconds or seconds (from March 1973 on); for a number cell (not text), also
    Excel serial days, read as UTC since the workbook's zone is unknown."""
    if number >= 1e11:
        return pd.Timestamp(number, unit="ms", tz="UTC")
    if number >= 1e8:
        return pd.Timestamp(number, unit="s", tz="UTC")
    if cell and EXCEL_DAYS[0] <= number <= EXCEL_DAYS[1]:
        return (EXCEL_EPOCH + pd.to_timedelta(number, unit="D")).tz_localize("UTC")
    return pd.NaT


def _infer_day_first(texts: list[str]) -> bool:
    """Day-first when some date's first number exceeds 12, month-first when the second does.

    With no such evidence, day-first: it is how most of the world writes dates, and exports in
    month-first order from the US platforms we know of write a 4-digit year first or ISO.
    """
    first_over, second_over = False, False
    for match in map(_NUMERIC_DATE.match, texts):
        first_over |= int(match.group(1)) > 12
        second_over |= int(match.group(2)) > 12
    return first_over or not second_over


def _parse_texts(texts: list[str], zone: str, day_first: bool) -> dict[str, pd.Timestamp]:
    cleaned = pd.Series(texts, dtype=object).map(_expand_abbreviation)
    aware = cleaned.map(lambda t: bool(_HAS_OFFSET.search(t)))
    out: dict[str, pd.Timestamp] = {}
    for is_aware in (True, False):
        subset = cleaned[aware == is_aware]
        if subset.empty:
            continue
        stamps = _vectorised_parse(subset, day_first, utc=is_aware)
        for position, original in zip(subset.index, stamps, strict=True):
            if pd.isna(original):
                continue
            out[texts[position]] = original if is_aware else _localise(original, zone)
    return out


def _vectorised_parse(subset: pd.Series, day_first: bool, utc: bool) -> list[pd.Timestamp]:
    """ISO first, then the format of the first value, then value by value for the rest."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stamps = pd.to_datetime(subset, format="ISO8601", errors="coerce", utc=utc)
        missing = stamps.isna()
        if missing.any():
            guessed = guess_datetime_format(subset[missing].iloc[0], dayfirst=day_first)
            if guessed:
                again = pd.to_datetime(subset[missing], format=guessed, errors="coerce", utc=utc)
                stamps = stamps.where(~missing, again)
                missing = stamps.isna()
        for index in subset.index[missing.to_numpy()]:
            try:
                stamps.loc[index] = pd.to_datetime(subset.loc[index], dayfirst=day_first, utc=utc)
            except (ValueError, OverflowError, TypeError):
                continue
    return list(stamps)


def _expand_abbreviation(text: str) -> str:
    text = text.strip()
    match = _ABBREVIATION.search(text)
    if not match or _HAS_OFFSET.search(text):
        return text
    rest = (text[: match.start()] + text[match.end() :]).split()
    return " ".join(rest) + " " + ZONE_ABBREVIATIONS[match.group(1)]


@dataclass
class Places:
    country_raw: pd.Series
    country_iso3: pd.Series
    region: pd.Series
    subregion: pd.Series
    # Region names ("Catalunya") -> ISO3 of their country; counted there only when
    # `subnational_counted` ([parse] subnational_places), else Unknown and named in the report.
    subnational: dict[str, str] = field(default_factory=dict)
    subnational_counted: bool = False


def places(values: pd.Series, subnational_places: bool = False) -> Places:
    raw = values.map(text_or_none)
    distinct = [v for v in pd.unique(raw.to_numpy(dtype=object)) if v is not None]
    found = {k: v for k, v in geo.resolve_countries(distinct).items() if v is not None}
    subnational = {
        value: country
        for value in distinct
        if value not in found and (country := geo.subnational_country(value)) is not None
    }
    if subnational_places:
        found.update(subnational)
    return Places(
        subnational={value: country.iso3 for value, country in subnational.items()},
        subnational_counted=subnational_places,
        country_raw=raw,
        country_iso3=raw.map({k: c.iso3 for k, c in found.items()}).astype(object),
        region=_filled(raw.map({k: c.region or UNKNOWN for k, c in found.items()}), UNKNOWN),
        subregion=_filled(raw.map({k: c.subregion or UNKNOWN for k, c in found.items()}), UNKNOWN),
    )


_LISTED_NAMES = 10  # a note names this many values, then says how many more


def name_notes(respondents: pd.DataFrame, places: Places) -> list[str]:
    """The report's notes on names read in another language and on region names, from the
    respondents' country_raw / country_iso3 / language_raw / language columns."""
    notes: list[str] = []
    country_names = {iso3: c.name_en for iso3, c in geo.countries().items()}
    counted = places.subnational if places.subnational_counted else {}
    resolved = respondents[respondents["country_iso3"].notna()]
    foreign = resolved[
        _each_distinct(resolved["country_raw"], lambda raw: raw not in counted)
        & _each_distinct(resolved["country_raw"], geo.matched_in_another_language)
    ]
    if len(foreign):
        notes.append(
            _listing(
                "country name{s} matched in another language",
                foreign.groupby("country_raw", sort=False)["country_iso3"].agg(["first", "size"]),
                lambda iso3: country_names[iso3],
            )
        )
    languages_read = respondents[respondents["language"].ne(UNDETERMINED)]
    foreign = languages_read[
        _each_distinct(
            languages_read["language_raw"], language_reference.matched_in_another_language
        )
    ]
    if len(foreign):
        notes.append(
            _listing(
                "language name{s} matched in another language",
                foreign.groupby("language_raw", sort=False)["language"].agg(["first", "size"]),
                lambda code: f"{language_reference.language_name(code)} ({code})",
            )
        )
    if places.subnational:
        regions = respondents[respondents["country_raw"].isin(list(places.subnational))]
        by_name = regions.groupby("country_raw", sort=False)["country_raw"].agg(["first", "size"])
        by_name["first"] = [places.subnational[name] for name in by_name.index]
        if places.subnational_counted:
            notes.append(
                _listing(
                    "region name{s} counted under the country ([parse] subnational_places)",
                    by_name,
                    lambda iso3: country_names[iso3],
                )
            )
        else:
            for name, (iso3, size) in list(by_name.iterrows())[:_LISTED_NAMES]:
                country = country_names[iso3]
                notes.append(
                    f"'{name}' is a region of {country}: set [parse] subnational_places = true "
                    f"to count it under {country} ({_respondents(size)} kept as Unknown)."
                )
            if len(by_name) > _LISTED_NAMES:
                notes.append(
                    f"{len(by_name) - _LISTED_NAMES} more region names are kept as Unknown; "
                    "[parse] subnational_places = true counts them under their countries."
                )
    return notes


def _each_distinct(values: pd.Series, test: Callable[[object], bool]) -> pd.Series:
    """`test` of each value as a boolean column, asked once per distinct value."""
    answers = {value: bool(test(value)) for value in pd.unique(values.to_numpy(dtype=object))}
    return values.map(answers).astype(bool)


def _listing(what: str, by_name: pd.DataFrame, label: Callable[[str], str]) -> str:
    """ "3 country names matched in another language: Deutschland → Germany (12 respondents),
    ..." from a frame indexed by the raw name with columns first (the meaning) and size."""
    by_name = by_name.sort_values("size", ascending=False, kind="stable")
    shown = [
        f"{name} → {label(meaning)} ({_respondents(size)})"
        for name, (meaning, size) in list(by_name.iterrows())[:_LISTED_NAMES]
    ]
    more = len(by_name) - len(shown)
    tail = f", and {more} more" if more else ""
    s = "" if len(by_name) == 1 else "s"
    return f"{len(by_name)} {what.format(s=s)}: {', '.join(shown)}{tail}."


def _respondents(count: int) -> str:
    return f"{count:,} respondent" + ("" if count == 1 else "s")


def languages(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Raw text and ISO 639-1 code ('und' where blank or unknown)."""
    raw = values.map(text_or_none)
    distinct = [v for v in pd.unique(raw.to_numpy(dtype=object)) if v is not None]
    return raw, _filled(raw.map(resolve_languages(distinct)), UNDETERMINED)


def _filled(values: pd.Series, default: str) -> pd.Series:
    # A column where nothing matched maps to all-NaN floats; make it text before filling.
    return values.astype(object).where(values.notna(), default)


def text_or_none(value: object) -> str | None:
    """A cell as trimmed text; None when blank. Whole numbers from spreadsheets lose '.0'."""
    if _is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def answer_text(value: object) -> str | None:
    """An answer as given (inner layout kept); None when blank or white space only."""
    if _is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None
