"""Compare: two to four segments, each a set of the sidebar's filters, side by side in every
breakdown, as counts, as shares of each segment, and as differences from the first segment."""

from dataclasses import replace

import streamlit as st

from dashboard.protection import perturbation
from dashboard.publish import charts, compare
from dashboard.reference.i18n import _
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

view = ui.current_view()
ui.page_css()
st.title(_("Compare"))
st.caption(
    _(
        "Each segment is a set of filters, chosen here as in the sidebar; the sidebar's own "
        "filters do not apply on this page (its time zone does). A segment's figures are those "
        "its own pages show for the same filters. Shares are of each segment's respondents (or "
        "responses) as released, and differences are in percentage points from segment A."
    )
)
st.caption(perturbation.scheme_text(view.consultation.suppression_k, exact=view.exact))

left, right = st.columns(2)
with left:
    count = ui.bound(
        st.segmented_control,
        _("Segments"),
        list(range(compare.MIN_SEGMENTS, compare.MAX_SEGMENTS + 1)),
        key="segments",
        initial={"default": compare.MIN_SEGMENTS},
    )
count = count or compare.MIN_SEGMENTS
with right:
    measure = (
        ui.bound(
            st.segmented_control,
            _("Count"),
            ["respondents", "responses"],
            key="compare-measure",
            format_func=charts.measure_name,
            initial={"default": "respondents"},
        )
        or "respondents"
    )

ids = data.consultation_ids(view.version)
views = []
for i, column in enumerate(st.columns(count)):
    prefix = f"s{i + 1}-"
    # Open until the address holds a choice for it: then its figures come first.
    chosen_already = any(key.startswith(prefix) for key in st.query_params)
    with column.expander(compare.segment_name(i), expanded=not chosen_already):
        consultation_id, chosen = ui.filter_widgets(
            view.version, ids, prefix=prefix, first=view.consultation.id
        )
    # The page's own view with the segment's consultation and filters: its cells are the cells
    # the single-segment pages show for those filters (same cache, same protection).
    views.append(
        replace(
            view,
            consultation=data.consultation(view.version, consultation_id),
            filters=replace(chosen, timezone=view.filters.timezone),
        )
    )
segments = [compare.Segment(v.consultation, v.filters, v.codebook) for v in views]
totals = [v.totals() for v in views]
names = [compare.segment_name(i) for i in range(count)]

for column, segment_view, name, total in zip(st.columns(count), views, names, totals, strict=True):
    column.metric(
        _("{segment}: respondents").format(segment=name),
        segment_view.count(total.respondents),
    )
    column.caption(ui.plain(segment_view.context().filter_text()))
if all(t.respondents is not None and t.respondents == 0 for t in totals):
    st.info(_("Nothing matches these filters. Widen them in the sidebar to see figures."))
    st.stop()

lines = compare.segment_lines(segments, totals, exact=view.exact)
for breakdown in compare.breakdowns(segments):
    frames = [v.cells(breakdown.query, **breakdown.parameters) for v in views]
    released = [getattr(t, measure) for t in totals]
    table = compare.compare(frames, released, breakdown.key, measure)
    st.header(breakdown.heading)
    if table.empty:
        st.info(_("Nothing matches these filters. Widen them in the sidebar to see figures."))
        continue
    title = compare.title(breakdown, measure)
    labels = compare.row_labels(breakdown, segments, table[breakdown.key], short=True)
    ui.chart(
        ui.drawn(charts.comparison_bars, table, breakdown.key, names, title=title, labels=labels),
        compare.numbers(table, breakdown, segments, measure),
        shown=compare.numbers(table, breakdown, segments, measure, as_text=True),
        key=f"compare-{breakdown.slug}",
        about=ui.FileText(
            footer=lambda heading: compare.footer(heading, segments, totals, exact=view.exact),
            source=lambda: [*lines, perturbation.scheme_text(view.consultation.suppression_k)],
            subtitle=_("Segments compared"),
            stem=lambda heading: compare.file_stem(heading, segments),
            audit={"segments": compare.audit_segments(segments)},
        ),
    )
