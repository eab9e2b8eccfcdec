"""Responses: read the answers matching the filters, search them, page through them, and
code them: each answer shows its codes, with what the keywords matched highlighted, and an
analyst can add or remove codes by hand (kept over keywords, logged)."""

import math
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.coding.codebook import highlight_spans
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

PAGE_SIZE = 25

view = ui.current_view()
ui.heading(view, "Responses")
consultation = view.consultation
chosen_themes = set(view.filters.themes)
questions = [q for q in consultation.questions if not chosen_themes or q.theme_id in chosen_themes]
left, right = st.columns([2, 3])
question = left.selectbox(
    "Question",
    [None, *(q.id for q in questions)],
    format_func=lambda qid: (
        "All questions"
        if qid is None
        else f"{qid.upper()}: {consultation.question(qid).text('en')}"
    ),
    key="question",
    bind="query-params",
)
search = right.text_input(
    "Search the answers",
    key="search",
    bind="query-params",
    help="Every word must appear (any case).",
)
words = tuple(search.split()) or None
if question:
    view = replace(view, filters=replace(view.filters, questions=(question,)))
raw = view.raw_text  # only an administrator's logged choice shows answers as written
count = view.table("answers_count", search=words, raw=raw)
matches = int(count["responses"].iloc[0])
respondents = int(count["respondents"].iloc[0])
st.markdown(
    f"**{view.count(matches, respondents)}** responses from **{view.count(respondents)}** "
    "respondents match."
)
if matches == 0:
    st.info("No answer matches these filters and words.")
    st.stop()
pages = math.ceil(matches / PAGE_SIZE)
page = st.number_input("Page", min_value=1, max_value=pages, value=1, step=1, key="page")
st.caption(f"Page {page} of {pages}, {PAGE_SIZE} answers a page, newest first.")
answers = view.table(
    "answers",
    search=words,
    raw=raw,
    k=1 if view.exact else view.consultation.suppression_k,
    page_size=PAGE_SIZE,
    offset=(page - 1) * PAGE_SIZE,
)
labels = view.theme_labels()


def place_only(region: str) -> str:
    # Fewer than k respondents share the country: naming it could point to the author.
    return "Country unknown" if region == "Unknown" else f"{region} (country not shown)"


zone = view.filters.timezone
codebook = view.codebook
code_labels = codebook.labels("en")
tagger = data.tagger(view.version, consultation.id)


def save_codes(answer: tuple[int, int, str], before: list[str], key: str) -> None:
    after = st.session_state[key]
    for code_id in sorted(set(after) ^ set(before)):
        data.set_code(consultation.id, answer, code_id, code_id in after, view.access.who)


for row in answers.itertuples():
    with st.container(border=True):
        when = (
            "time unknown"
            if pd.isna(row.submitted_at)
            else f"{pd.Timestamp(row.submitted_at).tz_convert(zone):%d %b %Y %H:%M} ({zone})"
        )
        st.caption(
            " · ".join(
                (
                    row.question_id.upper(),
                    labels.get(row.theme_id, row.theme_id),
                    ui.language_label(row.language),
                    row.country if isinstance(row.country, str) else place_only(row.region),
                    when,
                )
            )
        )
        codes = list(row.codes)
        has = [c["code_id"] for c in codes]
        ui.answer_text(row.answer, highlight_spans(row.answer, tagger, has))
        if not codebook.codes:
            continue
        answer = (int(row.import_id), int(row.source_row), row.question_id)
        found = {c["code_id"]: c["matched"] for c in codes if c["source"] == "keyword"}
        # The key names the codes too: after a change the widget starts again from the store.
        key = f"codes-{answer[0]}-{answer[1]}-{answer[2]}-{'.'.join(has)}"
        st.multiselect(
            "Codes",
            [c.id for c in codebook.codes],
            default=[c for c in has if c in code_labels],
            format_func=lambda c, found=found: (
                code_labels.get(c, c) + (f" · “{found[c]}”" if c in found else "")
            ),
            key=key,
            on_change=save_codes,
            args=(answer, has, key),
            placeholder="No code: add one",
            help="A code followed by “…” was found by that keyword; the others were given by "
            "an analyst. Your changes are kept over the keywords and written to the audit log.",
        )
