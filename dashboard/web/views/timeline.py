"""Timeline: when responses arrived, against the consultation window."""

import pandas as pd
import streamlit as st

from dashboard.publish import catalogue, charts
from dashboard.web import access, ui

access.require_page(__file__)  # before anything is read or drawn

SPLITS = {"Nothing": "all", "Language": "language", "Region": "region"}

view = ui.current_view()
ui.heading(view, "Timeline")
zone = view.filters.timezone
consultation = view.consultation
opens = pd.Timestamp(consultation.opens).tz_convert(zone)
closes = pd.Timestamp(consultation.closes).tz_convert(zone)
short_window = (closes - opens) <= pd.Timedelta(days=3)

periods = view.cells("by_period")
if ui.nothing_matches(periods):
    st.stop()
columns = st.columns(len(periods))
words = {"before": "Before opening", "during": "During", "after": "After closing"}
for column, row in zip(columns, periods.itertuples(), strict=True):
    column.metric(
        words.get(row.period, "Time unknown"),
        # A hidden cell reads "< k", as in every table.
        f"{view.count(row.responses, row.respondents)} responses",
        f"{view.count(row.respondents)} respondents",
        delta_color="off",
        delta_arrow="off",
    )

left, middle, right = st.columns(3)
bin_size = (
    left.segmented_control(
        "Bins",
        ["day", "hour"],
        default="hour" if short_window else "day",
        key="bin",
        bind="query-params",
    )
    or "day"
)
split = (
    middle.segmented_control(
        "Split by", list(SPLITS), default="Nothing", key="split", bind="query-params"
    )
    or "Nothing"
)
measure = (
    right.segmented_control(
        "Count",
        ["responses", "respondents"],
        default="responses",
        key="measure",
        bind="query-params",
    )
    or "responses"
)

timeline = view.cells("timeline", bin=bin_size, split=SPLITS[split])
colours = {**charts.LANGUAGE_COLOURS, **charts.REGION_COLOURS, "All": charts.OKABE_ITO[0]}
labels = (
    {code: ui.language_label(code) for code in timeline["series"]} if split == "Language" else {}
)
ui.chart(
    charts.timeline(
        timeline,
        title=f"{measure.capitalize()} per {bin_size}"
        + (f" by {split.lower()}" if split != "Nothing" else ""),
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
    charts.cumulative(
        everyone,
        title="Cumulative participation (respondents)",
        opens=opens,
        closes=closes,
        zone_label=zone,
    ),
    catalogue.cumulative_numbers(everyone, view.context(), period=bin_size),
    key="cumulative",
)
ui.chart(
    charts.period_chart(periods, title="Respondents and responses against the window"),
    periods,
    key="periods",
)
