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
from dashboard.reference import i18n
from dashboard.reference.i18n import _, ngettext
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

view = ui.current_view()
ui.heading(view, _("Codebook"))
consultation = view.consultation
codebook = view.codebook
st.markdown(
    _(
        "Each code is a finer topic under a theme. Its **keywords**, in any language, find it "
        "in answers in every language: whole words in spaced scripts (`fund` does not find "
        "*fundamental*), `*` at the end lets a word go on (`fund*` finds *funding*), Chinese "
        "matches anywhere, Arabic after و ف ب ل ك ال and with any ending; case, Arabic letter "
        "variants and diacritics do not matter. Separate keywords with `;`."
    )
)

themes = view.theme_labels()
themes.pop("Unknown", None)
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
        "id": st.column_config.TextColumn(_("Code id"), required=True, help=_("a-z, 0-9, - or _")),
        "theme": st.column_config.SelectboxColumn(
            _("Theme"), options=list(themes), help=_("The theme the code belongs to (optional).")
        ),
        **{
            f"label_{lang}": st.column_config.TextColumn(
                _("Label ({language})").format(language=lang)
            )
            for lang in UN_LANGUAGES
        },
        "keywords": st.column_config.TextColumn(_("Keywords (; between them)"), width="large"),
    },
)

st.header(_("What each keyword finds"))
filter_text = ui.plain(view.context().filter_text())
st.caption(
    _(
        "Responses matching the filters ({filters}) that carry each code through each keyword. "
        "A tag keeps the first keyword that found it, so a code's rows add up to its tags; a "
        "keyword finding nothing, or far more than the others, deserves a look."
    ).format(filters=filter_text)
)
# Counts of people's answers: small ones hidden and, under a filter, perturbed like every figure.
found = view.cells("keyword_counts")
found = found.assign(keyword=found["keyword"].fillna(_("(given by an analyst)")))
tagged = view.cells("by_code").set_index("code_id")["responses"]
k = view.consultation.suppression_k


def tagged_text(code_id: str) -> str:
    count = tagged.get(code_id)
    return f"< {k}" if count is None or pd.isna(count) else i18n.number(count)


code_labels = view.code_labels()
chosen = st.selectbox(
    _("Code"),
    list(pd.unique(found["code_id"])),
    format_func=lambda c: _("{code}: {count} tagged responses").format(
        code=code_labels.get(c, c), count=tagged_text(c)
    ),
    key="keyword-code",
)
ui.numbers_table(
    found[found["code_id"] == chosen][["keyword", "responses"]].rename(
        columns={"keyword": _("Keyword")}
    )
)


def save(new_codebook) -> None:
    bar = st.progress(0.0, text=_("Saving the codebook"))
    written = data.save_codebook(
        consultation,
        new_codebook,
        view.access.who,
        on_step=lambda label, fraction: bar.progress(fraction, text=label),
    )
    bar.empty()
    codes = len(new_codebook.codes)
    st.success(
        ngettext(
            "Saved {codes} code and re-tagged every answer: {tags} keyword tags. Analysts' own "
            "tags were kept.",
            "Saved {codes} codes and re-tagged every answer: {tags} keyword tags. Analysts' own "
            "tags were kept.",
            codes,
        ).format(codes=i18n.number(codes), tags=i18n.number(written))
    )


def show_problems(error: CodebookError) -> None:
    # The problems themselves are the codebook checker's (English) messages.
    st.error(_("The codebook was not saved.") + " " + " ".join(
        f"**{ui.plain(where)}**: {ui.plain(message)}." for where, message in error.problems.items()
    ))  # fmt: skip


if may_edit:
    if st.button(_("Save and re-tag every answer"), type="primary", key="save-codebook"):
        try:
            table = edited.to_dict("records")
            save(codebook_from_dict(rows_to_dict(table, codebook.extra), consultation, "table"))
        except CodebookError as error:
            show_problems(error)

    st.header(_("Upload or download"))
    upload = ui.file_uploader(
        st, _("Replace the codebook with a TOML file"), type=["toml"], key="codebook-upload"
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
                st.error(
                    _("{file} is not UTF-8 text.").format(file=i18n.isolate(ui.plain(upload.name)))
                )
        else:
            st.write(
                _("{file}: {codes} codes, {keywords} keywords.").format(
                    file=i18n.isolate(ui.plain(upload.name)),
                    codes=i18n.number(len(uploaded.codes)),
                    keywords=i18n.number(sum(len(c.keywords) for c in uploaded.codes)),
                )
            )
            if st.button(_("Save the uploaded codebook and re-tag"), key="save-upload"):
                save(uploaded)
st.download_button(
    _("Download the codebook (TOML)"),
    codebook.to_toml(),
    file_name=f"{consultation.id}.codebook.toml",
    mime="application/toml",
    key="download-codebook",
    on_click="ignore",
)
