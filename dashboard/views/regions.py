"""Regions: where respondents are from, by country, M49 region or UN regional group."""

import streamlit as st

from dashboard import charts, ui

M49, UN_GROUPS = "M49 regions", "UN regional groups"

view = ui.current_view()
ui.heading(view, "Regions")
countries = view.cells("by_country")
if ui.nothing_matches(countries):
    st.stop()

ui.chart(charts.world_map(countries, title="Respondents by country"), countries, key="map")
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
    groups = view.cells("by_un_group")
    ui.chart(
        charts.bar_chart(
            groups,
            "un_group",
            "respondents",
            title="Respondents by UN regional group",
            value_label="Respondents",
            colours=charts.UN_GROUP_COLOURS,
        ),
        groups,
        key="un-groups",
    )
else:
    left, right = st.columns(2)
    with left:
        regions = view.cells("by_region")
        ui.chart(
            charts.bar_chart(
                regions,
                "region",
                "respondents",
                title="Respondents by region (M49)",
                value_label="Respondents",
                colours=charts.REGION_COLOURS,
            ),
            regions,
            key="regions",
        )
    with right:
        subregions = view.cells("by_subregion")
        ui.chart(
            charts.bar_chart(
                subregions,
                "subregion",
                "respondents",
                title="Respondents by sub-region (M49)",
                value_label="Respondents",
                colours={
                    s: charts.REGION_COLOURS.get(r, charts.NEUTRAL)
                    for s, r in zip(subregions["subregion"], subregions["region"], strict=True)
                },
            ),
            subregions,
            key="subregions",
        )

st.subheader("Respondents by country")
ui.numbers_table(countries, height=480)
