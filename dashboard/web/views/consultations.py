"""Consultations: create or change a consultation's definition from a form or its TOML file,
check it as the CLI does, save it to the store, and download it back as TOML.

The form is a draft: nothing is written until Save, and Save writes only a definition that passes
the same validation as `python -m dashboard consultation add`. Each problem is shown under the
field it belongs to. The draft is kept while the user visits other pages.
"""

from datetime import date
from zoneinfo import available_timezones

import streamlit as st

from dashboard.definition import form
from dashboard.publish import style
from dashboard.reference import i18n
from dashboard.reference.i18n import _, ngettext
from dashboard.web import access, data, ui

access.require_page(__file__)  # before anything is read or drawn

# The choice's value, not shown (the label is translated): not a valid id (capitals, spaces),
# so it cannot clash with one.
NEW = "New consultation"
CHOICE = "cf-choice"
ID = "cf-id"
TITLE = "cf-title"
TITLE_IN = "cf-title-in-"  # + a language code: the title in that language
OPENS_DATE, OPENS_TIME = "cf-opens-date", "cf-opens-time"
CLOSES_DATE, CLOSES_TIME = "cf-closes-date", "cf-closes-time"
ZONE = "cf-timezone"
LANGUAGES = "cf-languages"
SUPPRESSION_K = "cf-suppression-k"
SAVE = "cf-save"
DOWNLOAD = "cf-download"
# Page state that is not a widget's.
LOADED = "cf-loaded"  # the choice the draft was loaded for
BASES = {"themes": "cf-themes-base", "questions": "cf-questions-base"}
FIXED = {"themes": form.THEME_COLUMNS, "questions": form.QUESTION_COLUMNS}
EXTRA = "cf-extra"  # top-level keys of the definition the form has no field for
OTHER_TEXTS = "cf-other-text-languages"  # languages with texts that are not chosen
OTHER_TITLES = "cf-other-titles"  # the loaded titles in other languages than English
STASH = "cf-stash"  # texts of languages turned off, by table, language and row id
EDITORS = "cf-editors"  # generation of the tables' keys: a new one starts them afresh
UPLOADS = "cf-uploads"  # generation of the uploader's key: a new one empties it
UPLOADED = "cf-uploaded"  # (file name, its problems, the fields as read) of the last upload
SHOW_ERRORS = "cf-show-errors"
PENDING = "cf-pending"  # what to load at the top of the next run
NOTICE = "cf-notice"
KEPT = "cf-kept"  # the draft as it stood, to restore after a visit to another page
DATE_RANGE = {"min_value": date(1990, 1, 1), "max_value": date(2100, 12, 31)}

state = st.session_state


def editor_key(table: str) -> str:
    return f"cf-{table}-{state.get(EDITORS, 0)}"


def load(choice: str, draft: form.Draft, *, show_errors: bool, uploaded=None) -> None:
    """Fill the form from a draft (before its widgets are drawn in this run)."""
    state[CHOICE] = state[LOADED] = choice
    state[ID] = choice if choice != NEW else draft.id
    state[TITLE] = draft.title
    for key in [k for k in state if str(k).startswith(TITLE_IN)]:
        del state[key]
    for code, text in draft.other_titles.items():
        state[TITLE_IN + code] = text
    state[OTHER_TITLES] = dict(draft.other_titles)
    state[OPENS_DATE], state[OPENS_TIME] = draft.opens_date, draft.opens_time
    state[CLOSES_DATE], state[CLOSES_TIME] = draft.closes_date, draft.closes_time
    state[ZONE] = draft.timezone
    state[LANGUAGES] = list(draft.languages)
    state[SUPPRESSION_K] = draft.suppression_k
    state[BASES["themes"]] = draft.themes
    state[BASES["questions"]] = draft.questions
    state[EXTRA] = dict(draft.extra)
    state[OTHER_TEXTS] = [c for c in draft.text_languages() if c not in draft.languages]
    state[STASH] = {table: {} for table in BASES}
    state[EDITORS] = state.get(EDITORS, 0) + 1
    state[SHOW_ERRORS] = show_errors
    state[UPLOADED] = uploaded


def load_choice(choice: str, version: tuple) -> None:
    if choice == NEW:
        load(NEW, form.blank_draft(), show_errors=False)
    else:
        saved = data.consultation(version, choice)
        load(choice, form.draft_from_consultation(saved), show_errors=True)


def show_problems(messages: dict[str, list[str]], where: str) -> None:
    """The problems of one field, right under it (once Save was pressed or a file loaded)."""
    if not state.get(SHOW_ERRORS):
        return
    for message in messages.get(where, []):
        st.error(ui.plain(message), icon=":material/error:")


def text_columns(table: str, languages: list[str], chosen: list[str]) -> dict:
    if table == "themes":
        heading, other = (
            _("Label · {language}"),
            _("Label · {language} (not one of the languages above)"),
        )
    else:
        heading, other = (
            _("Text · {language}"),
            _("Text · {language} (not one of the languages above)"),
        )
    config = {}
    for code in languages:
        title = (heading if code in chosen else other).format(language=ui.language_label(code))
        config[code] = st.column_config.TextColumn(title, width="medium")
    return config


ui.page_css()
st.title(_("Consultations"))
st.caption(
    _(
        "Create a consultation or change one: fill in the form or load its TOML file, then "
        "Save. The form is checked exactly as `python -m dashboard consultation add` checks a "
        "file; nothing is saved while a problem remains."
    )
)

version = data.version()
ids = data.consultation_ids(version)

# What to show: a load asked for by the last run (Save, upload), the draft kept from an earlier
# visit, the consultation chosen in the sidebar, or a new one.
pending = state.pop(PENDING, None)
if pending is not None:
    if pending["draft"] is None:
        load_choice(pending["choice"], version)
    else:
        load(
            pending["choice"],
            pending["draft"],
            show_errors=pending["show_errors"],
            uploaded=pending["uploaded"],
        )
    state[NOTICE] = pending["notice"]
elif CHOICE not in state:
    kept = state.get(KEPT)
    if kept is not None and (kept["choice"] == NEW or kept["choice"] in ids):
        load(
            kept["choice"],
            kept["draft"],
            show_errors=kept["show_errors"],
            uploaded=kept["uploaded"],
        )
    else:
        sidebar_choice = state.get("consultation")
        load_choice(sidebar_choice if sidebar_choice in ids else NEW, version)
elif state[CHOICE] != NEW and state[CHOICE] not in ids:
    load_choice(NEW, version)  # removed from the store meanwhile
elif state.get(LOADED) != state[CHOICE]:
    load_choice(state[CHOICE], version)

top = st.columns([2, 3])
choice = top[0].selectbox(
    _("Consultation"),
    [NEW, *ids],
    format_func=lambda c: (
        _("New consultation")
        if c == NEW
        else f"{i18n.isolate(c)}: {data.consultation(version, c).display_title()}"
    ),
    key=CHOICE,
    help=_(
        "The consultation to change, or a new one. Unsaved changes are dropped when you switch."
    ),
)
upload = ui.file_uploader(
    top[1],
    _("Fill the form from a TOML file"),
    type=["toml"],
    key=f"cf-upload-{state.get(UPLOADS, 0)}",
    help=_(
        "A consultation definition, as `consultation add` reads it (see the README). Nothing is "
        "saved until you press Save."
    ),
)
if upload is not None:
    draft, problems = form.read_upload(upload.name, upload.getvalue())
    state[UPLOADS] = state.get(UPLOADS, 0) + 1
    if draft is None:
        state[UPLOADED] = (upload.name, problems, {})
        st.rerun()
    target = draft.id if draft.id in ids else NEW
    state[PENDING] = {
        "choice": target,
        "draft": draft,
        "show_errors": True,
        "uploaded": (upload.name, problems, form.field_values(draft)),
        "notice": (
            _("Filled the form from {file} (it replaces {id} when you save). Not saved yet.")
            if target != NEW
            else _("Filled the form from {file}. Not saved yet.")
        ).format(file=i18n.isolate(upload.name), id=i18n.isolate(repr(draft.id))),
    }
    st.rerun()

notice = state.pop(NOTICE, None)
if notice:
    st.success(ui.plain(notice), icon=":material/check_circle:")
uploaded = state.get(UPLOADED)
upload_messages = {}
if uploaded is not None:
    file_name, upload_problems, _as_read = uploaded
    upload_messages = form.messages_by_field(upload_problems)
    for message in upload_messages.get("file", []):
        st.error(f"{ui.plain(file_name)}: {ui.plain(message)}", icon=":material/error:")
    if upload_problems and "file" not in upload_messages:
        st.warning(
            _(
                "{file} is not a valid definition: the form shows what could be read from it, "
                "and its problems are shown next to their fields."
            ).format(file=i18n.isolate(file_name)),
            icon=":material/warning:",
        )

st.header(_("Definition"))
left, right = st.columns([1, 2])
with left:
    st.text_input(
        _("Id"),
        key=ID,
        disabled=choice != NEW,
        placeholder=_("e.g. {example}").format(example="civic-space-2020"),
        help=_("Lower-case letters, digits, '-' or '_'. It cannot change once saved."),
    )
    id_slot = st.container()
with right:
    st.text_input(
        _("Title"), key=TITLE, placeholder=_("e.g. Online consultation on civil society space")
    )
    title_slot = st.container()
    # In the languages chosen below (as they stood at the end of the last run).
    title_languages = [code for code in state.get(LANGUAGES, []) if code != "en"]
    if title_languages:
        with st.expander(_("Title in the other languages")):
            for code in title_languages:
                st.text_input(
                    _("Title in {language}").format(language=ui.language_label(code)),
                    key=TITLE_IN + code,
                )

zones = [*ui.COMMON_ZONES, *sorted(available_timezones() - set(ui.COMMON_ZONES))]
if state.get(ZONE) not in zones:
    zones.append(state[ZONE])
opens_column, closes_column, zone_column = st.columns(3)
with opens_column:
    st.date_input(_("Opens on"), key=OPENS_DATE, format="YYYY-MM-DD", **DATE_RANGE)
    st.time_input(_("Opens at"), key=OPENS_TIME, step=300)
    opens_slot = st.container()
with closes_column:
    st.date_input(_("Closes on"), key=CLOSES_DATE, format="YYYY-MM-DD", **DATE_RANGE)
    st.time_input(_("Closes at"), key=CLOSES_TIME, step=300)
    closes_slot = st.container()
with zone_column:
    zone = st.selectbox(
        _("Time zone"),
        zones,
        key=ZONE,
        help=_(
            "Opening and closing are local times in this zone. It is also the zone of "
            "timestamps without one in the exports, and the default zone of the dashboard."
        ),
    )
    zone_slot = st.container()

language_column, k_column = st.columns([3, 1])
with language_column:
    options = form.language_options()
    options += [c for c in state.get(LANGUAGES, []) if c not in options]  # unknown, from a file
    languages = st.multiselect(
        _("Languages"),
        options,
        key=LANGUAGES,
        format_func=ui.language_label,
        help=_(
            "The consultation's languages: each has a column for the labels and question "
            "texts below. The six official UN languages come first."
        ),
    )
    languages_slot = st.container()
with k_column:
    st.number_input(
        _("Suppression k"),
        key=SUPPRESSION_K,
        step=1,
        help=_(
            "The definition's `suppression_k`: the smallest group size meant to be shown "
            "(5 unless set)."
        ),
    )
    k_slot = st.container()

# The tables have one text column per language: when the languages change, carry the edits
# made so far over to tables with the new columns (a language turned off keeps its texts aside,
# in case it is turned on again).
text_languages = [*languages, *(c for c in state.get(OTHER_TEXTS, []) if c not in languages)]
if any([c for c in state[BASES[t]].columns if c not in FIXED[t]] != text_languages for t in BASES):
    for table, base in BASES.items():
        edited = form.apply_edits(state[base], state.get(editor_key(table)))
        stash = state.setdefault(STASH, {}).setdefault(table, {})
        state[base] = form.reshape(edited, FIXED[table], text_languages, stash)
    state[EDITORS] = state.get(EDITORS, 0) + 1

st.header(_("Themes"))
st.caption(
    _(
        "One row per theme: its id and its label in each language. Add a row at the bottom; "
        "select rows to delete them."
    )
)
themes = st.data_editor(
    state[BASES["themes"]],
    key=editor_key("themes"),
    num_rows="dynamic",
    hide_index=True,
    column_config={
        "id": st.column_config.TextColumn(_("Id")),
        **text_columns("themes", text_languages, languages),
    },
)
themes_slot = st.container()

st.header(_("Questions"))
st.caption(_("One row per question: its id, its theme and its text in each language."))
questions = st.data_editor(
    state[BASES["questions"]],
    key=editor_key("questions"),
    num_rows="dynamic",
    hide_index=True,
    column_config={
        "id": st.column_config.TextColumn(_("Id")),
        # A text column, not a select box: the table must not change while themes are edited
        # (a changed column configuration would start the table afresh and lose its edits).
        "theme": st.column_config.TextColumn(
            _("Theme"), help=_("The id of one of the themes above.")
        ),
        **text_columns("questions", text_languages, languages),
    },
)
questions_slot = st.container()

draft = form.Draft(
    id=choice if choice != NEW else state[ID],
    title=state[TITLE],
    # Titles of languages no longer chosen are kept, as their themes' and questions' texts are.
    other_titles={
        **{c: t for c, t in state.get(OTHER_TITLES, {}).items() if c not in languages},
        **{c: state.get(TITLE_IN + c, "") for c in languages if c != "en"},
    },
    opens_date=state[OPENS_DATE],
    opens_time=state[OPENS_TIME],
    closes_date=state[CLOSES_DATE],
    closes_time=state[CLOSES_TIME],
    timezone=zone,
    languages=list(languages),
    suppression_k=int(state[SUPPRESSION_K]) if state[SUPPRESSION_K] is not None else 0,
    themes=themes,
    questions=questions,
    extra=state.get(EXTRA, {}),
)
checked = form.check(draft, taken_ids=tuple(ids) if choice == NEW else ())
messages = form.messages_by_field(checked.problems, checked.rows)
# A problem of the uploaded file that the form's own check does not find: the form could not
# hold the value (a time without offset, a label that is not text) and shows its best reading.
# It stands, and blocks Save, until its field is changed or the reading is accepted.
unresolved: dict[str, str] = {}
if uploaded is not None:
    file_name, upload_problems, as_read = uploaded
    now = form.field_values(draft)
    for key, message in upload_problems.items():
        where = form.field_of(key)
        found = key in checked.problems  # the form says it too (perhaps in other words)
        if where != "file" and not found and as_read.get(where) == now.get(where):
            unresolved[key] = message
    for where, texts in form.messages_by_field(unresolved).items():
        messages.setdefault(where, []).extend(
            _("In {file}: {problem}").format(file=i18n.isolate(file_name), problem=t) for t in texts
        )
ready = checked.consultation if not unresolved else None
problem_count = len(checked.problems) + len(unresolved)

for slot, where in (
    (id_slot, "id"),
    (title_slot, "title"),
    (opens_slot, "opens"),
    (closes_slot, "closes"),
    (zone_slot, "timezone"),
    (languages_slot, "languages"),
    (k_slot, "suppression_k"),
    (themes_slot, "themes"),
    (questions_slot, "questions"),
):
    with slot:
        show_problems(messages, where)
if checked.consultation is not None:
    c = checked.consultation
    with zone_slot:
        st.caption(_("In UTC: {window}").format(window=style.window_text(c.opens, c.closes, "UTC")))
show_problems(messages, "other")

saved = data.consultation(version, choice) if choice != NEW else None
actions = st.container(horizontal=True, vertical_alignment="center")
pressed = actions.button(
    _("Save"),
    key=SAVE,
    type="primary",
    icon=":material/save:",
    on_click=lambda: state.__setitem__(SHOW_ERRORS, True),
)
downloadable = ready or saved
actions.download_button(
    _("Download TOML"),
    data=downloadable.to_toml() if downloadable else "",
    file_name=f"{downloadable.id if downloadable else 'consultation'}.toml",
    mime="application/toml",
    key=DOWNLOAD,
    icon=":material/download:",
    on_click="ignore",
    disabled=downloadable is None,
    help=_("The definition as it stands in the form when it is valid, else as saved."),
)
with actions:
    if ready is None:
        if state.get(SHOW_ERRORS):
            count = problem_count
            line = ngettext(
                "{count} problem to fix, shown next to its field.",
                "{count} problems to fix, shown next to their fields.",
                count,
            ).format(count=i18n.number(count))
            if saved:
                line += " " + _("The download is the saved definition.")
            st.caption(line)
        else:
            st.caption(_("Fill in the form, then Save."))
    elif ready == saved:
        st.caption(_("Saved: the form matches the store."))
    else:
        st.caption(_("Unsaved changes."))

if unresolved:
    st.warning(
        _(
            "The form could not hold every value of {file} and shows its best reading of "
            "{count} of them (marked 'In {file}'). Change those fields, or accept the form's "
            "reading, before saving."
        ).format(file=i18n.isolate(file_name), count=i18n.number(len(unresolved))),
        icon=":material/warning:",
    )
    st.button(
        _("Accept the form's reading"),
        key="cf-accept-upload",
        on_click=lambda: state.__setitem__(UPLOADED, None),
    )
if pressed:
    if ready is None:
        count = problem_count
        st.error(
            ngettext(
                "Not saved: {count} problem to fix first.",
                "Not saved: {count} problems to fix first.",
                count,
            ).format(count=i18n.number(count)),
            icon=":material/error:",
        )
    else:
        c = ready
        try:
            is_new = data.save_consultation(c)  # store.save_consultation, in turn with imports
        except Exception as exc:  # the store refused (locked, read-only): say so, keep the draft
            st.error(
                _("Not saved: the store refused it ({reason}).").format(reason=ui.plain(exc)),
                icon=":material/error:",
            )
        else:
            state[PENDING] = {
                "choice": c.id,
                "draft": None,
                "notice": (
                    _("Created {id}: {title}.") if is_new else _("Saved {id}: {title}.")
                ).format(id=i18n.isolate(repr(c.id)), title=c.display_title()),
            }
            state.pop(KEPT, None)
            st.rerun()

if ready is not None:
    with st.expander(_("TOML")):
        st.code(ready.to_toml(), language="toml")

state[KEPT] = {
    "choice": choice,
    "draft": draft,
    "show_errors": state.get(SHOW_ERRORS, False),
    "uploaded": uploaded,
}
