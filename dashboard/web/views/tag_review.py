"""Tag review: how good are the codes? Analysts judge samples of answers matching the sidebar
filters, whether each carries a code: automatic tags (precision) and answers the keywords left
without it (recall). A second analyst can judge the same pairs blind to the first; the page
shows their agreement per code (Cohen's kappa) and lists the disagreements to settle."""

import math
import random
from dataclasses import replace

import pandas as pd
import streamlit as st
from babel.numbers import format_decimal

from dashboard.coding import reliability
from dashboard.coding.codebook import highlight_spans
from dashboard.protection import perturbation
from dashboard.publish import charts
from dashboard.reference import i18n
from dashboard.reference.i18n import _
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

SAMPLE_SIZE = 10
SEED_KEY = "review-seed"
KINDS = {
    "tagged": _("Automatic tags: is the keyword right? (precision)"),
    "untagged": _("Answers without the code: did the keywords miss it? (recall)"),
}

# Buttons are keyed by the English word they had, whatever the language on them.
VERDICT_KEYS = {
    "tagged": {"yes": "Right", "no": "Wrong"},
    "untagged": {"yes": "Has it", "no": "Has not"},
}


def kappa_text(kappa: float) -> str:
    """Cohen's kappa to two places, as the language writes decimals (no "-0.00")."""
    return format_decimal(round(kappa, 2) + 0.0, "0.00", locale=i18n.locale())


view = ui.current_view()
ui.heading(view, _("Tag review"))
consultation = view.consultation
codebook = view.codebook
if not codebook.codes:
    st.info(_("This consultation has no codebook yet: add one on the Codebook page."))
    st.stop()
labels = view.code_labels()
filter_text = ui.plain(view.context().filter_text())
k = 1 if view.exact else consultation.suppression_k
perturbed = perturbation.is_filtered(view.filters)
# The sample is drawn from the answers the filters select (codes name the codes reviewed).
if replace(view, filters=replace(view.filters, codes=())).totals().respondents is None:
    # A population of fewer than k: its answers, even without names, could point to them.
    st.info(
        _(
            "Fewer than {k} respondents match these filters, so their answers are not sampled "
            "and no figure is given. Widen the filters in the sidebar."
        ).format(k=consultation.suppression_k)
    )
    st.stop()


def coder_now() -> str:
    """Who judges: the signed-in user, or the name typed (blank: "local"). Read again when a
    verdict's button is clicked: a button's arguments are those of the run that drew it, and a
    name typed just before the click (its rerun not yet drawn) is in the session's state
    already, carried by the click's own rerun."""
    if view.access.signed_in:
        return view.access.who
    return str(st.session_state.get("coder-name", "")).strip() or "local"


if view.access.signed_in:
    coder = coder_now()
    st.caption(_("You judge as **{coder}**.").format(coder=i18n.isolate(ui.plain(coder))))
else:
    # Without sign-in everybody is "local": analysts name themselves so that two codings of
    # one sample can be told apart. The name is what they type, not a verified identity.
    st.text_input(
        _("Your name as analyst"),
        value="local",
        key="coder-name",
        help=_(
            "No sign-in is configured, so analysts name themselves here; each name's "
            "verdicts are kept apart for the agreement between analysts."
        ),
    )
    coder = coder_now()


def judge(*verdict: object) -> None:
    data.judge(*verdict, coder_now())


def settle(*verdict: object) -> None:
    data.settle(*verdict, coder_now())


def shown(table: pd.DataFrame) -> pd.DataFrame:
    columns = {
        _("Code"): table["code_id"].map(labels),
        **(
            {_("Language"): table["language"].map(ui.language_label)} if "language" in table else {}
        ),
        # Answers, as released: "< k" where fewer than k respondents gave them.
        _("Tagged"): table["tagged"].map(view.count),
        _("Judged"): table["judged"],
        _("Right"): table["correct"],
        _("Precision"): table["precision"].map(reliability.percent),
        _("95% interval"): [
            reliability.interval(low, high)
            for low, high in zip(table["precision_low"], table["precision_high"], strict=True)
        ],
        _("Untagged judged"): table["untagged_judged"],
        _("Missed"): table["missed"],
        _("Recall (estimate)"): table["recall"].map(reliability.percent),
        _("Recall range"): [
            reliability.interval(low, high)
            for low, high in zip(table["recall_low"], table["recall_high"], strict=True)
        ],
        _("Unsettled"): table["disputed"],
    }
    return pd.DataFrame(columns)


def show_precision() -> None:
    """Precision and recall per code, overall and by language, under the filters."""
    st.header(_("Precision and recall per code"))
    st.caption(
        _(
            "Answers matching the filters ({filters}). Precision: the share of automatic tags "
            "judged right, with the number judged and its 95% Wilson interval. Recall: "
            "estimated from answers without the code judged for whether the keywords missed it "
            "(a conservative range), from the tagged and untagged answers as released (none "
            "where they are hidden). Pairs two analysts disagree on count once settled. "
            "Verdicts are counted exactly: they are analysts' work, not people."
        ).format(filters=filter_text)
    )
    counts = view.table("tag_precision")
    released = {"k": k, "perturbed": perturbed}
    overall = reliability.precision_table(counts, by_language=False, **released)
    judged = overall[overall["judged"] > 0]
    if judged.empty:
        st.caption(
            _("No automatic tag matching the filters has been judged yet: judge a sample above.")
        )
    else:
        st.plotly_chart(
            ui.drawn(
                charts.bar_chart,
                judged.assign(percent=judged["precision"] * 100),
                "code_id",
                "percent",
                title=_("Automatic tags judged right (%)"),
                value_label=_("Percent judged right"),
                labels=labels,
                value_range=(0, 110),  # room for the labels beyond 100%
            ),
            key="precision",
            config=ui.PLOTLY_CONFIG,
        )
    with st.expander(_("Numbers behind this chart"), expanded=judged.empty):
        st.table(ui.plain_table(shown(overall)), hide_index=True)
    with st.expander(_("By language")):
        by_language = reliability.precision_table(counts, by_language=True, **released)
        judged_somewhere = by_language["judged"] + by_language["untagged_judged"] > 0
        st.caption(_("Codes and languages with at least one judged pair."))
        st.table(ui.plain_table(shown(by_language[judged_somewhere])), hide_index=True)


st.header(_("Judge a sample"))
kind = st.radio(_("What to judge"), list(KINDS), format_func=KINDS.get, key="review-kind")
second = st.toggle(
    _("Second coding: pairs another analyst judged (their verdicts stay hidden)"),
    key="review-second",
)
if SEED_KEY not in st.session_state or st.button(_("Draw another sample"), key="redraw"):
    st.session_state[SEED_KEY] = random.randrange(1_000_000)
sample = view.table(
    "tag_review_sample",
    coder=coder,
    kind=kind,
    second=second,
    seed=st.session_state[SEED_KEY],
    size=SAMPLE_SIZE,
    k=k,
)
if sample.empty:
    st.success(
        _(
            "Nothing left to judge here: every pair of these answers and codes has been judged "
            "by you."
        )
        if second
        else _("Nothing left to judge here: every pair of these answers and codes has been judged.")
    )
else:
    # Released like every figure: perturbed under a filter, "fewer than k" below k.
    population = reliability.drawn_from(sample, k, perturbed=perturbed)
    # Every sentence whole (what is judged, by whom, how many), for translators.
    sources = {
        ("tagged", False): (
            _("the automatic tags of fewer than {k} respondents that nobody has judged yet"),
            _("the automatic tags nobody has judged yet"),
            _("{count} automatic tags nobody has judged yet"),
        ),
        ("tagged", True): (
            _(
                "the automatic tags of fewer than {k} respondents that another analyst judged "
                "and you have not"
            ),
            _("the automatic tags another analyst judged and you have not"),
            _("{count} automatic tags another analyst judged and you have not"),
        ),
        ("untagged", False): (
            _(
                "the answer-and-code pairs without a tag of fewer than {k} respondents that "
                "nobody has judged yet"
            ),
            _("the answer-and-code pairs without a tag nobody has judged yet"),
            _("{count} answer-and-code pairs without a tag nobody has judged yet"),
        ),
        ("untagged", True): (
            _(
                "the answer-and-code pairs without a tag of fewer than {k} respondents that "
                "another analyst judged and you have not"
            ),
            _("the answer-and-code pairs without a tag another analyst judged and you have not"),
            _(
                "{count} answer-and-code pairs without a tag another analyst judged and you "
                "have not"
            ),
        ),
    }
    few, every, counted = sources[("tagged" if kind == "tagged" else "untagged", bool(second))]
    if population is None:
        source = few.format(k=k)
    elif perturbed and k > 1 and population <= len(sample):
        # A perturbed figure no larger than the sample would read "10 drawn from 9": when
        # the sample holds every pair, the cards are the count.
        source = every
    else:
        source = counted.format(count=i18n.number(population))
    st.caption(
        _(
            "{drawn} drawn from {source}, among the answers matching the filters ({filters}); "
            "one per code and language before any gets two. Does the answer carry the code?"
        ).format(drawn=i18n.number(len(sample)), source=source, filters=filter_text)
    )
tagger = data.tagger(view.version, consultation.id)
verdicts = ((_("Right"), True), (_("Wrong"), False)) if kind == "tagged" else (
    (_("Has it"), True), (_("Has not"), False))  # fmt: skip
for row in sample.itertuples():
    answer = (int(row.import_id), int(row.source_row), row.question_id)
    matched = row.matched if isinstance(row.matched, str) else None
    with st.container(border=True):
        found = (
            _("keyword “{keyword}”").format(keyword=ui.plain(matched))
            if matched
            else _("no keyword found it")
        )
        st.markdown(
            f"**{ui.plain(labels.get(row.code_id, row.code_id))}** · {found} · "
            f"{ui.language_label(row.language)}"
        )
        ui.answer_text(row.answer, highlight_spans(row.answer, tagger, [row.code_id]))
        yes, no, _rest = st.columns([1, 1, 4])
        key = f"{answer[0]}-{answer[1]}-{answer[2]}-{row.code_id}"
        for column, (word, applies), name in zip((yes, no), verdicts, ("yes", "no"), strict=True):
            column.button(
                word,
                key=f"judge-{VERDICT_KEYS[kind][name]}-{key}",
                on_click=ui.guarded(judge),
                args=(consultation.id, answer, row.code_id, matched, applies),
                width="stretch",
            )

blind = second and not sample.empty
if blind:
    # Figures drawn from the first analyst's verdicts would hint at them: shown again once
    # the second coding is done.
    st.info(
        _(
            "Precision, recall and agreement are hidden while you code blind; they show again "
            "when this sample is judged or “Second coding” is off."
        )
    )
    st.stop()
show_precision()

st.header(_("Agreement between two analysts"))
coders = view.table("coders")["coder"].tolist()
if len(coders) < 2:
    st.info(
        _(
            "Agreement needs two analysts' verdicts on the same pairs: after one analyst judges "
            "a sample, a second turns on “Second coding” above and judges the same pairs."
        )
    )
    st.stop()
left, right = st.columns(2)
# You first, then whoever judged the most of the same pairs as the first analyst: after a
# second coding, the agreement shown is the one just made possible. A choice made under another
# analyst's name is dropped when the name changes, or the pair kept from before would stand.
if st.session_state.get("coders-chosen-by") != coder:
    for key in ("coder-a", "coder-b"):
        st.session_state.pop(key, None)
    st.session_state["coders-chosen-by"] = coder
first = left.selectbox(
    _("First analyst"), sorted(coders, key=lambda c: c != coder), index=0, key="coder-a"
)
others = [c for c in coders if c != first]
shared = {c: len(view.table("coding_pairs", coder_a=first, coder_b=c)) for c in others}
second_coder = right.selectbox(
    _("Second analyst"), sorted(others, key=lambda c: -shared[c]), index=0, key="coder-b"
)
pairs = view.table("coding_pairs", coder_a=first, coder_b=second_coder)
if pairs.empty:
    st.info(
        _("{first} and {second} have not judged the same pairs (under these filters).").format(
            first=i18n.isolate(ui.plain(first)), second=i18n.isolate(ui.plain(second_coder))
        )
    )
    st.stop()
agreement = reliability.agreement_table(pairs, labels)
st.caption(
    _(
        "Per code, the pairs both judged (n), the share they agreed on, and Cohen's kappa "
        "(agreement beyond chance: 1 perfect, 0 no better than chance; “–” when both gave one "
        "verdict only, so chance agreement is total)."
    )
)
st.table(
    ui.plain_table(
        pd.DataFrame(
            {
                _("Code"): agreement["code"],
                "n": agreement["n"],
                _("Agreed"): agreement["agreed"],
                _("Agreement"): agreement["percent"].map(reliability.percent),
                _("Cohen's kappa"): [
                    "–" if math.isnan(k) else kappa_text(k) for k in agreement["kappa"]
                ],
            }
        )
    ),
    hide_index=True,
)
disagreements = pairs[pairs["applies_a"] != pairs["applies_b"]]
open_ones = disagreements[disagreements["settled"].isna()]
st.markdown(
    _(
        "**{disagreements}** disagreements, **{open}** to settle. A settled verdict becomes the "
        "reference precision and recall are measured against."
    ).format(disagreements=i18n.number(len(disagreements)), open=i18n.number(len(open_ones)))
)


def verdict(applies: bool) -> str:
    return _("has it") if applies else _("has not")


for row in disagreements.itertuples():
    answer = (int(row.import_id), int(row.source_row), row.question_id)
    with st.container(border=True):
        settled = (
            ""
            if pd.isna(row.settled)
            else " · " + _("settled: {verdict}").format(verdict=verdict(bool(row.settled)))
        )
        st.markdown(
            f"**{ui.plain(labels.get(row.code_id, row.code_id))}** · "
            f"{ui.language_label(row.language)} · "
            f"{i18n.isolate(ui.plain(first))}: {verdict(row.applies_a)} · "
            f"{i18n.isolate(ui.plain(second_coder))}: {verdict(row.applies_b)}" + settled
        )
        ui.answer_text(row.answer, highlight_spans(row.answer, tagger, [row.code_id]))
        yes, no, _rest = st.columns([1, 1, 3])
        key = f"{answer[0]}-{answer[1]}-{answer[2]}-{row.code_id}"
        for column, word, applies in ((yes, _("Settle: has it"), True),
                                      (no, _("Settle: has not"), False)):  # fmt: skip
            column.button(
                word,
                key=f"settle-{applies}-{key}",
                on_click=ui.guarded(settle),
                args=(consultation.id, answer, row.code_id, applies),
            )
