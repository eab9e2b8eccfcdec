"""Topics: what people wrote about, found in the answers without a codebook (offline), with
each topic's terms, its size by language and region, its typical answers (to pin as quotes for
the report), and a code made of it in one step."""

from functools import partial

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
    "typical": N_("Ranking each topic's typical answers"),
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
        "respondents are not shown (nor the words and answers of such a topic). Answers with "
        "no counted word (only short or common words) are in no topic."
    ).format(k=k)
)
code_labels = view.code_labels()
# Topic quotes pinned under these filters, by topic label: the typical answers say which are
# pinned, and those of no topic found now are listed at the end, to unpin.
pinned = data.pinned_quotes(view.version, consultation.id, view.filters, k)
pinned = pinned[pinned["kind"] == "topic"]
pinned_keys = {
    (label, int(i), int(r), q)
    for label, i, r, q in zip(
        pinned["subject_id"],
        pinned["import_id"],
        pinned["source_row"],
        pinned["question_id"],
        strict=True,
    )
}


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


def pin(label: str, answer: tuple[int, int, str], pinned: bool) -> None:
    """Pin (or unpin) an answer as a quote of the topic named `label`."""
    change = data.unpin_quote if pinned else data.pin_quote
    change(consultation.id, "topic", label, answer, view.access.who)


for topic in found.topics:
    title = _("Topic {number}: {terms}").format(
        number=i18n.number(topic.number),
        # A topic of fewer than k respondents shows nothing of what its answers say.
        terms=topic.label or size_text(None, None),
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
                ui.drawn(
                    charts.paired_bar_chart,
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
                ui.drawn(
                    charts.paired_bar_chart,
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
        if not topic.typical.empty:
            st.markdown(_("**Typical answers** (redacted):"))
            st.caption(
                _(
                    "Its answers closest to what its answers have in common (their shared "
                    "character sequences, weighed by TF-IDF), as for a theme or a code. A quote "
                    "pinned here goes into the report under “Topic: {label}”; topics are found "
                    "anew from the answers, so a pin names the topic by its terms."
                ).format(label=ui.plain(topic.label))
            )
            for row in topic.typical.itertuples():
                ui.quote_card(
                    row,
                    closeness=float(row.closeness),
                    pinned=(topic.label, int(row.import_id), int(row.source_row), row.question_id)
                    in pinned_keys,
                    key=f"topic-{topic.number}-typical",
                    pin=partial(pin, topic.label),
                )
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

# Every topic quote pinned under these filters, by topic: also those of topics not found now
# (other filters or another number of topics give other topics), which only this list unpins.
st.header(_("Pinned quotes of topics"))
if pinned.empty:
    st.caption(_("None yet under these filters."))
else:
    st.caption(
        _(
            "The report includes the pinned quotes whose answers match its filters, under "
            "their topic's terms; those that do not match the sidebar's filters are not "
            "listed here."
        )
    )
    # One answer may be pinned under two topics' labels: keys numbered by topic.
    for number, (label, rows) in enumerate(pinned.groupby("subject_id", sort=True)):
        st.subheader(_("Topic: {topic}").format(topic=ui.plain(label)))
        for row in rows.itertuples():
            ui.quote_card(
                row,
                closeness=None,
                pinned=True,
                key=f"topic-pinned-{number}",
                pin=partial(pin, label),
            )
