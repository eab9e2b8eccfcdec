"""Tag review: how good are the codes? Analysts judge samples of answers matching the sidebar
filters, whether each carries a code: automatic tags (precision) and answers the keywords left
without it (recall). A second analyst can judge the same pairs blind to the first; the page
shows their agreement per code (Cohen's kappa) and lists the disagreements to settle."""

import math
import random
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.coding import reliability
from dashboard.coding.codebook import highlight_spans
from dashboard.protection import perturbation
from dashboard.publish import charts
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

SAMPLE_SIZE = 10
SEED_KEY = "review-seed"
KINDS = {
    "tagged": "Automatic tags: is the keyword right? (precision)",
    "untagged": "Answers without the code: did the keywords miss it? (recall)",
}

view = ui.current_view()
ui.heading(view, "Tag review")
consultation = view.consultation
codebook = view.codebook
if not codebook.codes:
    st.info("This consultation has no codebook yet: add one on the Codebook page.")
    st.stop()
labels = codebook.labels("en")
filter_text = ui.plain(view.context().filter_text())
k = 1 if view.exact else consultation.suppression_k
perturbed = perturbation.is_filtered(view.filters)
# The sample is drawn from the answers the filters select (codes name the codes reviewed).
if replace(view, filters=replace(view.filters, codes=())).totals().respondents is None:
    # A population of fewer than k: its answers, even without names, could point to them.
    st.info(
        f"Fewer than {consultation.suppression_k} respondents match these filters, so their "
        "answers are not sampled and no figure is given. Widen the filters in the sidebar."
    )
    st.stop()

if view.access.signed_in:
    coder = view.access.who
    st.caption(f"You judge as **{ui.plain(coder)}**.")
else:
    # Without sign-in everybody is "local": analysts name themselves so that two codings of
    # one sample can be told apart. The name is what they type, not a verified identity.
    coder = (
        st.text_input(
            "Your name as analyst",
            value="local",
            key="coder-name",
            help="No sign-in is configured, so analysts name themselves here; each name's "
            "verdicts are kept apart for the agreement between analysts.",
        ).strip()
        or "local"
    )


def shown(table: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "Code": table["code_id"].map(labels),
        **({"Language": table["language"].map(ui.language_label)} if "language" in table else {}),
        # Answers, as released: "< k" where fewer than k respondents gave them.
        "Tagged": table["tagged"].map(view.count),
        "Judged": table["judged"],
        "Right": table["correct"],
        "Precision": table["precision"].map(reliability.percent),
        "95% interval": [
            reliability.interval(low, high)
            for low, high in zip(table["precision_low"], table["precision_high"], strict=True)
        ],
        "Untagged judged": table["untagged_judged"],
        "Missed": table["missed"],
        "Recall (estimate)": table["recall"].map(reliability.percent),
        "Recall range": [
            reliability.interval(low, high)
            for low, high in zip(table["recall_low"], table["recall_high"], strict=True)
        ],
        "Unsettled": table["disputed"],
    }
    return pd.DataFrame(columns)


def show_precision() -> None:
    """Precision and recall per code, overall and by language, under the filters."""
    st.subheader("Precision and recall per code")
    st.caption(
        f"Answers matching the filters ({filter_text}). Precision: the share of automatic tags "
        "judged right, with the number judged and its 95% Wilson interval. Recall: estimated from "
        "answers without the code judged for whether the keywords missed it (a conservative "
        "range), from the tagged and untagged answers as released (none where they are "
        "hidden). Pairs two analysts disagree on count once settled. Verdicts are counted "
        "exactly: they are analysts' work, not people."
    )
    counts = view.table("tag_precision")
    released = {"k": k, "perturbed": perturbed}
    overall = reliability.precision_table(counts, by_language=False, **released)
    judged = overall[overall["judged"] > 0]
    if judged.empty:
        st.caption(
            "No automatic tag matching the filters has been judged yet: judge a sample above."
        )
    else:
        st.plotly_chart(
            charts.bar_chart(
                judged.assign(percent=judged["precision"] * 100),
                "code_id",
                "percent",
                title="Automatic tags judged right (%)",
                value_label="Percent judged right",
                labels=labels,
                value_range=(0, 110),  # room for the labels beyond 100%
            ),
            key="precision",
            config=ui.PLOTLY_CONFIG,
        )
    with st.expander("Numbers behind this chart", expanded=judged.empty):
        st.table(ui.plain_table(shown(overall)), hide_index=True)
    with st.expander("By language"):
        by_language = reliability.precision_table(counts, by_language=True, **released)
        judged_somewhere = by_language["judged"] + by_language["untagged_judged"] > 0
        st.caption("Codes and languages with at least one judged pair.")
        st.table(ui.plain_table(shown(by_language[judged_somewhere])), hide_index=True)


st.subheader("Judge a sample")
kind = st.radio("What to judge", list(KINDS), format_func=KINDS.get, key="review-kind")
second = st.toggle(
    "Second coding: pairs another analyst judged (their verdicts stay hidden)",
    key="review-second",
)
if SEED_KEY not in st.session_state or st.button("Draw another sample", key="redraw"):
    st.session_state[SEED_KEY] = random.randrange(1_000_000)
sample = view.table(
    "tag_review_sample",
    coder=coder,
    kind=kind,
    second=second,
    seed=st.session_state[SEED_KEY],
    size=SAMPLE_SIZE,
)
if sample.empty:
    st.success(
        "Nothing left to judge here: every pair of these answers and codes has been judged"
        + (" by you." if second else ".")
    )
else:
    # Released like every figure: perturbed under a filter, "fewer than k" below k.
    population = reliability.drawn_from(sample, k, perturbed=perturbed)
    pairs = "automatic tags" if kind == "tagged" else "answer-and-code pairs without a tag"
    status = "another analyst judged and you have not" if second else "nobody has judged yet"
    if population is None:
        source = f"the {pairs} of fewer than {k} respondents that {status}"
    elif perturbed and k > 1 and population <= len(sample):
        # A perturbed figure no larger than the sample would read "10 drawn from 9": when
        # the sample holds every pair, the cards are the count.
        source = f"the {pairs} {status}"
    else:
        source = f"{population:,} {pairs} {status}"
    st.caption(
        f"{len(sample)} drawn from {source}, among the answers matching the filters "
        f"({filter_text}); one per code and language before any gets two. Does the answer "
        "carry the code?"
    )
tagger = data.tagger(view.version, consultation.id)
verdicts = (("Right", True), ("Wrong", False)) if kind == "tagged" else (
    ("Has it", True), ("Has not", False))  # fmt: skip
for row in sample.itertuples():
    answer = (int(row.import_id), int(row.source_row), row.question_id)
    matched = row.matched if isinstance(row.matched, str) else None
    with st.container(border=True):
        found = f" · keyword “{ui.plain(matched)}”" if matched else " · no keyword found it"
        st.markdown(
            f"**{ui.plain(labels.get(row.code_id, row.code_id))}**{found} · "
            f"{ui.language_label(row.language)}"
        )
        ui.answer_text(row.answer, highlight_spans(row.answer, tagger, [row.code_id]))
        yes, no, _ = st.columns([1, 1, 4])
        key = f"{answer[0]}-{answer[1]}-{answer[2]}-{row.code_id}"
        for column, (word, applies) in zip((yes, no), verdicts, strict=True):
            column.button(
                word,
                key=f"judge-{word}-{key}",
                on_click=data.judge,
                args=(consultation.id, answer, row.code_id, matched, applies, coder),
                width="stretch",
            )

blind = second and not sample.empty
if blind:
    # Figures drawn from the first analyst's verdicts would hint at them: shown again once
    # the second coding is done.
    st.info(
        "Precision, recall and agreement are hidden while you code blind; they show again "
        "when this sample is judged or “Second coding” is off."
    )
    st.stop()
show_precision()

st.subheader("Agreement between two analysts")
coders = view.table("coders")["coder"].tolist()
if len(coders) < 2:
    st.info(
        "Agreement needs two analysts' verdicts on the same pairs: after one analyst judges a "
        "sample, a second turns on “Second coding” above and judges the same pairs."
    )
    st.stop()
left, right = st.columns(2)
# You first, then whoever judged the most of the same pairs as the first analyst: after a
# second coding, the agreement shown is the one just made possible.
first = left.selectbox(
    "First analyst", sorted(coders, key=lambda c: c != coder), index=0, key="coder-a"
)
others = [c for c in coders if c != first]
shared = {c: len(view.table("coding_pairs", coder_a=first, coder_b=c)) for c in others}
second_coder = right.selectbox(
    "Second analyst", sorted(others, key=lambda c: -shared[c]), index=0, key="coder-b"
)
pairs = view.table("coding_pairs", coder_a=first, coder_b=second_coder)
if pairs.empty:
    st.info(
        f"{ui.plain(first)} and {ui.plain(second_coder)} have not judged the same pairs "
        "(under these filters)."
    )
    st.stop()
agreement = reliability.agreement_table(pairs, labels)
st.caption(
    "Per code, the pairs both judged (n), the share they agreed on, and Cohen's kappa "
    "(agreement beyond chance: 1 perfect, 0 no better than chance; “–” when both gave one "
    "verdict only, so chance agreement is total)."
)
st.table(
    ui.plain_table(
        pd.DataFrame(
            {
                "Code": agreement["code"],
                "n": agreement["n"],
                "Agreed": agreement["agreed"],
                "Agreement": agreement["percent"].map(reliability.percent),
                "Cohen's kappa": [
                    "–" if math.isnan(k) else f"{round(k, 2) + 0.0:.2f}"  # no "-0.00"
                    for k in agreement["kappa"]
                ],
            }
        )
    ),
    hide_index=True,
)
disagreements = pairs[pairs["applies_a"] != pairs["applies_b"]]
open_ones = disagreements[disagreements["settled"].isna()]
st.markdown(
    f"**{len(disagreements)}** disagreements, **{len(open_ones)}** to settle. A settled "
    "verdict becomes the reference precision and recall are measured against."
)


def verdict(applies: bool) -> str:
    return "has it" if applies else "has not"


for row in disagreements.itertuples():
    answer = (int(row.import_id), int(row.source_row), row.question_id)
    with st.container(border=True):
        settled = "" if pd.isna(row.settled) else f" · settled: {verdict(bool(row.settled))}"
        st.markdown(
            f"**{ui.plain(labels.get(row.code_id, row.code_id))}** · "
            f"{ui.language_label(row.language)} · {ui.plain(first)}: {verdict(row.applies_a)} · "
            f"{ui.plain(second_coder)}: {verdict(row.applies_b)}" + settled
        )
        ui.answer_text(row.answer, highlight_spans(row.answer, tagger, [row.code_id]))
        yes, no, _ = st.columns([1, 1, 3])
        key = f"{answer[0]}-{answer[1]}-{answer[2]}-{row.code_id}"
        for column, word, applies in ((yes, "Settle: has it", True),
                                      (no, "Settle: has not", False)):  # fmt: skip
            column.button(
                word,
                key=f"settle-{applies}-{key}",
                on_click=data.settle,
                args=(consultation.id, answer, row.code_id, applies, view.access.who
                      if view.access.signed_in else coder),
            )  # fmt: skip
