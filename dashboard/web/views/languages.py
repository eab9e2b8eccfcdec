"""Languages: in which languages people took part, and on which themes."""

import streamlit as st

from dashboard.publish import charts
from dashboard.reference.i18n import _
from dashboard.web import access, ui

access.require_page(__file__)  # before anything is read or drawn

view = ui.current_view()
ui.heading(view, _("Languages"))
languages = view.cells("by_language_group")
if ui.nothing_matches(languages):
    st.stop()

labels = {code: ui.language_label(code) for code in languages["language"]}
ui.chart(
    ui.drawn(
        charts.paired_bar_chart,
        languages,
        "language",
        title=_("Respondents and responses by language"),
        labels=labels,
    ),
    languages.assign(language=languages["language"].map(labels)),
    key="languages",
)
st.caption(
    _(
        "The six official UN languages are always listed; other languages are grouped, and "
        "listed one by one in the table below."
    )
)
detail = view.cells("by_language")
detail = detail[detail["respondents"].fillna(1) > 0]  # hidden counts are at least 1
ui.numbers_table(detail.assign(language=detail["language"].map(ui.language_label)))

by_theme = view.cells("theme_by_language")
theme_ids = [t.id for t in view.consultation.themes]
theme_labels = view.theme_labels()
present = charts.language_order(sorted(set(by_theme["language"])))
measure = st.segmented_control(
    _("Count"),
    ["responses", "respondents"],
    default="responses",
    format_func=charts.measure_name,
    key="language-measure",
)
ui.chart(
    ui.drawn(
        charts.heatmap,
        by_theme,
        rows="theme_id",
        columns="language",
        value=measure or "responses",
        title=_("Respondents by theme and language")
        if measure == "respondents"
        else _("Responses by theme and language"),
        row_order=ui.with_unknown(theme_ids, by_theme["theme_id"]),
        column_order=present,
        row_labels=theme_labels,
        column_labels={c: ui.language_label(c) for c in present},
    ),
    by_theme.assign(theme=by_theme["theme_id"].map(theme_labels)),
    key="language-theme",
)

# The language each answer is written in, detected at import, against the one its respondent
# declared: an English form answered in Spanish, or Arabic speakers answering in French.
st.header(_("Declared language and the answers' own language"))
pairs = view.cells("language_by_answer_language")
if pairs.empty:
    st.caption(_("No answers match the filters."))
else:
    declared = charts.language_order(sorted(set(pairs["language"])))
    detected = charts.language_order(sorted(set(pairs["answer_language"]) - {"und"}))
    detected += ["und"] if "und" in set(pairs["answer_language"]) else []
    pair_measure = st.segmented_control(
        _("Count"),
        ["responses", "respondents"],
        default="responses",
        format_func=charts.measure_name,
        key="answer-language-measure",
    )
    ui.chart(
        ui.drawn(
            charts.heatmap,
            pairs,
            rows="language",
            columns="answer_language",
            value=pair_measure or "responses",
            title=_("Respondents by declared language and language of the answer")
            if pair_measure == "respondents"
            else _("Responses by declared language and language of the answer"),
            row_order=declared,
            column_order=detected,
            row_labels={c: ui.language_label(c) for c in declared},
            column_labels={c: ui.answer_language_label(c) for c in detected},
        ),
        pairs.assign(
            language=pairs["language"].map(ui.language_label),
            answer_language=pairs["answer_language"].map(ui.answer_language_label),
        ),
        key="declared-by-answer-language",
    )
    st.caption(
        _(
            "Rows: the language the respondent declared. Columns: the language the answer is "
            "written in, detected by the dashboard offline; answers under 20 characters, or in "
            "no clear language, are counted as not detected."
        )
    )
