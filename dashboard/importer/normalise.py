"""Giving raw values their canonical meaning: times in UTC, countries, languages, text.

Every function takes a whole column and works on each distinct value once, so a million-row
export costs about as much as its distinct values.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

from dashboard.reference import geo, i18n, zones
from dashboard.reference import languages as language_reference
from dashboard.reference.i18n import N_, _, ngettext
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
# A date written in numbers, day/month/year in some order ("7/10/14", "13.01.2020"), and the
# rest of the value (the time of day, a zone).
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?!\d)(.*)$", re.DOTALL)
# Year first ("2023/11/13 4:20:37 pm"): never ambiguous, but pandas reads it year-day-month when
# told day-first, so it is rewritten in ISO order like the others.
_YEAR_FIRST = re.compile(r"^\s*(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?!\d)(.*)$", re.DOTALL)
# "GMT-06:00", "UTC+5", "UTC+0530" after a time of day: an offset with the sign people mean
# (dateutil would read "GMT+3" the POSIX way, as UTC-3).
_NAMED_OFFSET = re.compile(
    r"(?<=\d)(\s*(?:[ap]\.?m\.?)?)\s*(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?\s*$", re.IGNORECASE
)
# A bare offset after a time of day, with a space before it ("10:15 -06:00").
_SPACED_OFFSET = re.compile(
    r"(\d:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?)\s+([+-]\d{2}:?\d{2})$", re.IGNORECASE
)
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?!\d)")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_DAYS = (25_569, 73_051)  # Excel serial days from 1970 to 2100: beyond, not a date


DATE_ORDERS = ("dmy", "mdy", "ymd")  # the orders a numeric date like 7/10/14 may be written in
ORDER_NAMES = {
    "dmy": N_("day-first (d/m/y)"),
    "mdy": N_("month-first (m/d/y)"),
    "ymd": N_("year-first (y/m/d)"),
}
# How a date order was decided, strongest first; "default" means nothing did.
REASONS = ("mapping", "values", "platform", "window", "default")


@dataclass
class ParsedTimes:
    utc: pd.Series  # datetime64[us, UTC]; NaT where blank or unreadable
    unreadable: pd.Series  # bool: a value was given but could not be read
    day_first: bool | None  # what was used for dates like 03/04/2020 (None: none seen)
    day_first_inferred: bool  # True when the values, not the mapping, decided
    date_order: str | None = None  # "dmy", "mdy" or "ymd" for numeric dates; None: none seen
    reason: str = ""  # which evidence decided the order (one of REASONS); "" when none seen
    numeric_dates: int = 0  # values written as numbers with slashes, dots or dashes (7/10/14)
    ambiguous: int = 0  # of those, values both day- and month-first readings accept, differently
    only_day_first: dict[str, int] = field(default_factory=dict)  # value -> rows, e.g. 13/01/20
    only_month_first: dict[str, int] = field(default_factory=dict)  # e.g. 01/13/20
    inside_window: dict[str, int] = field(default_factory=dict)  # order -> values inside
    ambiguous_example: str | None = None  # one value that reads differently either way

    @property
    def inconsistent(self) -> bool:
        """Some values can only be day-first and others only month-first."""
        return bool(self.only_day_first and self.only_month_first)


def parse_times(
    values: pd.Series,
    zone: str,
    day_first: bool | None = None,
    *,
    date_order: str | None = None,
    platform_order: str | None = None,
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> ParsedTimes:
    """Read timestamps of every common form into UTC; naive ones are in `zone` (an IANA name
    or a fixed offset such as "UTC-6").

    Forms: datetime cells, ISO 8601 with or without offset, day-first or month-first text,
    zone abbreviations ("CET"), offsets ("GMT-06:00", "UTC-6", "-06:00"), Unix epoch seconds
    or milliseconds, Excel serial days.

    Numeric dates such as 7/10/14 are read in one order for the whole column, decided by the
    strongest evidence there is: `date_order` or `day_first` (the mapping's word), then values
    only one order can read (13/01 or 01/13), then `platform_order` (how the exporting platform
    writes dates), then `window` (opens, closes): the order that puts most values inside it,
    or closest to it. With no evidence at all, day-first. The result says which decided.
    """
    forced = _forced_order(date_order, day_first)
    tz = zones.zone_info(zone)
    result = pd.Series(pd.NaT, index=values.index, dtype=UTC_DTYPE)
    distinct = pd.unique(values.to_numpy(dtype=object))
    parsed: dict[object, pd.Timestamp] = {}
    texts: list[str] = []
    for value in distinct:
        if isinstance(value, datetime | date) and not isinstance(
            value, pd.Timestamp | type(pd.NaT)
        ):
            parsed[value] = _localise(pd.Timestamp(value), tz)
        elif isinstance(value, pd.Timestamp) and value is not pd.NaT:
            parsed[value] = _localise(value, tz)
        elif isinstance(value, bool | np.bool_):
            continue  # a tick box is not a time
        elif isinstance(value, int | float | np.integer | np.floating) and not pd.isna(value):
            parsed[value] = _from_number(float(value), cell=True)
        elif isinstance(value, str) and value.strip():
            if _NUMBER.match(value):
                parsed[value] = _from_number(float(value), cell=False)
            elif value.strip().casefold() not in _RELATIVE_WORDS:
                texts.append(value)
    numeric = [t for t in texts if _NUMERIC_DATE.match(t)]
    others = [t for t in texts if not _NUMERIC_DATE.match(t)]
    decision = _DateDecision()
    if numeric:
        rows = values[values.isin(numeric)].value_counts()
        decision = _decide_order(
            {t: int(rows.get(t, 0)) for t in numeric}, tz, forced, platform_order, window
        )
        parsed.update(
            decision.readings.get(decision.order) or _read_numeric(numeric, decision.order, tz)
        )
    if others:
        # Other forms rarely depend on the order; as before, the column's order, or the
        # mapping's when the column has no numeric dates.
        order_in_force = decision.order if numeric else forced
        parsed.update(_parse_texts(others, tz, order_in_force == "dmy"))
    mapped = values.map(parsed)
    result = pd.to_datetime(mapped, utc=True, errors="coerce").astype(UTC_DTYPE)
    given = ~values.map(_is_blank).astype(bool)
    order = decision.order if numeric else None
    return ParsedTimes(
        utc=result,
        unreadable=given & result.isna(),
        day_first=None if order is None else order == "dmy",
        day_first_inferred=bool(numeric) and decision.reason != "mapping",
        date_order=order,
        reason=decision.reason if numeric else "",
        numeric_dates=decision.numeric_dates,
        ambiguous=decision.ambiguous,
        only_day_first=decision.only_day_first,
        only_month_first=decision.only_month_first,
        inside_window=decision.inside_window,
        ambiguous_example=decision.ambiguous_example,
    )


def _forced_order(date_order: str | None, day_first: bool | None) -> str | None:
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date order {date_order!r} is not one of {', '.join(DATE_ORDERS)}")
    implied = None if day_first is None else ("dmy" if day_first else "mdy")
    if date_order and implied and date_order != implied:
        raise ValueError(
            f"day_first = {str(day_first).lower()} and date order {date_order!r} disagree"
        )
    return date_order or implied


@dataclass
class _DateDecision:
    order: str = "dmy"
    reason: str = ""
    numeric_dates: int = 0
    ambiguous: int = 0
    only_day_first: dict[str, int] = field(default_factory=dict)
    only_month_first: dict[str, int] = field(default_factory=dict)
    inside_window: dict[str, int] = field(default_factory=dict)
    ambiguous_example: str | None = None
    readings: dict[str, dict[str, pd.Timestamp]] = field(default_factory=dict)


def _decide_order(
    rows: dict[str, int],
    tz: tzinfo,
    forced: str | None,
    platform_order: str | None,
    window: tuple[pd.Timestamp, pd.Timestamp] | None,
) -> _DateDecision:
    """The order for a column's numeric dates (`rows`: each distinct text and its rows)."""
    decision = _DateDecision(numeric_dates=sum(rows.values()))
    for text, count in rows.items():
        day_first, month_first = _calendar_date(text, "dmy"), _calendar_date(text, "mdy")
        if day_first and month_first and day_first != month_first:
            decision.ambiguous += count
            decision.ambiguous_example = decision.ambiguous_example or text.strip()
        elif day_first and not month_first:
            decision.only_day_first[text] = count
        elif month_first and not day_first:
            decision.only_month_first[text] = count
    inconsistent = bool(decision.only_day_first and decision.only_month_first)
    if forced:
        decision.order, decision.reason = forced, "mapping"
    elif bool(decision.only_day_first) != bool(decision.only_month_first):
        decision.order = "dmy" if decision.only_day_first else "mdy"
        decision.reason = "values"
    elif not decision.ambiguous and not inconsistent:
        decision.reason = "values"  # every date reads the same either way (5/5/20)
    elif platform_order in ("dmy", "mdy"):
        decision.order, decision.reason = platform_order, "platform"
    elif window is not None:
        decision.readings = {o: _read_numeric(list(rows), o, tz) for o in ("dmy", "mdy")}
        ranks = {o: _window_rank(decision.readings[o], rows, window) for o in ("dmy", "mdy")}
        decision.inside_window = {o: rank[0] for o, rank in ranks.items()}
        if ranks["dmy"] != ranks["mdy"]:
            decision.order = max(ranks, key=ranks.__getitem__)
            decision.reason = "window"
    if not decision.reason:
        # Nothing tells the readings apart: day-first, how most of the world writes dates.
        decision.order, decision.reason = "dmy", "default"
    return decision


def date_order_note(times: ParsedTimes, platform: str | None = None) -> str | None:
    """The validation report's sentence on how numeric dates were read and on what evidence;
    None when the column has none. `platform` names the exporting platform. Each reason is a
    whole sentence of its own, so that a translator can order its parts."""
    if not times.date_order:
        return None
    order = _(ORDER_NAMES[times.date_order])
    other = "mdy" if times.date_order == "dmy" else "dmy"
    total = times.numeric_dates
    if times.reason == "mapping":
        why = _("Numeric dates were read {order} as the mapping says.").format(order=order)
    elif times.reason == "values":
        only = times.only_day_first or times.only_month_first
        if only:
            why = ngettext(
                "Numeric dates were read {order} because {count} value can only be read that "
                "way (e.g. '{example}').",
                "Numeric dates were read {order} because {count} values can only be read that "
                "way (e.g. '{example}').",
                sum(only.values()),
            ).format(order=order, count=i18n.number(sum(only.values())), example=next(iter(only)))
        else:
            why = _("Numeric dates were read {order} (every date reads the same either way).")
            why = why.format(order=order)
    elif times.reason == "platform":
        why = (
            _("Numeric dates were read {order} because that is how {platform} writes dates.")
            if platform
            else _("Numeric dates were read {order} because that is how the platform writes dates.")
        ).format(order=order, platform=platform)
    elif times.reason == "window":
        inside, against = times.inside_window[times.date_order], times.inside_window[other]
        why = (
            _(
                "Numeric dates were read {order} because of the consultation window: read so, "
                "{inside} of {total} fall inside it; read {other}, {against} (most fall outside "
                "either way, so this reading was taken for being closer: check the window and "
                "the dates)."
            )
            if inside * 2 < total
            else _(
                "Numeric dates were read {order} because of the consultation window: read so, "
                "{inside} of {total} fall inside it; read {other}, {against}."
            )
        ).format(
            order=order,
            inside=i18n.number(inside),
            total=i18n.number(total),
            other=_(ORDER_NAMES[other]),
            against=i18n.number(against),
        )
    else:
        why = _(
            "Numeric dates were read {order} for want of evidence (no date can only be read one "
            "way, the platform's order is not known and the window does not tell the readings "
            'apart); if this is wrong, set [parse] date_order = "mdy" (or "dmy", "ymd") in the '
            "mapping."
        ).format(order=order)
    if times.ambiguous:
        either = ngettext(
            "{count} of {total} date could be read either way (e.g. '{example}').",
            "{count} of {total} dates could be read either way (e.g. '{example}').",
            total,
        ).format(
            count=i18n.number(times.ambiguous),
            total=i18n.number(total),
            example=times.ambiguous_example,
        )
    else:
        either = ngettext(
            "The {total} date could be read only one way.",
            "None of the {total} dates could be read either way.",
            total,
        ).format(total=i18n.number(total))
    sentences = [why, either]
    if times.inconsistent:
        sentences.append(
            _(
                "The dates contradict each other: {day_first} can only be day-first (e.g. "
                "'{day_first_example}') and {month_first} only month-first (e.g. "
                "'{month_first_example}'); those that do not fit the reading taken are counted "
                "as unreadable, not guessed."
            ).format(
                day_first=_rows(times.only_day_first),
                day_first_example=next(iter(times.only_day_first)),
                month_first=_rows(times.only_month_first),
                month_first_example=next(iter(times.only_month_first)),
            )
        )
    return " ".join(sentences)


def _rows(values: dict[str, int]) -> str:
    total = sum(values.values())
    return ngettext("{count} value", "{count} values", total).format(count=i18n.number(total))


def _is_blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _full_year(digits: str) -> int:
    """A year as written; two digits as POSIX strptime reads them: 69-99 are 1900s, else 2000s."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return 1900 + year if year >= 69 else 2000 + year


def _calendar_date(text: str, order: str) -> date | None:
    """The date a numeric date means in `order`, or None when that order cannot read it."""
    match = _NUMERIC_DATE.match(text)
    if not match:
        return None
    first, second, third = match.group(1), match.group(2), match.group(3)
    if order == "ymd":
        if len(third) == 4:
            return None
        year, month, day = _full_year(first), int(second), int(third)
    else:
        day, month = (first, second) if order == "dmy" else (second, first)
        year, month, day = _full_year(third), int(month), int(day)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _as_iso(text: str, order: str) -> str | None:
    """The value with its numeric date rewritten year-month-day, or None when `order` cannot
    read it; the rest of the value (time, zone) is kept as it is."""
    day = _calendar_date(text, order)
    if day is None:
        return None
    return day.isoformat() + _NUMERIC_DATE.match(text).group(4)


def _read_numeric(texts: list[str], order: str, tz: tzinfo) -> dict[str, pd.Timestamp]:
    rewritten = {text: iso for text in texts if (iso := _as_iso(text, order)) is not None}
    read = _parse_texts(list(rewritten.values()), tz, day_first=False)
    return {text: read[iso] for text, iso in rewritten.items() if iso in read}


def _window_rank(
    reading: dict[str, pd.Timestamp],
    rows: dict[str, int],
    window: tuple[pd.Timestamp, pd.Timestamp],
) -> tuple[int, int, float]:
    """How well a reading fits the window: rows inside, rows readable, then closeness (the
    negated sum of hours outside), so that the larger tuple fits better."""
    opens, closes = (pd.Timestamp(bound) for bound in window)
    opens = opens if opens.tzinfo else opens.tz_localize("UTC")
    closes = closes if closes.tzinfo else closes.tz_localize("UTC")
    inside = readable = 0
    outside = timedelta(0)
    for text, stamp in reading.items():
        count = rows.get(text, 0)
        readable += count
        if opens <= stamp <= closes:
            inside += count
        else:
            outside += count * (opens - stamp if stamp < opens else stamp - closes)
    return inside, readable, -outside / timedelta(hours=1)


def _localise(stamp: pd.Timestamp, zone: tzinfo | str) -> pd.Timestamp:
    if stamp.tzinfo is not None:
        return stamp.tz_convert("UTC")
    if isinstance(zone, str):
        zone = zones.zone_info(zone)
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


def _parse_texts(texts: list[str], zone: tzinfo, day_first: bool) -> dict[str, pd.Timestamp]:
    cleaned = pd.Series(texts, dtype=object).map(_year_first_as_iso).map(_expand_abbreviation)
    # An ISO date is never day-first, whatever the column's order (pandas would swap 2014-07-10).
    iso_dates = cleaned.map(lambda t: bool(_ISO_DATE.match(t)))
    aware = cleaned.map(lambda t: bool(_HAS_OFFSET.search(t)))
    out: dict[str, pd.Timestamp] = {}
    for is_aware in (True, False):
        for is_iso in (True, False):
            subset = cleaned[(aware == is_aware) & (iso_dates == is_iso)]
            if subset.empty:
                continue
            stamps = _vectorised_parse(subset, day_first and not is_iso, utc=is_aware)
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


def _year_first_as_iso(text: str) -> str:
    match = _YEAR_FIRST.match(text)
    if not match:
        return text
    year, month, day, rest = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}{rest}"


def _expand_abbreviation(text: str) -> str:
    text = _spelled_offset(text.strip())
    match = _ABBREVIATION.search(text)
    if not match or _HAS_OFFSET.search(text):
        return text
    rest = (text[: match.start()] + text[match.end() :]).split()
    return " ".join(rest) + " " + ZONE_ABBREVIATIONS[match.group(1)]


def _spelled_offset(text: str) -> str:
    """ "GMT-06:00", "UTC-6" and " -06:00" after a time of day as a plain "-06:00"."""
    named = _NAMED_OFFSET.search(text)
    if named:
        hours, minutes = int(named.group(3)), int(named.group(4) or 0)
        offset = f"{named.group(2)}{hours:02d}:{minutes:02d}"
        return text[: named.start()] + named.group(1) + offset
    return _SPACED_OFFSET.sub(r"\1\2", text)


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
    raw = map_distinct(values, text_or_none)
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
        country_iso3=_shared(raw.map({k: c.iso3 for k, c in found.items()}), np.nan),
        region=_shared(raw.map({k: c.region or UNKNOWN for k, c in found.items()}), UNKNOWN),
        subregion=_shared(raw.map({k: c.subregion or UNKNOWN for k, c in found.items()}), UNKNOWN),
    )


_LISTED_NAMES = 10  # a note names this many values, then says how many more


def name_notes(respondents: pd.DataFrame, places: Places) -> list[str]:
    """The report's notes on names read in another language and on region names, from the
    respondents' country_raw / country_iso3 / language_raw / language columns."""
    notes: list[str] = []
    # Named in the language in force, as the pages name countries.
    country_names = {iso3: geo.country_name(iso3, c.name_en) for iso3, c in geo.countries().items()}
    counted = places.subnational if places.subnational_counted else {}
    # Each selection takes only the columns it reads: copies of the whole frame, two alive at
    # once, put the import's peak at ten million answers 360 MB higher (1,862 MiB, not 1,506).
    resolved = respondents.loc[respondents["country_iso3"].notna(), ["country_raw", "country_iso3"]]
    foreign = resolved[
        _each_distinct(resolved["country_raw"], lambda raw: raw not in counted)
        & _each_distinct(resolved["country_raw"], geo.matched_in_another_language)
    ]
    if len(foreign):
        notes.append(
            _listing(
                lambda n: ngettext(
                    "{count} country name matched in another language: {names}.",
                    "{count} country names matched in another language: {names}.",
                    n,
                ),
                foreign.groupby("country_raw", sort=False)["country_iso3"].agg(["first", "size"]),
                lambda iso3: country_names[iso3],
            )
        )
    languages_read = respondents.loc[
        respondents["language"].ne(UNDETERMINED), ["language_raw", "language"]
    ]
    foreign = languages_read[
        _each_distinct(
            languages_read["language_raw"], language_reference.matched_in_another_language
        )
    ]
    if len(foreign):
        notes.append(
            _listing(
                lambda n: ngettext(
                    "{count} language name matched in another language: {names}.",
                    "{count} language names matched in another language: {names}.",
                    n,
                ),
                foreign.groupby("language_raw", sort=False)["language"].agg(["first", "size"]),
                lambda code: f"{i18n.language_name(code)} ({code})",
            )
        )
    if places.subnational:
        regions = respondents.loc[
            respondents["country_raw"].isin(list(places.subnational)), ["country_raw"]
        ]
        by_name = regions.groupby("country_raw", sort=False)["country_raw"].agg(["first", "size"])
        by_name["first"] = [places.subnational[name] for name in by_name.index]
        if places.subnational_counted:
            notes.append(
                _listing(
                    lambda n: ngettext(
                        "{count} region name counted under the country ([parse] "
                        "subnational_places): {names}.",
                        "{count} region names counted under the country ([parse] "
                        "subnational_places): {names}.",
                        n,
                    ),
                    by_name,
                    lambda iso3: country_names[iso3],
                )
            )
        else:
            for name, (iso3, size) in list(by_name.iterrows())[:_LISTED_NAMES]:
                country = country_names[iso3]
                notes.append(
                    ngettext(
                        "'{name}' is a region of {country}: set [parse] subnational_places = "
                        "true to count it under {country} ({count} respondent kept as Unknown).",
                        "'{name}' is a region of {country}: set [parse] subnational_places = "
                        "true to count it under {country} ({count} respondents kept as Unknown).",
                        size,
                    ).format(name=name, country=country, count=i18n.number(size))
                )
            if len(by_name) > _LISTED_NAMES:
                more = len(by_name) - _LISTED_NAMES
                notes.append(
                    ngettext(
                        "{count} more region name is kept as Unknown; [parse] "
                        "subnational_places = true counts it under its country.",
                        "{count} more region names are kept as Unknown; [parse] "
                        "subnational_places = true counts them under their countries.",
                        more,
                    ).format(count=i18n.number(more))
                )
    return notes


def _each_distinct(values: pd.Series, test: Callable[[object], bool]) -> pd.Series:
    """`test` of each value as a boolean column, asked once per distinct value."""
    answers = {value: bool(test(value)) for value in pd.unique(values.to_numpy(dtype=object))}
    return values.map(answers).astype(bool)


def _listing(
    sentence: Callable[[int], str], by_name: pd.DataFrame, label: Callable[[str], str]
) -> str:
    """ "3 country names matched in another language: Deutschland → Germany (12 respondents),
    ..." from a frame indexed by the raw name with columns first (the meaning) and size;
    `sentence` gives the sentence for a count, its `{count}` and `{names}` to fill."""
    by_name = by_name.sort_values("size", ascending=False, kind="stable")
    shown = ", ".join(
        _("{name} → {meaning} ({respondents})").format(
            name=name, meaning=label(meaning), respondents=_respondents(size)
        )
        for name, (meaning, size) in list(by_name.iterrows())[:_LISTED_NAMES]
    )
    more = len(by_name) - _LISTED_NAMES
    if more > 0:
        shown = _("{names}, and {count} more").format(names=shown, count=i18n.number(more))
    return sentence(len(by_name)).format(count=i18n.number(len(by_name)), names=shown)


def _respondents(count: int) -> str:
    return ngettext("{count} respondent", "{count} respondents", count).format(
        count=i18n.number(count)
    )


def languages(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Raw text and ISO 639-1 code ('und' where blank or unknown)."""
    raw = map_distinct(values, text_or_none)
    distinct = [v for v in pd.unique(raw.to_numpy(dtype=object)) if v is not None]
    return raw, _shared(raw.map(resolve_languages(distinct)), UNDETERMINED)


def _shared(values: pd.Series, missing: object) -> pd.Series:
    """`values` as Python objects, `missing` where they are missing, with one object per
    distinct value: `astype(object)` made one string per row (2.5 million objects for the places
    of 191,000 respondents, some 1.4 GB at ten million answers). A column where nothing matched
    (all-NaN floats) becomes objects all the same."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = list(uniques)
    table[-1] = missing  # what code -1, a missing value, takes
    return pd.Series(table[codes], index=values.index, dtype=object, name=values.name)


def map_distinct(values: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """`values.map(function)`, calling it once per distinct value rather than once per row."""
    if values.empty:
        return values.map(function)  # keeps the type an empty column has
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # The results' type inferred from the distinct ones, as `map` infers it from every row's;
    # the last is what code -1, a missing value, takes.
    table = pd.Series([*(function(value) for value in uniques), function(None)])
    return pd.Series(table.take(codes).array, index=values.index, name=values.name)


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
