"""Time zone settings as people write them: IANA names, and fixed offsets such as "UTC-6",
"GMT-06:00" or "-06:00".

A fixed offset is read with the sign people mean (UTC-6 is six hours behind UTC). IANA's
`Etc/GMT±n` names are the trap: they keep the POSIX sign, so `Etc/GMT-6` is six hours *ahead*
of UTC. `posix_sign_warning` says so in words wherever such a name is in force.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dashboard.reference.i18n import _, isolate, ngettext, number

# "UTC-6", "UTC+05:30", "GMT-06:00", "GMT+0530", "-06:00", "+0530", "-06" (whole setting).
_OFFSET_SETTING = re.compile(
    r"^\s*(?:(?P<prefix>UTC|GMT)\s*)?(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?\s*$",
    re.IGNORECASE,
)
_ETC_GMT = re.compile(r"^Etc/GMT(?P<sign>[+-])(?P<hours>\d{1,2})$", re.IGNORECASE)
MAX_OFFSET = timedelta(hours=14)  # Kiribati's UTC+14 is the furthest any zone goes


class UnknownZone(ValueError):
    """A time zone setting that is neither an IANA name nor a fixed offset."""


def fixed_offset(text: str) -> timedelta | None:
    """The offset from UTC that `text` writes ("UTC-6" is -6 h), or None when it is not an
    offset. A bare number needs its sign and two-digit hours ("-06", "-06:00"), so that a
    stray "6" is not taken for a zone."""
    match = _OFFSET_SETTING.match(text)
    if not match:
        return None
    if not match["prefix"] and len(match["hours"]) != 2:
        return None
    minutes = int(match["minutes"] or 0)
    offset = timedelta(hours=int(match["hours"]), minutes=minutes)
    if minutes >= 60 or offset > MAX_OFFSET:
        return None
    return -offset if match["sign"] == "-" else offset


def offset_label(offset: timedelta) -> str:
    """An offset as "UTC+06:00" / "UTC-05:30"."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def zone_info(name: str) -> tzinfo:
    """The tzinfo for a setting: ZoneInfo for an IANA name, a fixed `timezone` for an offset."""
    if not isinstance(name, str):
        raise UnknownZone(
            _("a time zone is a name such as 'Europe/Zurich', not {value}").format(
                value=isolate(repr(name))
            )
        )
    offset = fixed_offset(name)
    if offset is not None:
        return timezone(offset)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise UnknownZone(
            _(
                "unknown time zone {zone}; use an IANA name such as 'Europe/Zurich' or a fixed "
                "offset such as 'UTC-6' or 'UTC+05:30'"
            ).format(zone=isolate(repr(name)))
        ) from exc


def iana_name(name: str) -> str:
    """An IANA name for a setting, for the places (DuckDB, the filters) that take names only:
    a whole-hour offset becomes its `Etc/GMT` name, sign inverted as POSIX wants ("UTC-6" is
    "Etc/GMT+6"). An offset with minutes has no such name, so it is refused with the fix."""
    offset = fixed_offset(name)
    if offset is None:
        zone_info(name)  # raises UnknownZone with the message
        return name
    if offset % timedelta(hours=1):
        raise UnknownZone(
            _(
                "{zone} ({offset}) has no IANA fixed-offset name; use the region's zone "
                "instead, e.g. 'Asia/Kolkata' for UTC+05:30"
            ).format(zone=isolate(repr(name)), offset=isolate(offset_label(offset)))
        )
    hours = int(offset / timedelta(hours=1))
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def posix_sign_warning(name: str) -> str | None:
    """For an `Etc/GMT±n` name, what it means in words; None for any other setting."""
    match = _ETC_GMT.match(name.strip())
    if not match:
        return None
    hours = int(match["hours"])
    if hours == 0:
        return None
    meant = "-" if match["sign"] == "+" else "+"
    # Behind and ahead are two sentences, each with its plural, for the languages to word.
    sentence = (
        ngettext(
            "{zone} means {offset}: POSIX signs are inverted, so times in this zone are {hours} "
            "hour behind UTC.",
            "{zone} means {offset}: POSIX signs are inverted, so times in this zone are {hours} "
            "hours behind UTC.",
            hours,
        )
        if meant == "-"
        else ngettext(
            "{zone} means {offset}: POSIX signs are inverted, so times in this zone are {hours} "
            "hour ahead of UTC.",
            "{zone} means {offset}: POSIX signs are inverted, so times in this zone are {hours} "
            "hours ahead of UTC.",
            hours,
        )
    )
    return sentence.format(
        zone=isolate(name), offset=isolate(f"UTC{meant}{hours}"), hours=number(hours)
    )
