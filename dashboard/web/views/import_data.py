"""Import: upload exports, check how their columns were understood, fix the mapping, see what
would be refused or kept as Unknown, then load; and the history of imports, with undo."""

from functools import partial
from zoneinfo import available_timezones

import pandas as pd
import streamlit as st

from dashboard.importer import FileRefused, MappingError, parse_mapping, prepare
from dashboard.importer.batch import batch_of_uploads, prepare_many
from dashboard.importer.mapping import CANONICAL_FIELDS, SHAPES, Mapping
from dashboard.importer.pipeline import content_hash, resolve_mapping
from dashboard.importer.platforms import platform_named
from dashboard.importer.reading import read_export
from dashboard.publish.exports import csv_bytes
from dashboard.reference import i18n
from dashboard.reference.i18n import _
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

FIELD_LABELS = {
    "respondent_id": _("Respondent id"),
    "submitted_at": _("Submission time"),
    "country": _("Country"),
    "language": _("Language"),
    "stakeholder_type": _("Stakeholder type"),
    "question_id": _("Question (long format)"),
    "answer": _("Answer (long format)"),
}
SHAPE_LABELS = {
    "wide": _("Wide: one row per respondent, one column per question"),
    "long": _("Long: one row per answer"),
    "participation": _("Participation only: respondents, no answers"),
}
# The question table's cells: a question id, or this (shown in the language of the page).
NOT_A_QUESTION = _("(not a question)")
DATE_ORDER = {
    _("Decide from the evidence"): None,
    _("Day first (7/10/14 is 7 October)"): "dmy",
    _("Month first (7/10/14 is 10 July)"): "mdy",
    _("Year first (14/10/07)"): "ymd",
}

view = ui.current_view()
consultation = view.consultation
ui.page_css()
st.title(_("Import"))
limit = st.get_option("server.maxUploadSize")
st.caption(
    _(
        "Into **{title}** ({id}); choose another consultation in the sidebar. CSV, TSV or TXT, "
        "XLSX, JSON or JSON lines, up to {limit} MB a file."
    ).format(
        title=ui.plain(consultation.display_title()), id=i18n.isolate(consultation.id), limit=limit
    )
)

uploads = ui.file_uploader(
    st,
    _("Exports to import"),
    type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "json", "jsonl", "ndjson", "zip"],
    multiple=True,
    key="uploads",
)


def mapping_controls(key: str, headers: list[str], proposed: Mapping) -> Mapping:
    """One select box per canonical field, pre-filled from detection, and the question table."""
    shape = st.selectbox(
        _("Shape"),
        list(SHAPES),
        index=list(SHAPES).index(proposed.format or "wide"),
        format_func=SHAPE_LABELS.get,
        key=f"{key}-shape",
    )
    fields = [f for f in CANONICAL_FIELDS if shape == "long" or f not in ("question_id", "answer")]
    columns: dict[str, str] = {}
    picks = st.columns(len(fields))
    for pick, field in zip(picks, fields, strict=True):
        options = [None, *headers]
        chosen = proposed.columns.get(field)
        value = pick.selectbox(
            FIELD_LABELS[field],
            options,
            index=options.index(chosen) if chosen in options else 0,
            format_func=lambda h: _("(none)") if h is None else h,
            key=f"{key}-field-{field}",
        )
        if value is not None:
            columns[field] = value
    questions: dict[str, str] = {}
    if shape == "wide":
        claimed = set(columns.values())
        ids = [q.id for q in consultation.questions]
        table = pd.DataFrame(
            {
                "Column": [h for h in headers if h not in claimed],
                "Question": [
                    proposed.questions.get(h, NOT_A_QUESTION) for h in headers if h not in claimed
                ],
            }
        )
        edited = st.data_editor(
            table,
            hide_index=True,
            disabled=["Column"],
            key=f"{key}-questions",
            column_config={
                "Column": st.column_config.TextColumn(_("Column")),
                "Question": st.column_config.SelectboxColumn(
                    _("Question"),
                    options=[NOT_A_QUESTION, *ids],
                    help="; ".join(
                        f"{q.id}: {view.question_text(q.id)}" for q in consultation.questions
                    ),
                ),
            },
        )
        questions = {
            row.Column: row.Question
            for row in edited.itertuples()
            if row.Question and row.Question != NOT_A_QUESTION
        }
    left, right = st.columns(2)
    date_order = left.selectbox(
        _("Dates written in numbers (7/10/14)"),
        list(DATE_ORDER),
        index=list(DATE_ORDER.values()).index(proposed.order),
        key=f"{key}-date-order",
        help=_(
            "The values, the platform and the consultation window decide unless you do; the "
            "report below says which reading was taken and why."
        ),
    )
    # A mapping's fixed offset ("UTC-6") is offered as it is written, not replaced.
    given = [proposed.timezone] if proposed.timezone else []
    zones = list(dict.fromkeys([consultation.timezone, *given, *sorted(available_timezones())]))
    zone = right.selectbox(
        _("Time zone of times written without one"),
        zones,
        index=zones.index(proposed.timezone) if proposed.timezone in zones else 0,
        key=f"{key}-zone",
    )
    placeholders = st.text_input(
        _("Values that mean blank (comma-separated; case and spaces around them ignored)"),
        value=", ".join(proposed.blank_values),
        help=_(
            "Read as empty in the answers and in the id, country, language and stakeholder "
            "type columns, e.g. N/A, -, Not selected. The validation report lists values that "
            "look like these but are not declared."
        ),
        key=f"{key}-blank-values",
    )
    return Mapping(
        format=shape,
        sheet=proposed.sheet,
        columns=columns,
        questions=questions,
        defaults={k: v for k, v in proposed.defaults.items() if k not in columns},
        date_order=DATE_ORDER[date_order],
        timezone=None if zone == consultation.timezone else zone,
        platform=proposed.platform,
        blank_values=tuple(v.strip() for v in placeholders.split(",") if v.strip()),
        # Not a control of its own: an uploaded mapping's choice is kept as it is.
        subnational_places=proposed.subnational_places,
    )


def show_step(bar, label: str, share: float) -> None:
    bar.progress(share, text=label)


def import_with_progress(prepared):
    """Write a checked import, its stages on a bar (a million answers take tens of seconds)."""
    bar = st.progress(0.0, text=_("Importing…"))
    with st.spinner(_("Importing…"), show_time=True):
        result = data.import_prepared(
            prepared, imported_by=view.access.who, on_step=partial(show_step, bar)
        )
    bar.empty()
    return result


def show_report(prepared) -> None:
    report = prepared.report
    counts = st.columns(4)
    counts[0].metric(_("Rows read"), i18n.number(report.rows_read))
    counts[1].metric(_("Respondents"), i18n.number(report.respondents))
    counts[2].metric(_("Responses"), i18n.number(report.responses))
    counts[3].metric(_("Rows refused"), i18n.number(report.rows_refused))
    if report.responses:
        st.caption(
            _(
                "Language of the answer detected in {detected} of {responses} answers (not in "
                "answers under 20 characters or in no clear language); {differs} of them are "
                "not in the respondent's declared language."
            ).format(
                detected=i18n.number(report.answers_language_detected),
                responses=i18n.number(report.responses),
                differs=i18n.number(report.answers_language_differs),
            )
        )
    findings = report.findings().rename(
        columns={"finding": _("Finding"), "value": _("Value"), "rows": _("Rows")}
    )
    if findings.empty:
        st.success(_("Every value was understood."))
    else:
        st.dataframe(findings, hide_index=True, key=f"findings-{report.content_hash}")
    st.download_button(
        _("Download the validation report (CSV)"),
        csv_bytes(findings),  # raw values from the file: defused, like every CSV
        file_name=f"{report.file_name}.validation.csv",
        mime="text/csv",
        key=f"findings-csv-{report.content_hash}",
    )
    for note in report.notes:
        st.caption(ui.plain(note))
    st.markdown(_("**Canonical rows, as they would be stored** (first 10 respondents)"))
    preview = prepared.respondents.head(10).rename(
        columns={"submitted_at": "submitted_at (UTC)", "country_iso3": "ISO3"}
    )
    st.dataframe(preview, hide_index=True, key=f"canonical-{report.content_hash}")


archives = [u for u in uploads or [] if u.name.lower().endswith(".zip")]
singles = [u for u in uploads or [] if not u.name.lower().endswith(".zip")]
if archives or len(singles) > 1:
    # Many files (pages of one export, a ZIP of them): one import, written and undone as one.
    st.divider()
    st.header(_("All the files as one import"))
    st.caption(
        _(
            "One import, undone as one. Each file's columns are matched automatically; files "
            "with the same columns are read alike. Empty files are noted and passed over; one "
            "file that cannot be read stops the whole import. To choose a file's columns by "
            "hand, import it on its own below."
        )
    )
    named = [(u.name, u.getvalue()) for u in uploads]
    batch_key = content_hash("\n".join(f"{n}:{content_hash(d)}" for n, d in named).encode())
    bar = st.progress(0.0, text=_("Checking…"))
    try:
        # Keyed by the page's language too: the report's findings, notes and refusals are
        # written in it when the files are checked.
        batch = data.session_memo(
            ("batch", batch_key, i18n.current()), partial(batch_of_uploads, named)
        )
        prepared = data.session_memo(
            ("batch-checked", batch_key, consultation.id, i18n.current()),
            partial(
                prepare_many,
                batch.files,
                consultation,
                name=batch.name,
                skipped=batch.skipped,
                on_step=partial(show_step, bar),
            ),
        )
    except FileRefused as refused:
        bar.empty()
        st.error(
            _("These files cannot be imported: {reason}. Nothing was written.").format(
                reason=ui.plain(refused)
            )
        )
    else:
        bar.empty()
        show_report(prepared)
        count = len(prepared.report.files)
        if st.button(
            _("Import the {count} files as one").format(count=i18n.number(count)),
            type="primary",
            key="batch-import",
        ):
            result = import_with_progress(prepared)
            if result.already_imported:
                earlier = result.already_imported
                st.info(
                    _(
                        "These files were already imported (import {id}, {when}); nothing was "
                        "added."
                    ).format(id=earlier["import_id"], when=earlier["imported_at"])
                )
            else:
                st.success(
                    _(
                        "Imported {file}: {respondents} new respondents and {responses} "
                        "responses (import {id})."
                    ).format(
                        file=i18n.isolate(ui.plain(prepared.report.file_name)),
                        respondents=i18n.number(result.respondents_loaded),
                        responses=i18n.number(result.responses_loaded),
                        id=result.import_id,
                    )
                )

for upload in singles:
    st.divider()
    st.header(ui.plain(upload.name))
    raw_bytes = upload.getvalue()
    file_key = content_hash(raw_bytes)[:16]
    mapping_file = ui.file_uploader(
        st, _("Reuse a saved mapping (TOML)"), type=["toml"], key=f"{file_key}-mapping-file"
    )
    given = None
    # Widgets are keyed by the mapping they start from, so reusing a saved mapping fills them anew.
    controls_key = file_key
    if mapping_file is not None:
        controls_key = f"{file_key}-{content_hash(mapping_file.getvalue())[:8]}"
        try:
            given = parse_mapping(mapping_file.getvalue().decode("utf-8-sig"), mapping_file.name)
        except (MappingError, UnicodeDecodeError) as problem:
            st.error(_("That mapping cannot be used: {reason}").format(reason=ui.plain(problem)))
    try:
        sheet = given.sheet if given else None
        raw = data.session_memo(
            ("read", file_key, sheet), partial(read_export, raw_bytes, upload.name, sheet=sheet)
        )
        if raw.sheets and len(raw.sheets) > 1:
            sheet = st.selectbox(_("Sheet"), raw.sheets, key=f"{file_key}-sheet")
            raw = data.session_memo(
                ("read", file_key, sheet),
                partial(read_export, raw_bytes, upload.name, sheet=sheet),
            )
    except FileRefused as refused:
        st.error(
            _("This file cannot be imported: {reason}. Nothing was written.").format(
                reason=ui.plain(refused)
            )
        )
        continue
    proposed = resolve_mapping(raw, consultation, given)
    platform = platform_named(proposed.platform) if proposed.platform else None
    st.caption(
        " · ".join(
            part
            for part in (
                _("{rows} rows × {columns} columns").format(
                    rows=i18n.number(len(raw.frame)), columns=i18n.number(len(raw.headers))
                ),
                _("encoding {encoding}").format(encoding=raw.encoding) if raw.encoding else "",
                _("delimiter {delimiter}").format(delimiter=repr(raw.delimiter))
                if raw.delimiter
                else "",
                _("sheet {sheet}").format(sheet=ui.plain(repr(raw.sheet))) if raw.sheet else "",
                _("platform: {platform}").format(platform=platform.label)
                if platform
                else _("platform: not recognised"),
            )
            if part
        )
    )
    with st.expander(_("First rows of the file"), expanded=False):
        st.dataframe(raw.frame.head(10).astype(str), key=f"{file_key}-raw")
    st.markdown(_("**Which column is which**"))
    mapping = mapping_controls(controls_key, raw.headers, proposed)
    st.download_button(
        _("Save this mapping (TOML)"),
        mapping.to_toml(),
        file_name=f"{upload.name}.mapping.toml",
        mime="application/toml",
        key=f"{file_key}-mapping-toml",
    )
    progress = st.progress(0.0, text=_("Checking…"))
    try:
        prepared = data.session_memo(
            ("checked", file_key, consultation.id, mapping.to_toml(), i18n.current()),
            partial(
                prepare,
                raw_bytes,
                upload.name,
                consultation,
                mapping,
                complete_mapping=True,
                on_step=partial(show_step, progress),
            ),
        )
    except FileRefused as refused:
        progress.empty()
        st.error(
            _("This file cannot be imported as mapped: {reason}. Nothing was written.").format(
                reason=ui.plain(refused)
            )
        )
        continue
    progress.empty()
    st.markdown(_("**What would be loaded**"))
    show_report(prepared)
    if st.button(
        _("Import {file}").format(file=i18n.isolate(upload.name)),
        type="primary",
        key=f"{file_key}-import",
    ):
        result = import_with_progress(prepared)
        if result.already_imported:
            earlier = result.already_imported
            st.info(
                _("{file} was already imported (import {id}, {when}); nothing was added.").format(
                    file=i18n.isolate(ui.plain(upload.name)),
                    id=earlier["import_id"],
                    when=earlier["imported_at"],
                )
            )
        else:
            st.success(
                _(
                    "Imported {file}: {respondents} new respondents and {responses} responses "
                    "(import {id})."
                ).format(
                    file=i18n.isolate(ui.plain(upload.name)),
                    respondents=i18n.number(result.respondents_loaded),
                    responses=i18n.number(result.responses_loaded),
                    id=result.import_id,
                )
            )

st.divider()
st.header(_("Import history"))
if message := st.session_state.pop("undo-message", None):
    st.success(ui.plain(message))
history = data.imports(data.version(), consultation.id)
if history.empty:
    st.info(_("Nothing has been imported into this consultation yet."))
else:
    # The shape in a word of the page's language; the platform stays as its id ("qualtrics").
    shapes = {"wide": _("wide"), "long": _("long"), "participation": _("participation")}
    st.dataframe(
        history.assign(shape=history["shape"].map(lambda s: shapes.get(s, s))).rename(
            columns={
                "import_id": _("Import"),
                "file_name": _("File"),
                "file_size": _("Bytes"),
                "content_hash": "SHA-256",
                "platform": _("Platform"),
                "shape": _("Shape"),
                "imported_at": _("When (UTC)"),
                "imported_by": _("Who"),
                "rows_read": _("Rows"),
                "respondents_loaded": _("New respondents"),
                "responses_loaded": _("Responses"),
            }
        ),
        hide_index=True,
        key="history",
    )
    # An import stopped between its two transactions: counted here, or undone below.
    ui.uncounted_warnings(view)
    for row in data.uncounted(data.version(), consultation.id).itertuples():
        if st.button(_("Count import {id}").format(id=row.import_id), key=f"count-{row.import_id}"):
            bar = st.progress(0.0, text=_("Counting…"))
            data.count(
                consultation.id, row.import_id, view.access.who, on_step=partial(show_step, bar)
            )
            st.session_state["undo-message"] = _("Import {id} tagged and counted.").format(
                id=row.import_id
            )
            st.rerun()
    left, right = st.columns([2, 1])
    chosen = left.selectbox(
        _("Undo an import"),
        history["import_id"].tolist(),
        format_func=lambda i: f"{i}: {history.set_index('import_id').loc[i, 'file_name']}",
        # Keyed by the newest import, so the choice starts from it again after each change.
        key=f"undo-choice-{history['import_id'].max()}",
    )
    # Keyed by the newest import too: after an undo, the next one needs its own confirmation.
    confirmed = right.checkbox(
        _("Yes, remove its rows"), key=f"undo-confirm-{history['import_id'].max()}"
    )
    if st.button(_("Undo import"), disabled=not confirmed, key="undo"):
        changed = data.undo(consultation.id, int(chosen), view.access.who)
        st.session_state["undo-message"] = _(
            "Import {id} undone; {count} respondents' records removed or rebuilt."
        ).format(id=chosen, count=i18n.number(changed))
        st.rerun()
