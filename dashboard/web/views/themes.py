"""Themes: which areas and questions people answered, from where and in which language."""

import json

import streamlit as st

from dashboard.publish import catalogue, charts
from dashboard.reference import i18n
from dashboard.reference.i18n import _
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

view = ui.current_view()
ui.heading(view, _("Themes"))
themes = view.cells("by_theme")
if ui.nothing_matches(themes, column="responses"):
    st.stop()

theme_ids = [t.id for t in view.consultation.themes]
labels = view.theme_labels()
ui.chart(
    ui.drawn(
        charts.paired_bar_chart,
        themes,
        "theme_id",
        title=_("Respondents and responses by theme"),
        labels=labels,
    ),
    themes.assign(theme=themes["theme_id"].map(labels)),
    key="themes",
)
st.caption(_("A theme's respondents are those with at least one response in it."))

st.header(_("Questions"))
# The texts in the interface's language when the consultation has them.
languages = list(view.consultation.languages)
text_language = st.selectbox(
    _("Show question texts in"),
    languages,
    index=languages.index(i18n.current()) if i18n.current() in languages else 0,
    format_func=ui.language_label,
    key="text-language",
)
questions = view.cells("by_question")
questions = questions.assign(
    theme=questions["theme_id"].map(labels).fillna(questions["theme_id"]),
    question=[
        json.loads(texts).get(text_language) or i18n.pick(json.loads(texts), qid)
        for qid, texts in zip(questions["question_id"], questions["texts"], strict=True)
    ],
)[["question_id", "theme", "question", "respondents", "responses"]]
question_texts = dict(zip(questions["question_id"], questions["question"], strict=True))
ui.numbers_table(questions.rename(columns={"question_id": _("Id")}))

options = view.cells("by_option")
if not options.empty:
    st.header(_("Options chosen (multi-column questions)"))
    st.caption(
        _(
            "Some questions fill several columns of the export: the options of a select-all "
            'question, the rows of a matrix, numbered fields, a choice and its "Other". A '
            "respondent's answer to such a question is one response, however many options it "
            "holds. These are not responses: each bar counts the respondents who chose that "
            "option, and since one may choose several, options do not add up to the question's "
            "responses."
        )
    )
    option_question = st.selectbox(
        _("Question"),
        list(dict.fromkeys(options["question_id"])),
        format_func=lambda qid: f"{i18n.isolate(qid)}: {question_texts.get(qid, qid)}",
        key="option-question",
    )
    chosen = options[options["question_id"] == option_question]
    ui.chart(
        ui.drawn(
            charts.bar_chart,
            chosen,
            "option",
            "respondents",
            title=_("Respondents who chose each option of {question}").format(
                question=i18n.isolate(option_question)
            ),
            value_label=_("Respondents"),
        ),
        chosen[["question_id", "option", "respondents"]].rename(
            columns={"question_id": _("Id"), "option": _("Option")}
        ),
        key="options",
    )

measure = st.segmented_control(
    _("Count"),
    ["responses", "respondents"],
    default="responses",
    format_func=charts.measure_name,
    key="theme-measure",
)
measure = measure or "responses"
by_region = view.cells("theme_by_region")
regions = [r for r in charts.REGION_COLOURS if r in set(by_region["region"])]
ui.chart(
    ui.drawn(
        charts.heatmap,
        by_region,
        rows="theme_id",
        columns="region",
        value=measure,
        title=_("Respondents by theme and region (M49)")
        if measure == "respondents"
        else _("Responses by theme and region (M49)"),
        row_order=ui.with_unknown(theme_ids, by_region["theme_id"]),
        column_order=regions,
        row_labels=labels,
        column_labels=catalogue.place_names(by_region["region"]),
    ),
    by_region.assign(theme=by_region["theme_id"].map(labels)),
    key="theme-region",
)
by_language = view.cells("theme_by_language")
languages = charts.language_order(sorted(set(by_language["language"])))
ui.chart(
    ui.drawn(
        charts.heatmap,
        by_language,
        rows="theme_id",
        columns="language",
        value=measure,
        title=_("Respondents by theme and language")
        if measure == "respondents"
        else _("Responses by theme and language"),
        row_order=ui.with_unknown(theme_ids, by_language["theme_id"]),
        column_order=languages,
        row_labels=labels,
        column_labels={c: ui.language_label(c) for c in languages},
    ),
    by_language.assign(theme=by_language["theme_id"].map(labels)),
    key="theme-language",
)

st.header(_("Codes"))
if not view.codebook.codes:
    st.info(
        _(
            "This consultation has no codebook yet: add one on the Codebook page to see the "
            "finer topics people raised, by region, language and day."
        )
    )
else:
    st.caption(
        _(
            "Codes are finer topics found by the codebook's keywords (in every language) or "
            "given by analysts. An answer may carry several codes, so codes do not add up to "
            "the total."
        )
    )
    ui.catalogue_chart("respondents-and-responses-by-code", key="codes")
    ui.catalogue_chart("responses-by-code-and-region", key="code-region")
    ui.catalogue_chart("responses-by-code-and-language", key="code-language")
    ui.catalogue_chart("responses-per-day-by-code", key="code-days")

if not view.access.can("analyst"):
    st.stop()  # answers are for analysts: viewers see the figures only

# Typical answers: the answers closest to a theme's or code's centre, to read and pin as
# quotes for the report ("What respondents said").
st.header(_("Typical answers"))
st.caption(
    _(
        "For the theme or code you choose, the answers matching the filters that are closest "
        "to what its answers have in common (their shared character sequences, weighed by "
        "TF-IDF), redacted. Pin those that say it best: pinned quotes go into the report pack "
        "and the Word report under “What respondents said”, with their language, place and "
        "stakeholder type, never who wrote them."
    )
)
code_labels = view.code_labels()
subjects = [f"theme:{t}" for t in theme_ids] + [f"code:{c.id}" for c in view.codebook.codes]


def subject_label(key: str) -> str:
    kind, subject = key.split(":", 1)
    if kind == "theme":
        return _("Theme: {theme}").format(theme=labels.get(subject, subject))
    return _("Code: {code}").format(code=code_labels.get(subject, subject))


chosen = st.selectbox(
    _("Typical answers of"),
    subjects,
    index=None,
    format_func=subject_label,
    placeholder=_("Choose a theme or a code"),
    key="typical-subject",
)
if chosen is None:
    st.stop()
kind, subject = chosen.split(":", 1)
consultation = view.consultation
k = 1 if view.exact else consultation.suppression_k
if view.totals().respondents is None:
    st.info(
        _(
            "Fewer than {k} respondents match these filters, so their answers are not listed. "
            "Widen the filters in the sidebar."
        ).format(k=consultation.suppression_k)
    )
    st.stop()
typical_answers = data.typical_answers(
    view.version, consultation.id, view.filters, kind, subject, k
)
if typical_answers is None:
    st.info(
        _(
            "Fewer than {k} respondents gave the answers about it that match these filters, "
            "so they are not listed."
        ).format(k=consultation.suppression_k)
    )
    st.stop()
if typical_answers.empty:
    st.info(_("No answer about it matches these filters."))
    st.stop()


def pin(answer: tuple[int, int, str], pinned: bool) -> None:
    change = data.unpin_quote if pinned else data.pin_quote
    change(consultation.id, kind, subject, answer, view.access.who)


for row in typical_answers.itertuples():
    ui.quote_card(
        row, closeness=float(row.closeness), pinned=bool(row.pinned), key="typical", pin=pin
    )

pinned = data.pinned_quotes(view.version, consultation.id, view.filters, k)
pinned = pinned[(pinned["kind"] == kind) & (pinned["subject_id"] == subject)]
st.subheader(_("Pinned quotes of {subject}").format(subject=subject_label(chosen)))
if pinned.empty:
    st.caption(_("None yet under these filters."))
else:
    st.caption(
        _(
            "The report includes the pinned quotes whose answers match its filters; those "
            "that do not match the sidebar's filters are not listed here."
        )
    )
    for row in pinned.itertuples():
        ui.quote_card(row, closeness=None, pinned=True, key="pinned", pin=pin)
