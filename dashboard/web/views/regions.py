"""Regions: where respondents are from, by country, M49 region or UN regional group."""

import streamlit as st

from dashboard.web import access, ui

access.require_page(__file__)  # before anything is read or drawn

M49, UN_GROUPS = "M49 regions", "UN regional groups"

view = ui.current_view()
ui.heading(view, "Regions")
if ui.nothing_matches(view.cells("by_country")):
    st.stop()

countries = ui.catalogue_chart("respondents-by-country", key="map")
unknown = countries.loc[countries["iso3"] == "Unknown", "respondents"]
if not unknown.empty:
    st.caption(
        f"{view.count(unknown.iloc[0])} respondents gave no country or one that could not be "
        "recognised; they are counted under 'Unknown' and not drawn on the map."
    )

grouping = st.segmented_control(
    "Group countries by", [M49, UN_GROUPS], default=M49, key="grouping", bind="query-params"
)
if grouping == UN_GROUPS:
    ui.catalogue_chart("respondents-by-un-group", key="un-groups")
else:
    left, right = st.columns(2)
    with left:
        ui.catalogue_chart("respondents-by-region", key="regions")
    with right:
        ui.catalogue_chart("respondents-by-subregion", key="subregions")

st.subheader("Respondents by country")
ui.numbers_table(countries, height=480)
