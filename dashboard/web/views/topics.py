"""Topics: what people wrote about, found in the answers without a codebook (offline), with
each topic's terms, its size by language and region, example answers, and a code made of it in
one step."""

import streamlit as st

from dashboard.coding.codebook import CodebookError
from dashboard.coding.topics import DEFAULT_TOPICS, MAX_TOPICS, MIN_TOPICS, code_from_topic
from dashboard.publish import charts
from dashboard.reference import geo, i18n
from dashboard.reference.i18n import N_, _, ngettext
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

view = ui.current_view()
ui.heading(view, _("Topics"))
consultation = view.consultation
st.markdown(
    _(
        "Topics found in the answers matching the filters, with no codebook and nothing sent "
        "anywhere: the words of each answer (stemmed in its language; Chinese cut into words), "
        "weighed by how telling they are, grouped into topics by non-negative matrix "
        "factorisation. The same answers always give the same topics. The codebook's keywords, "
        "in all six languages, link answers in different languages on one subject."
    )
)
k = 1 if view.exact else consultation.suppression_k
if view.totals().respondents is None:
    # A population of fewer than k: its answers and their topics could point to them.
    st.info(
        _(
            "Fewer than {k} respondents match these filters, so their answers are not read "
            "for topics. Widen the filters in the sidebar."
        ).format(k=consultation.suppression_k)
    )
    st.stop()

n_topics = st.slider(
    _("Number of topics"), MIN_TOPICS, MAX_TOPICS, DEFAULT_TOPICS, key="topics-count"
)
STEPS = {
    "answers": N_("Reading the answers"),
    "words": N_("Cutting the answers into words"),
    "anchors": N_("Finding the codebook's keywords"),
    "weights": N_("Weighing the words"),
    "topics": N_("Finding the topics"),
    "terms": N_("Naming the topics"),
    "sizes": N_("Counting and protecting the sizes"),
    "done": N_("Done"),
}
bar = st.progress(0.0, text=_("Finding the topics"))
found = data.topics(
    view.version,
    consultation.id,
    view.filters,
    n_topics,
    k,
    on_step=lambda step, fraction: bar.progress(
        min(max(fraction, 0.0), 1.0), text=_(STEPS.get(step, STEPS["topics"]))
    ),
)
bar.empty()
if not found.topics:
    st.info(_("No answer matching these filters has words to find topics in."))
    st.stop()

languages_in = len(found.languages)
st.markdown(
    ngettext(
        "**{topics}** topic in the answers matching the filters, written in {languages} languages.",
        "**{topics}** topics in the answers matching the filters, written in {languages} "
        "languages.",
        len(found.topics),
    ).format(topics=i18n.number(len(found.topics)), languages=i18n.number(languages_in))
)
st.caption(
    _(
        "Sizes count the respondents and responses in each topic; counts of fewer than {k} "
        "respondents are not shown (nor the examples of such a topic). Answers with no "
        "counted word (only short or common words) are in no topic."
    ).format(k=k)
)
code_labels = view.code_labels()


def size_text(respondents: int | None, responses: int | None) -> str:
    if respondents is None:
        return _("fewer than {k} respondents").format(k=k)
    return _("{respondents} respondents, {responses} responses").format(
        respondents=i18n.number(respondents), responses=i18n.number(responses or 0)
    )


def make_code(topic, name: str) -> None:
    """The topic becomes a code of the codebook (its terms as keywords), and every answer is
    re-tagged, through the store's one gate."""
    try:
        new = code_from_topic(view.codebook, topic, name, i18n.current(), consultation)
    except CodebookError as error:
        st.error(
            _("The code was not made.")
            + " "
            + " ".join(ui.plain(message) for message in error.problems.values())
        )
        return
    made = new.codes[-1]
    data.save_codebook(consultation, new, view.access.who)
    st.success(
        _("Code {code} made with {keywords} keywords; every answer was re-tagged.").format(
            code=i18n.isolate(made.id), keywords=i18n.number(len(made.keywords))
        )
    )


for topic in found.topics:
    title = _("Topic {number}: {terms}").format(
        number=i18n.number(topic.number),
        # A topic of fewer than k respondents shows nothing of what its answers say.
        terms=", ".join(topic.terms[:5]) or size_text(None, None),
    )
    with st.container(border=True):
        st.header(ui.plain(title))
        if topic.respondents is None:
            continue
        st.markdown(
            _("**Size**: {size}.").format(size=size_text(topic.respondents, topic.responses))
        )
        if topic.main_language is not None and languages_in > 1:
            st.markdown(
                _(
                    "**Single-language topic**: (almost) all its answers are in {language}; "
                    "it may be a subject only that language's respondents raised, or one the "
                    "codebook's keywords do not yet link across languages."
                ).format(language=ui.language_label(topic.main_language))
            )
        elif languages_in > 1:
            st.markdown(
                _("**Across languages**: {languages}.").format(
                    languages=", ".join(ui.language_label(c) for c in topic.terms_by_language)
                )
            )
        if topic.anchors:
            st.markdown(
                _("**Codes found in many of its answers**: {codes}.").format(
                    codes=", ".join(ui.plain(code_labels.get(c, c)) for c in topic.anchors)
                )
            )
        st.markdown(_("**Terms**: {terms}").format(terms=ui.plain(", ".join(topic.terms))))
        with st.expander(_("Terms by language")):
            for code, words in topic.terms_by_language.items():
                st.markdown(
                    f"{ui.language_label(code)}: " + i18n.isolate(ui.plain(", ".join(words)))
                )
        by_language, by_region = st.tabs([_("By language"), _("By region")])
        with by_language:
            frame = topic.by_language
            labels = {c: ui.language_label(c) for c in frame["language"]}
            ui.chart(
                charts.paired_bar_chart(
                    frame,
                    "language",
                    title=_("Topic {number}: respondents and responses by language").format(
                        number=i18n.number(topic.number)
                    ),
                    labels=labels,
                ),
                frame.assign(language=frame["language"].map(labels)),
                key=f"topic-{topic.number}-languages",
            )
        with by_region:
            frame = topic.by_region
            labels = {r: geo.place_name(r) for r in frame["region"]}
            ui.chart(
                charts.paired_bar_chart(
                    frame,
                    "region",
                    title=_("Topic {number}: respondents and responses by region").format(
                        number=i18n.number(topic.number)
                    ),
                    labels=labels,
                ),
                frame.assign(region=frame["region"].map(labels)),
                key=f"topic-{topic.number}-regions",
            )
        if topic.examples:
            st.markdown(_("**Example answers** (redacted):"))
            for text, language in topic.examples:
                st.caption(ui.language_label(language))
                ui.answer_text(text)
        with st.form(key=f"topic-{topic.number}-code", border=False):
            name = st.text_input(
                _("Name this topic to make it a code"),
                key=f"topic-{topic.number}-name",
                help=_(
                    "The code gets this name as its label, in the language of the page, and "
                    "the topic's terms as keywords; every answer is then re-tagged. Edit it "
                    "on the Codebook page."
                ),
            )
            if st.form_submit_button(_("Make a code")):
                make_code(topic, name)
