"""Overview: who took part, from where, in which language, on which theme, and when."""

import pandas as pd
import streamlit as st

from dashboard.publish import charts
from dashboard.reference import i18n
from dashboard.reference.i18n import _
from dashboard.web import access, ui

access.require_page(__file__)  # before anything is read or drawn

view = ui.current_view()
ui.heading(view, _("Overview"))
# The totals as released (perturbed under filters): the breakdowns below come with their own
# (protected) figures.
totals = view.totals()
countries = view.cells("by_country")
languages = view.cells("by_language_group")
periods = view.cells("by_period")

during = periods.loc[periods["period"] == "during", "responses"]
known = bool(totals.responses) and not during.isna().any()
share = min(1.0, during.sum() / totals.responses) if known else None
columns = st.columns(5)
columns[0].metric(_("Respondents"), view.count(totals.respondents))
columns[1].metric(_("Responses"), view.count(totals.responses, totals.respondents))
columns[2].metric(_("Countries"), i18n.number((countries["iso3"] != "Unknown").sum()))
columns[3].metric(_("Languages"), i18n.number((languages["respondents"].fillna(1) > 0).sum()))
columns[4].metric(
    _("Responses inside the window"),
    "–" if share is None else i18n.percent(share),
    help=_("Share of responses submitted between opening and closing (inclusive)."),
)
if ui.nothing_matches(countries):
    st.stop()

left, right = st.columns(2)
with left:
    ui.catalogue_chart("respondents-by-region", key="overview-regions")
    themes = view.cells("by_theme")
    labels = view.theme_labels()
    ui.chart(
        ui.drawn(
            charts.bar_chart,
            themes,
            "theme_id",
            "responses",
            title=_("Responses by theme"),
            value_label=_("Responses"),
            labels=labels,
            colours=charts.theme_colours([t.id for t in view.consultation.themes]),
        ),
        themes.assign(theme=themes["theme_id"].map(labels)),
        key="overview-themes",
    )
with right:
    ui.chart(
        ui.drawn(
            charts.bar_chart,
            languages,
            "language",
            "respondents",
            title=_("Respondents by language"),
            value_label=_("Respondents"),
            labels={code: ui.language_label(code) for code in languages["language"]},
            colours=charts.LANGUAGE_COLOURS,
        ),
        languages,
        key="overview-languages",
    )
    timeline = view.cells("timeline", bin="day", split="all")
    zone = view.filters.timezone
    ui.chart(
        ui.drawn(
            charts.timeline,
            timeline,
            title=_("Responses per day"),
            opens=pd.Timestamp(view.consultation.opens).tz_convert(zone),
            closes=pd.Timestamp(view.consultation.closes).tz_convert(zone),
            zone_label=zone,
        ),
        timeline,
        key="overview-timeline",
    )
