"""Regions: where respondents are from, by country, M49 region or UN regional group."""

import streamlit as st

from dashboard.publish import catalogue
from dashboard.reference.i18n import N_, _
from dashboard.web import access, ui

access.require_page(__file__)  # before anything is read or drawn

# Kept in the address by these ids; old links carry the English labels, which still work.
M49, UN_GROUPS = "m49", "un-groups"
GROUPINGS = {M49: N_("M49 regions"), UN_GROUPS: N_("UN regional groups")}

view = ui.current_view()
ui.heading(view, _("Regions"))
if ui.nothing_matches(view.cells("by_country")):
    st.stop()

countries = ui.catalogue_chart("respondents-by-country", key="map")
unknown = countries.loc[countries["iso3"] == "Unknown", "respondents"]
if not unknown.empty:
    st.caption(
        _(
            "{count} respondents gave no country or one that could not be recognised; they are "
            "counted under 'Unknown' and not drawn on the map."
        ).format(count=view.count(unknown.iloc[0]))
    )

grouping = ui.bound(
    st.segmented_control,
    _("Group countries by"),
    list(GROUPINGS),
    key="grouping",
    format_func=lambda grouping: _(GROUPINGS[grouping]),
    initial={"default": M49},
)
if grouping == UN_GROUPS:
    ui.catalogue_chart("respondents-by-un-group", key="un-groups")
else:
    left, right = st.columns(2)
    with left:
        ui.catalogue_chart("respondents-by-region", key="regions")
    with right:
        ui.catalogue_chart("respondents-by-subregion", key="subregions")

st.header(_("Respondents by country"))
ui.numbers_table(catalogue.place_labels(countries), height=480)
