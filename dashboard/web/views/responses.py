"""Responses: read the answers matching the filters, search them, page through them, and
code them: each answer shows its codes, with what the keywords matched highlighted, and an
analyst adds or removes one code at a time by hand (kept over keywords, logged with who and
when, and undoable)."""

import math
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.coding.codebook import highlight_spans
from dashboard.protection import perturbation
from dashboard.publish import style
from dashboard.reference import geo, i18n
from dashboard.reference.i18n import _, pgettext
from dashboard.store.queries import UNDETECTED
from dashboard.store.search_text import matched_spans, search_words
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

PAGE_SIZE = 25

view = ui.current_view()
ui.heading(view, _("Responses"))
consultation = view.consultation
chosen_themes = set(view.filters.themes)
questions = [q for q in consultation.questions if not chosen_themes or q.theme_id in chosen_themes]
left, right = st.columns([2, 3])
with left:
    question = ui.bound(
        st.selectbox,
        _("Question"),
        [None, *(q.id for q in questions)],
        format_func=lambda qid: (
            _("All questions")
            if qid is None
            else f"{i18n.isolate(qid.upper())}: {view.question_text(qid)}"
        ),
        key="question",
    )
search = right.text_input(
    _("Search the answers"),
    key="search",
    bind="query-params",
    help=_(
        "Every word must appear, anywhere in the answer. Case and accents do not matter "
        "(participacion finds participación), nor Arabic letter variants; Chinese is matched "
        "as written."
    ),
)
words = search_words(search)  # folded as the answers were at import
if question:
    view = replace(view, filters=replace(view.filters, questions=(question,)))
raw = view.raw_text  # only an administrator's logged choice shows answers as written
k = 1 if view.exact else consultation.suppression_k
if view.totals().respondents is None:
    # A population of fewer than k: its answers, even without names, could point to them.
    st.info(
        _(
            "Fewer than {k} respondents match these filters, so their answers are not listed. "
            "Widen the filters in the sidebar."
        ).format(k=consultation.suppression_k)
    )
    st.stop()
count = view.table("answers_count", search=words, raw=raw, k=k)
matches = int(count["responses"].iloc[0])  # for paging: the listing shows every answer
shown = perturbation.release(
    count.iloc[0], k, perturbed=words is not None or perturbation.is_filtered(view.filters)
)
st.markdown(
    _("**{responses}** responses from **{respondents}** respondents match.").format(
        responses=view.count(shown.responses), respondents=view.count(shown.respondents)
    )
)
chosen = view.filters
if k > 1 and (chosen.countries or chosen.regions or chosen.stakeholder_types):
    # What a listing shows must not depend on the filters, or two listings set side by side
    # would name what the cards hide (queries/macros/listing_places.sql).
    st.caption(
        _(
            "Answers from countries and stakeholder types that fewer than {k} respondents of "
            "the consultation share are listed only without a country or stakeholder filter "
            "(and under a region filter only where their region is named on them), so that "
            "comparing two listings cannot single them out."
        ).format(k=k)
    )
if matches == 0:
    st.info(_("No answer matches these filters and words."))
    st.stop()
if words:
    st.caption(
        _("Your search words are highlighted in blue; what the codes' keywords matched, in yellow.")
    )
pages = math.ceil(matches / PAGE_SIZE)
page = st.number_input(_("Page"), min_value=1, max_value=pages, value=1, step=1, key="page")
st.caption(
    _(
        "Page {page} of {pages}, {size} answers a page, newest day first; within a day and "
        "question in no particular order, so that answers are not grouped by who gave them."
    ).format(page=i18n.number(page), pages=i18n.number(pages), size=PAGE_SIZE)
)
answers = view.table(
    "answers",
    search=words,
    raw=raw,
    k=k,
    page_size=PAGE_SIZE,
    offset=(page - 1) * PAGE_SIZE,
)
labels = view.theme_labels()


def place_only(region: str | None) -> str:
    # Fewer than k respondents share the country: naming it could point to the author. Its
    # region is named only where at least two such countries share it (never one by elimination).
    if region == "Unknown":
        return _("Country unknown")
    if not isinstance(region, str):
        return _("Country not shown")
    return _("{region} (country not shown)").format(region=geo.place_name(region))


def languages_shown(declared: str, detected: str) -> str:
    # The answer's own language beside the declared one only where they differ (and one was
    # detected): an English form answered in Spanish.
    if detected in (declared, UNDETECTED):
        return ui.language_label(declared)
    return _("{declared} (declared) · {detected} (the answer's language)").format(
        declared=ui.language_label(declared), detected=ui.language_label(detected)
    )


zone = view.filters.timezone
codebook = view.codebook
code_labels = view.code_labels()
tagger = data.tagger(view.version, consultation.id)


CHANGES_KEY = "code-changes"  # this session's changes, newest last, for undo


def change_code(answer: tuple[int, int, str], code_id: str, applied: bool) -> None:
    """One deliberate change: one code added to or removed from one answer (logged)."""
    previous = data.set_code(consultation.id, answer, code_id, applied, view.access.who)
    st.session_state.setdefault(CHANGES_KEY, []).append((answer, code_id, applied, previous))


def undo_last() -> None:
    """Put back exactly what the last change replaced (logged as an undo)."""
    changes = st.session_state.get(CHANGES_KEY) or []
    if changes:
        answer, code_id, _applied, previous = changes[-1]
        data.restore_code(consultation.id, answer, code_id, previous, view.access.who)
        changes.pop()  # only once undone: a store held by a command keeps it to undo later


def add_chosen(answer: tuple[int, int, str], key: str) -> None:
    if st.session_state.get(key):
        change_code(answer, st.session_state[key], True)


def remove_chosen(answer: tuple[int, int, str], key: str) -> None:
    if st.session_state.get(key):
        change_code(answer, st.session_state[key], False)


def describe(change: tuple) -> str:
    answer, code_id, applied, _previous = change
    sentence = (
        _("Your last change: added “{code}” to an answer to {question}.")
        if applied
        else _("Your last change: removed “{code}” from an answer to {question}.")
    )
    return sentence.format(
        code=code_labels.get(code_id, code_id), question=i18n.isolate(answer[2].upper())
    )


changes = st.session_state.get(CHANGES_KEY) or []
if codebook.codes and changes:
    note, button = st.columns([4, 1])
    note.caption(describe(changes[-1]))
    button.button(
        _("Undo last change"), key="undo-code", on_click=ui.guarded(undo_last), width="stretch"
    )

for row in answers.itertuples():
    with st.container(border=True):
        # The day only: times to the minute would show which answers came in together.
        when = (
            _("date unknown")
            if pd.isna(row.submitted_on)
            else f"{style.day_text(row.submitted_on)} ({zone})"
        )
        st.caption(
            " · ".join(
                (
                    ui.plain(row.question_id.upper()),
                    ui.plain(labels.get(row.theme_id, row.theme_id)),
                    ui.plain(languages_shown(row.language, row.answer_language)),
                    ui.plain(
                        geo.country_name(row.iso3, row.country)
                        if isinstance(row.country, str)
                        else place_only(row.region)
                    ),
                    when,
                )
            )
        )
        codes = list(row.codes)
        has = [c["code_id"] for c in codes]
        ui.answer_text(
            row.answer, highlight_spans(row.answer, tagger, has), matched_spans(row.answer, words)
        )
        if not codebook.codes:
            continue
        answer = (int(row.import_id), int(row.source_row), row.question_id)
        found = {c["code_id"]: c["matched"] for c in codes if c["source"] == "keyword"}
        given = " · ".join(
            (
                _("**{code}** (keyword “{keyword}”)").format(
                    code=ui.plain(code_labels.get(c, c)), keyword=ui.plain(found[c])
                )
                if c in found
                else _("**{code}** (by an analyst)").format(code=ui.plain(code_labels.get(c, c)))
            )
            for c in has
        )
        st.markdown(_("Codes: {codes}").format(codes=given if has else pgettext("codes", "none")))
        # One code at a time, each change its own click: no "select all" can tag an answer
        # with every code at once. Keys name the codes, so a change starts the widgets afresh.
        key = f"{answer[0]}-{answer[1]}-{answer[2]}-{'.'.join(has)}"
        missing = [c.id for c in codebook.codes if c.id not in has]
        pick_add, add, pick_remove, remove = st.columns([3, 1, 3, 1], vertical_alignment="bottom")
        pick_add.selectbox(
            _("Add a code"),
            missing,
            index=None,
            format_func=lambda c: code_labels.get(c, c),
            key=f"add-{key}",
            placeholder=_("Choose a code to add"),
        )
        add.button(
            _("Add"),
            key=f"add-button-{key}",
            on_click=ui.guarded(add_chosen),
            args=(answer, f"add-{key}"),
            help=_(
                "Adds the chosen code to this answer: kept over the keywords, written to the "
                "audit log with your name and the time, and undoable."
            ),
        )
        pick_remove.selectbox(
            _("Remove a code"),
            has,
            index=None,
            format_func=lambda c: code_labels.get(c, c),
            key=f"remove-{key}",
            placeholder=_("Choose a code to remove"),
            disabled=not has,
        )
        remove.button(
            _("Remove"),
            key=f"remove-button-{key}",
            on_click=ui.guarded(remove_chosen),
            args=(answer, f"remove-{key}"),
            disabled=not has,
        )
