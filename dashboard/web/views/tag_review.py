"""Tag review: how good are the keywords? An analyst judges a random sample of automatic tags,
and the page shows, per code, the share judged right (precision)."""

import random

import pandas as pd
import streamlit as st

from dashboard.coding.codebook import highlight_spans
from dashboard.publish import charts
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

SAMPLE_SIZE = 10
SEED_KEY = "review-seed"

view = ui.current_view()
ui.heading(view, "Tag review")
consultation = view.consultation
codebook = view.codebook
if not codebook.codes:
    st.info("This consultation has no codebook yet: add one on the Codebook page.")
    st.stop()
labels = codebook.labels("en")

st.subheader("Precision per code")
precision = data.tag_precision(view.version, consultation.id)
judged = precision[precision["judged"] > 0]
if judged.empty:
    st.caption("No automatic tag has been judged yet: judge the sample below.")
else:
    shown = judged.assign(
        label=judged["code_id"].map(labels),
        text=[f"{p:.0%} of {n}" for p, n in zip(judged["precision"], judged["judged"],
                                                strict=True)],
    )  # fmt: skip
    st.plotly_chart(
        charts.bar_chart(
            shown.assign(percent=shown["precision"] * 100),
            "code_id",
            "percent",
            title="Automatic tags judged right (%)",
            value_label="Percent judged right",
            labels=labels,
        ),
        key="precision",
        config=ui.PLOTLY_CONFIG,
    )
table = precision.assign(
    code=precision["code_id"].map(labels),
    precision=["" if pd.isna(p) else f"{p:.0%}" for p in precision["precision"]],
)[["code", "judged", "correct", "precision"]].rename(
    columns={"code": "Code", "judged": "Judged", "correct": "Right", "precision": "Precision"}
)
with st.expander("Numbers behind this chart", expanded=judged.empty):
    st.table(table, hide_index=True)

st.subheader("Judge a sample")
chosen = st.multiselect(
    "Codes to review",
    [c.id for c in codebook.codes],
    format_func=lambda c: labels.get(c, c),
    key="review-codes",
    placeholder="All codes",
)
if SEED_KEY not in st.session_state or st.button("Draw another sample", key="redraw"):
    st.session_state[SEED_KEY] = random.randrange(1_000_000)
sample = data.review_sample(
    view.version, consultation.id, tuple(chosen), st.session_state[SEED_KEY], SAMPLE_SIZE
)
if sample.empty:
    st.success("Every automatic tag of these codes has been judged.")
    st.stop()
st.caption(
    f"{len(sample)} automatic tags drawn at random among those not judged yet. Is the "
    "highlighted keyword a right reason to give the answer this code?"
)
tagger = data.tagger(view.version, consultation.id)
for row in sample.itertuples():
    answer = (int(row.import_id), int(row.source_row), row.question_id)
    with st.container(border=True):
        st.markdown(f"**{labels.get(row.code_id, row.code_id)}** · keyword “{row.matched}”")
        ui.answer_text(row.answer, highlight_spans(row.answer, tagger, [row.code_id]))
        right, wrong, _ = st.columns([1, 1, 4])
        key = f"{answer[0]}-{answer[1]}-{answer[2]}-{row.code_id}"
        for column, word, correct in ((right, "Right", True), (wrong, "Wrong", False)):
            column.button(
                word,
                key=f"judge-{word}-{key}",
                on_click=data.judge,
                args=(consultation.id, answer, row.code_id, row.matched, correct,
                      view.access.who),
                width="stretch",
            )  # fmt: skip
