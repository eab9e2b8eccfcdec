"""Timeline: when responses arrived, against the consultation window."""

import pandas as pd
import streamlit as st

from dashboard.publish import catalogue, charts
from dashboard.reference import geo
from dashboard.reference.i18n import N_, _
from dashboard.web import access, ui

access.require_page(__file__)  # before anything is read or drawn

# Kept in the address by id (?split=language); old links carry the English labels.
SPLITS = {"all": N_("Nothing"), "language": N_("Language"), "region": N_("Region")}
BINS = {"day": N_("day"), "hour": N_("hour")}

# Every title the choices can make, whole, so that each reads well in every language.
TITLES = {
    ("responses", "day", "all"): _("Responses per day"),
    ("responses", "day", "language"): _("Responses per day by language"),
    ("responses", "day", "region"): _("Responses per day by region"),
    ("responses", "hour", "all"): _("Responses per hour"),
    ("responses", "hour", "language"): _("Responses per hour by language"),
    ("responses", "hour", "region"): _("Responses per hour by region"),
    ("respondents", "day", "all"): _("Respondents per day"),
    ("respondents", "day", "language"): _("Respondents per day by language"),
    ("respondents", "day", "region"): _("Respondents per day by region"),
    ("respondents", "hour", "all"): _("Respondents per hour"),
    ("respondents", "hour", "language"): _("Respondents per hour by language"),
    ("respondents", "hour", "region"): _("Respondents per hour by region"),
}

view = ui.current_view()
ui.heading(view, _("Timeline"))
zone = view.filters.timezone
consultation = view.consultation
opens = pd.Timestamp(consultation.opens).tz_convert(zone)
closes = pd.Timestamp(consultation.closes).tz_convert(zone)
short_window = (closes - opens) <= pd.Timedelta(days=3)

periods = view.cells("by_period")
if ui.nothing_matches(periods):
    st.stop()
columns = st.columns(len(periods))
for column, row in zip(columns, periods.itertuples(), strict=True):
    column.metric(
        _(catalogue.PERIOD_LABELS.get(row.period, catalogue.PERIOD_LABELS["unknown"])),
        # A hidden cell reads "< k", as in every table.
        _("{count} responses").format(count=view.count(row.responses, row.respondents)),
        _("{count} respondents").format(count=view.count(row.respondents)),
        delta_color="off",
        delta_arrow="off",
    )

left, middle, right = st.columns(3)
with left:
    bin_size = (
        ui.bound(
            st.segmented_control,
            _("Bins"),
            list(BINS),
            key="bin",
            format_func=lambda size: _(BINS[size]),
            initial={"default": "hour" if short_window else "day"},
        )
        or "day"
    )
with middle:
    split = (
        ui.bound(
            st.segmented_control,
            _("Split by"),
            list(SPLITS),
            key="split",
            format_func=lambda way: _(SPLITS[way]),
            initial={"default": "all"},
        )
        or "all"
    )
with right:
    measure = (
        ui.bound(
            st.segmented_control,
            _("Count"),
            ["responses", "respondents"],
            key="measure",
            format_func=charts.measure_name,
            initial={"default": "responses"},
        )
        or "responses"
    )

timeline = view.cells("timeline", bin=bin_size, split=split)
colours = {**charts.LANGUAGE_COLOURS, **charts.REGION_COLOURS, "All": charts.OKABE_ITO[0]}
if split == "language":
    labels = {code: ui.language_label(code) for code in timeline["series"]}
else:
    labels = {name: geo.place_name(name) for name in timeline["series"]}
    labels["All"] = _("All")
ui.chart(
    ui.drawn(
        charts.timeline,
        timeline,
        title=TITLES[(measure, bin_size, split)],
        opens=opens,
        closes=closes,
        zone_label=zone,
        value=measure,
        bin_label=bin_size,
        colours=colours,
        labels=labels,
    ),
    timeline,
    key="timeline",
)
# The running total of everyone, whatever the split: summing split cells would hide a bin
# whenever one small series in it is hidden.
everyone = view.cells("timeline", bin=bin_size, split="all")
ui.chart(
    ui.drawn(
        charts.cumulative,
        everyone,
        title=_("Cumulative participation (respondents)"),
        opens=opens,
        closes=closes,
        zone_label=zone,
    ),
    catalogue.cumulative_numbers(everyone, view.context(), period=bin_size),
    key="cumulative",
)
ui.chart(
    ui.drawn(charts.period_chart, periods, title=_("Respondents and responses against the window")),
    periods,
    key="periods",
)
