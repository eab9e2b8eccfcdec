"""Codebook: the codes answers are tagged with, their labels in the six languages and the
keywords that find them. Analysts edit it here (or upload a TOML file); saving re-tags every
answer, keeping analysts' own tags."""

import pandas as pd
import streamlit as st

from dashboard.coding.codebook import (
    TABLE_COLUMNS,
    UN_LANGUAGES,
    CodebookError,
    codebook_from_dict,
    codebook_rows,
    parse_codebook,
    rows_to_dict,
)
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

view = ui.current_view()
ui.heading(view, "Codebook")
consultation = view.consultation
codebook = view.codebook
st.markdown(
    "Each code is a finer topic under a theme. Its **keywords**, in any language, find it in "
    "answers in every language: whole words in spaced scripts (`fund` does not find "
    "*fundamental*), `*` at the end lets a word go on (`fund*` finds *funding*), Chinese "
    "matches anywhere, Arabic after و ف ب ل ك ال and with any ending; case, Arabic letter "
    "variants and diacritics do not matter. Separate keywords with `;`."
)

themes = {t.id: t.label("en") for t in consultation.themes}
rows = pd.DataFrame(codebook_rows(codebook), columns=list(TABLE_COLUMNS))
may_edit = view.access.can("analyst")
edited = st.data_editor(
    rows,
    key=f"codebook-editor-{hash(view.version)}",
    num_rows="dynamic" if may_edit else "fixed",
    disabled=not may_edit,
    hide_index=True,
    width="stretch",
    column_config={
        "id": st.column_config.TextColumn("Code id", required=True, help="a-z, 0-9, - or _"),
        "theme": st.column_config.SelectboxColumn(
            "Theme", options=list(themes), help="The theme the code belongs to (optional)."
        ),
        **{
            f"label_{lang}": st.column_config.TextColumn(f"Label ({lang})") for lang in UN_LANGUAGES
        },
        "keywords": st.column_config.TextColumn("Keywords (; between them)", width="large"),
    },
)

st.subheader("What each keyword finds")
filter_text = ui.plain(view.context().filter_text())
st.caption(
    f"Responses matching the filters ({filter_text}) that carry each code "
    "through each keyword. A tag keeps the first keyword that found it, so a code's rows add up "
    "to its tags; a keyword finding nothing, or far more than the others, deserves a look."
)
# Counts of people's answers: small ones hidden and, under a filter, perturbed like every figure.
found = view.cells("keyword_counts")
found = found.assign(keyword=found["keyword"].fillna("(given by an analyst)"))
tagged = view.cells("by_code").set_index("code_id")["responses"]
k = view.consultation.suppression_k


def tagged_text(code_id: str) -> str:
    count = tagged.get(code_id)
    return f"< {k}" if count is None or pd.isna(count) else f"{int(count):,}"


chosen = st.selectbox(
    "Code",
    list(pd.unique(found["code_id"])),
    format_func=lambda c: f"{codebook.labels('en').get(c, c)}: {tagged_text(c)} tagged responses",
    key="keyword-code",
)
ui.numbers_table(
    found[found["code_id"] == chosen][["keyword", "responses"]].rename(
        columns={"keyword": "Keyword"}
    )
)


def save(new_codebook) -> None:
    bar = st.progress(0.0, text="Saving the codebook")
    written = data.save_codebook(
        consultation,
        new_codebook,
        view.access.who,
        on_step=lambda label, fraction: bar.progress(fraction, text=label),
    )
    bar.empty()
    st.success(
        f"Saved {len(new_codebook.codes)} codes and re-tagged every answer: "
        f"{written:,} keyword tags. Analysts' own tags were kept."
    )


def show_problems(error: CodebookError) -> None:
    st.error("The codebook was not saved. " + " ".join(
        f"**{ui.plain(where)}**: {ui.plain(message)}." for where, message in error.problems.items()
    ))  # fmt: skip


if may_edit:
    if st.button("Save and re-tag every answer", type="primary", key="save-codebook"):
        try:
            table = edited.to_dict("records")
            save(codebook_from_dict(rows_to_dict(table, codebook.extra), consultation, "table"))
        except CodebookError as error:
            show_problems(error)

    st.subheader("Upload or download")
    upload = st.file_uploader(
        "Replace the codebook with a TOML file", type=["toml"], key="codebook-upload"
    )
    if upload is not None:
        try:
            uploaded = parse_codebook(
                upload.getvalue().decode("utf-8"), consultation, source=upload.name
            )
        except (CodebookError, UnicodeDecodeError) as error:
            if isinstance(error, CodebookError):
                show_problems(error)
            else:
                st.error(f"{ui.plain(upload.name)} is not UTF-8 text.")
        else:
            st.write(
                f"{ui.plain(upload.name)}: {len(uploaded.codes)} codes, "
                f"{sum(len(c.keywords) for c in uploaded.codes)} keywords."
            )
            if st.button("Save the uploaded codebook and re-tag", key="save-upload"):
                save(uploaded)
st.download_button(
    "Download the codebook (TOML)",
    codebook.to_toml(),
    file_name=f"{consultation.id}.codebook.toml",
    mime="application/toml",
    key="download-codebook",
    on_click="ignore",
)
