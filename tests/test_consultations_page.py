"""The Consultations page through AppTest, on a private copy of the sample store: a consultation
made in the form, mistakes shown next to their fields (and nothing saved), a TOML upload filling
the form, an edit saved and downloaded back. Plus the form's pure helpers."""

from __future__ import annotations

import gc
import os
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from dashboard.definition import form
from dashboard.definition.consultation import Consultation, Question, Theme, parse_consultation
from dashboard.reference.languages import UN_LANGUAGES
from dashboard.store import database
from dashboard.web.roles import PAGE_ROLES
from tests.conftest import SAMPLE_DIR, store_snapshot

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "dashboard" / "web" / "views" / "consultations.py"
APP = ROOT / "dashboard" / "web" / "app.py"
SAMPLE_TOML = SAMPLE_DIR / "civic-space-2020.toml"
SAMPLE_ID = "civic-space-2020"
SAMPLE_TITLE = "Online consultation on civil society space"


def release_store() -> None:
    """Close the app's shared connection, so the test can open the store file itself."""
    st.cache_resource.clear()
    gc.collect()


def saved(path: Path, consultation_id: str) -> Consultation | None:
    release_store()
    con = database.connect(path, read_only=True)
    try:
        return database.get_consultation(con, consultation_id)
    finally:
        con.close()


@pytest.fixture
def page(sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    """Open the page on its own (as `streamlit run dashboard/web/views/consultations.py` does)."""
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))

    def open_page(**session: object) -> AppTest:
        at = AppTest.from_file(str(PAGE), default_timeout=60)
        for key, value in session.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    yield open_page
    release_store()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, bytes]]:
    """(file name, bytes) of every file handed to a download button, newest last."""
    files: list[tuple[str | None, bytes]] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes):
            files.append((filename, path_or_data))
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return files


def run(target) -> AppTest:
    """Run the app (given the AppTest or a widget just set) and check that nothing raised."""
    at = target.run()
    assert not at.exception, at.exception
    return at


def add_rows(at: AppTest, table: int, *rows: dict[str, str]) -> None:
    """Add rows to one of the page's tables (0: themes, 1: questions), as a person would."""
    key = at.data_editor[table].key
    at.session_state[key] = {"edited_rows": {}, "added_rows": list(rows), "deleted_rows": []}


def errors_under(at: AppTest, key: str) -> list[str]:
    """The error messages shown right under the widget with this key (in the block that
    follows it, beside it in the same column)."""

    def search(block: Block) -> list[str] | None:
        nodes = [block.children[i] for i in sorted(block.children)]
        for position, node in enumerate(nodes):
            if getattr(node, "key", None) == key:
                following = [n for n in nodes[position + 1 :] if isinstance(n, Block)]
                return [e.value for e in following[0].error] if following else []
            if isinstance(node, Block):
                found = search(node)
                if found is not None:
                    return found
        return None

    found = search(at.main)
    assert found is not None, f"no widget with key {key!r}"
    return found


def fill_new(at: AppTest, **values: object) -> None:
    """Type the definition fields of a new consultation."""
    fields = {
        "id": ("text_input", "cf-id"),
        "title": ("text_input", "cf-title"),
        "opens_date": ("date_input", "cf-opens-date"),
        "opens_time": ("time_input", "cf-opens-time"),
        "closes_date": ("date_input", "cf-closes-date"),
        "closes_time": ("time_input", "cf-closes-time"),
        "timezone": ("selectbox", "cf-timezone"),
        "languages": ("multiselect", "cf-languages"),
    }
    for name, value in values.items():
        kind, key = fields[name]
        getattr(at, kind)(key=key).set_value(value)


def test_a_new_consultation_from_the_form_is_stored_with_its_window_in_utc(
    page, sample_copy
) -> None:
    at = page()
    assert at.selectbox(key="cf-choice").value == "New consultation"
    assert at.text_input(key="cf-id").value == ""
    assert at.selectbox(key="cf-timezone").value == "UTC"
    assert at.number_input(key="cf-suppression-k").value == 5
    assert not at.error  # a blank form is not scolded before Save

    fill_new(
        at,
        id="road-safety-2021",
        title="Consultation on road safety",
        opens_date=date(2020, 1, 13),
        opens_time=time(10, 0),
        closes_date=date(2020, 1, 24),
        closes_time=time(19, 0),
        timezone="Europe/Paris",
        languages=["en", "fr"],
    )
    run(at)
    assert [d.value.columns.tolist() for d in at.data_editor] == [
        ["id", "en", "fr"],
        ["id", "theme", "en", "fr"],
    ]
    add_rows(at, 0, {"id": "roads", "en": "Roads", "fr": "Routes"})
    add_rows(
        at,
        1,
        {
            "id": "q1",
            "theme": "roads",
            "en": "What is unsafe?",
            "fr": "Qu'est-ce qui est dangereux ?",
        },
        {"id": "q2", "theme": "roads", "en": "What would help?"},
    )
    run(at)
    assert "In UTC: 13 Jan 2020 09:00 UTC to 24 Jan 2020 18:00 UTC" in [c.value for c in at.caption]
    run(at.button(key="cf-save").click())

    assert [s.value for s in at.success] == [
        "Created 'road-safety-2021': Consultation on road safety."
    ]
    assert at.selectbox(key="cf-choice").value == "road-safety-2021"  # now edited, not new
    assert at.text_input(key="cf-id").disabled
    assert at.selectbox(key="cf-timezone").value == "Europe/Paris"
    assert at.time_input(key="cf-opens-time").value == time(10, 0)  # local time, as entered
    assert "Saved: the form matches the store." in [c.value for c in at.caption]

    stored = saved(sample_copy, "road-safety-2021")
    assert stored.opens == datetime(2020, 1, 13, 9, 0, tzinfo=UTC)
    assert stored.closes == datetime(2020, 1, 24, 18, 0, tzinfo=UTC)
    assert stored.timezone == "Europe/Paris"
    assert stored.languages == ("en", "fr")
    assert stored.suppression_k == 5
    assert stored.themes == (Theme("roads", {"en": "Roads", "fr": "Routes"}, ("q1", "q2")),)
    assert stored.questions == (
        Question("q1", "roads", {"en": "What is unsafe?", "fr": "Qu'est-ce qui est dangereux ?"}),
        Question("q2", "roads", {"en": "What would help?"}),
    )
    con = database.connect(sample_copy, read_only=True)
    try:
        opens, closes = con.execute(
            "SELECT opens, closes FROM consultations WHERE consultation_id = 'road-safety-2021'"
        ).fetchone()
        ids = database.consultation_ids(con)
    finally:
        con.close()
    assert (opens, closes) == (
        datetime(2020, 1, 13, 9, 0, tzinfo=UTC),
        datetime(2020, 1, 24, 18, 0, tzinfo=UTC),
    )
    assert sorted(ids) == [SAMPLE_ID, "road-safety-2021"]


def test_mistakes_are_shown_next_to_their_fields_and_nothing_is_saved(page, sample_copy) -> None:
    before = store_snapshot(sample_copy)
    at = page()
    fill_new(
        at,
        id="broken-2021",
        title="   ",
        opens_date=date(2020, 1, 24),
        opens_time=time(18, 0),
        closes_date=date(2020, 1, 13),
        closes_time=time(9, 0),
    )
    run(at)
    add_rows(at, 0, {"id": "roads", "en": "Roads"})
    add_rows(at, 1, {"id": "q1", "theme": "nowhere", "en": "Where?"})
    run(at)
    assert not at.error  # shown once Save is pressed
    run(at.button(key="cf-save").click())

    assert errors_under(at, "cf-title") == ["Required: a non-empty text"]
    assert errors_under(at, "cf-closes-time") == ["Must be after 'opens'"]
    assert errors_under(at, at.data_editor[1].key) == [
        "Row 1 ('q1'), theme: unknown theme 'nowhere'"
    ]
    assert errors_under(at, "cf-id") == []
    assert errors_under(at, "cf-opens-time") == []
    assert errors_under(at, at.data_editor[0].key) == []
    assert "Not saved: 3 problems to fix first." in [e.value for e in at.error]
    assert at.download_button(key="cf-download").disabled  # nothing valid to download
    assert not at.success

    # Fixing one field takes its message away and leaves the others.
    run(at.text_input(key="cf-title").input("Roads"))
    assert errors_under(at, "cf-title") == []
    assert errors_under(at, "cf-closes-time") == ["Must be after 'opens'"]

    release_store()
    assert store_snapshot(sample_copy) == before


def test_a_new_id_that_is_already_taken_is_refused(page, sample_copy) -> None:
    before = store_snapshot(sample_copy)
    at = page()
    fill_new(
        at,
        id=SAMPLE_ID,
        title="Another one",
        opens_date=date(2021, 1, 1),
        opens_time=time(9, 0),
        closes_date=date(2021, 2, 1),
        closes_time=time(9, 0),
    )
    run(at.button(key="cf-save").click())
    assert errors_under(at, "cf-id") == [
        f"{SAMPLE_ID!r} is already a consultation: choose it above to edit it"
    ]
    release_store()
    assert store_snapshot(sample_copy) == before


def test_uploading_the_sample_toml_fills_the_form_without_saving(page, sample_copy) -> None:
    text = SAMPLE_TOML.read_text(encoding="utf-8").replace(SAMPLE_ID, "civic-space-2021")
    expected = parse_consultation(text)
    before = store_snapshot(sample_copy)
    at = page()
    at.file_uploader[0].set_value(("civic-space-2021.toml", text.encode(), "application/toml"))
    run(at)

    assert [s.value for s in at.success] == [
        "Filled the form from civic-space-2021.toml. Not saved yet."
    ]
    assert at.selectbox(key="cf-choice").value == "New consultation"
    assert at.text_input(key="cf-id").value == "civic-space-2021"
    assert at.text_input(key="cf-title").value == "Online consultation on civil society space"
    assert at.date_input(key="cf-opens-date").value == date(2020, 1, 13)
    assert at.time_input(key="cf-opens-time").value == time(9, 0)
    assert at.date_input(key="cf-closes-date").value == date(2020, 1, 24)
    assert at.time_input(key="cf-closes-time").value == time(18, 0)
    assert at.selectbox(key="cf-timezone").value == "UTC"
    assert at.multiselect(key="cf-languages").value == ["en", "fr", "es", "ar", "zh", "ru"]
    themes, questions = (d.value for d in at.data_editor)
    assert themes["id"].tolist() == ["partnership", "protection", "promotion"]
    assert themes["en"].tolist() == [t.labels["en"] for t in expected.themes]
    assert themes["ar"].tolist() == [t.labels["ar"] for t in expected.themes]
    assert questions["id"].tolist() == [f"q{n}" for n in range(1, 10)]
    assert questions["theme"].tolist() == [
        *["partnership"] * 3,
        *["protection"] * 3,
        *["promotion"] * 3,
    ]
    assert questions["zh"].tolist() == [q.texts["zh"] for q in expected.questions]
    assert not at.error
    assert "Unsaved changes." in [c.value for c in at.caption]
    assert parse_consultation(at.code[0].value) == expected  # the form holds the file

    release_store()
    assert store_snapshot(sample_copy) == before


def test_uploading_a_definition_of_a_stored_consultation_edits_it(page, sample_copy) -> None:
    at = page()
    at.file_uploader[0].set_value((SAMPLE_TOML.name, SAMPLE_TOML.read_bytes(), "application/toml"))
    run(at)
    assert at.selectbox(key="cf-choice").value == SAMPLE_ID
    assert [s.value for s in at.success] == [
        f"Filled the form from {SAMPLE_TOML.name} (it replaces {SAMPLE_ID!r} when you save). "
        "Not saved yet."
    ]
    assert "Saved: the form matches the store." in [c.value for c in at.caption]


def test_an_invalid_upload_shows_its_problems_next_to_the_fields(page, sample_copy) -> None:
    text = (
        SAMPLE_TOML.read_text(encoding="utf-8")
        .replace("closes = 2020-01-24T18:00:00Z", "closes = 2020-01-02T18:00:00Z")
        .replace("opens = 2020-01-13T09:00:00Z", "opens = 2020-01-13T09:00:00")
        .replace('theme = "protection"', 'theme = "safety"', 1)
        .replace(SAMPLE_ID, "broken-upload")
    )
    before = store_snapshot(sample_copy)
    at = page()
    at.file_uploader[0].set_value(("broken.toml", text.encode(), "application/toml"))
    run(at)
    # The form shows what could be read: the time without offset, read in the file's zone.
    assert at.time_input(key="cf-opens-time").value == time(9, 0)
    assert errors_under(at, "cf-opens-time") == [
        "In broken.toml: Must carry its time zone offset, e.g. 2020-01-13T09:00:00Z or +01:00"
    ]
    assert errors_under(at, "cf-closes-time") == ["Must be after 'opens'"]
    theme_messages = errors_under(at, at.data_editor[1].key)
    assert "Row 4 ('q4'), theme: unknown theme 'safety'" in theme_messages
    assert any("is not a valid definition" in w.value for w in at.warning)
    run(at.button(key="cf-save").click())
    assert "Not saved: 3 problems to fix first." in [e.value for e in at.error]

    # The form's reading of the time without offset can be accepted; the rest still blocks.
    run(at.button(key="cf-accept-upload").click())
    assert errors_under(at, "cf-opens-time") == []
    run(at.button(key="cf-save").click())
    assert "Not saved: 2 problems to fix first." in [e.value for e in at.error]
    release_store()
    assert store_snapshot(sample_copy) == before


def test_a_value_read_from_a_file_blocks_save_until_its_field_changes(page, sample_copy) -> None:
    text = (
        SAMPLE_TOML.read_text(encoding="utf-8")
        .replace(SAMPLE_ID, "zurich-2020")
        .replace('timezone = "UTC"', 'timezone = "Europe/Geneva"')
        .replace("opens = 2020-01-13T09:00:00Z", "opens = 2020-01-13T09:00:00")
    )
    at = page()
    at.file_uploader[0].set_value(("zurich.toml", text.encode(), "application/toml"))
    run(at)
    # An unknown zone stays in the form, so the form's own check flags it.
    assert at.selectbox(key="cf-timezone").value == "Europe/Geneva"
    assert errors_under(at, "cf-timezone") == [
        "Unknown time zone 'Europe/Geneva'; use an IANA name"
    ]
    run(at.selectbox(key="cf-timezone").set_value("Europe/Zurich"))
    assert errors_under(at, "cf-timezone") == []
    assert errors_under(at, "cf-opens-time") == [
        "In zurich.toml: Must carry its time zone offset, e.g. 2020-01-13T09:00:00Z or +01:00"
    ]
    run(at.button(key="cf-save").click())
    assert "Not saved: 1 problem to fix first." in [e.value for e in at.error]
    # Changing the field settles it: 10:00 in Zurich.
    run(at.time_input(key="cf-opens-time").set_value(time(10, 0)))
    assert errors_under(at, "cf-opens-time") == []
    run(at.button(key="cf-save").click())
    assert [s.value for s in at.success] == [
        "Created 'zurich-2020': Online consultation on civil society space."
    ]
    stored = saved(sample_copy, "zurich-2020")
    assert stored.timezone == "Europe/Zurich"
    assert stored.opens == datetime(2020, 1, 13, 9, 0, tzinfo=UTC)


def test_a_file_that_is_not_toml_is_refused_next_to_the_upload(page, sample_copy) -> None:
    at = page(consultation=SAMPLE_ID)
    at.file_uploader[0].set_value(("bad.toml", b"id = 'x\ntitle = ", "application/toml"))
    run(at)
    assert at.error[0].value.startswith("bad.toml: Not valid TOML")
    assert at.selectbox(key="cf-choice").value == SAMPLE_ID  # the form is left as it was
    assert at.text_input(key="cf-title").value == "Online consultation on civil society space"


def test_editing_the_sample_title_saves_it_and_the_download_follows(
    page, sample_copy, sample_consultation, downloads
) -> None:
    at = page(consultation=SAMPLE_ID)  # the sidebar's consultation is the default
    assert at.selectbox(key="cf-choice").value == SAMPLE_ID
    assert at.text_input(key="cf-id").value == SAMPLE_ID
    assert at.text_input(key="cf-id").disabled
    assert [d.value["id"].tolist() for d in at.data_editor] == [
        ["partnership", "protection", "promotion"],
        [f"q{n}" for n in range(1, 10)],
    ]
    name, content = downloads[-1]
    assert name == f"{SAMPLE_ID}.toml"
    assert parse_consultation(content.decode()) == sample_consultation

    run(at.text_input(key="cf-title").input("Civil society space, revised"))
    assert "Unsaved changes." in [c.value for c in at.caption]
    name, content = downloads[-1]  # the form's version, valid though not saved yet
    assert parse_consultation(content.decode()).title == "Civil society space, revised"

    run(at.button(key="cf-save").click())
    assert [s.value for s in at.success] == [f"Saved {SAMPLE_ID!r}: Civil society space, revised."]
    name, content = downloads[-1]
    downloaded = parse_consultation(content.decode())
    stored = saved(sample_copy, SAMPLE_ID)
    assert stored.title == "Civil society space, revised"
    assert downloaded == stored
    assert downloaded.opens == sample_consultation.opens
    assert downloaded.themes == sample_consultation.themes
    assert downloaded.questions == sample_consultation.questions


def test_an_invalid_edit_downloads_the_saved_definition(
    page, sample_consultation, downloads
) -> None:
    at = page(consultation=SAMPLE_ID)
    run(at.text_input(key="cf-title").input(""))
    assert errors_under(at, "cf-title") == ["Required: a non-empty text"]
    button = at.download_button(key="cf-download")
    assert not button.disabled
    assert parse_consultation(downloads[-1][1].decode()) == sample_consultation


def test_changing_languages_keeps_the_texts_typed_so_far(page) -> None:
    at = page(consultation=SAMPLE_ID)
    themes_key = at.data_editor[0].key
    at.session_state[themes_key] = {
        "edited_rows": {0: {"fr": "Partenariat"}},
        "added_rows": [{"id": "funding", "en": "Funding"}],
        "deleted_rows": [2],
    }
    at.multiselect(key="cf-languages").set_value(["en", "fr", "de"])
    run(at)
    themes = at.data_editor[0].value
    assert themes.columns.tolist() == ["id", "en", "fr", "de"]
    assert themes["id"].tolist() == ["partnership", "protection", "funding"]
    assert themes["fr"].tolist()[0] == "Partenariat"
    assert themes["en"].tolist()[2] == "Funding"
    assert themes["de"].isna().all()
    assert at.data_editor[1].value.columns.tolist() == ["id", "theme", "en", "fr", "de"]

    # Turning a language off and on again loses none of its texts.
    run(at.multiselect(key="cf-languages").set_value(["en", "de"]))
    assert at.data_editor[0].value.columns.tolist() == ["id", "en", "de"]
    run(at.multiselect(key="cf-languages").set_value(["en", "de", "fr"]))
    themes, questions = (d.value for d in at.data_editor)
    assert themes.columns.tolist() == ["id", "en", "de", "fr"]
    assert themes["fr"].tolist()[:2] == [
        "Partenariat",
        "Protection des acteurs de la société civile",
    ]
    assert questions["fr"].tolist()[0].startswith("Comment l'ONU peut-elle nouer")


def test_the_language_list_puts_the_six_un_languages_first(page) -> None:
    at = page()
    options = at.multiselect(key="cf-languages").options
    assert options[:6] == [
        "Arabic (ar)",
        "Chinese (zh)",
        "English (en)",
        "French (fr)",
        "Russian (ru)",
        "Spanish (es)",
    ]
    assert "German (de)" in options[6:]
    assert len(options) > 150


WRAPPER = """
import streamlit as st
from dashboard.web import ui

navigation = st.navigation(
    [
        st.Page({overview!r}, title="Overview"),
        st.Page({page!r}, title="Consultations", default=True),
    ]
)
ui.sidebar()
navigation.run()
"""


@pytest.mark.parametrize("entry", ["wrapper", "app"])
def test_a_saved_consultation_appears_in_the_sidebar(
    entry, sample_copy, monkeypatch, tmp_path
) -> None:
    """Inside the app (app.py once it registers the page; until then, an entry point like it)."""
    monkeypatch.setenv("DASHBOARD_DB", str(sample_copy))
    if entry == "app":
        if "consultations.py" not in PAGE_ROLES:
            pytest.skip("dashboard/web/roles.py does not list views/consultations.py yet")
        at = AppTest.from_file(str(APP), default_timeout=60)
        run(at)
        run(at.switch_page("views/consultations.py"))
        here = "views/consultations.py"
        overview = "views/overview.py"
    else:
        main = tmp_path / "app.py"
        overview_path = ROOT / "dashboard" / "web" / "views" / "overview.py"
        main.write_text(WRAPPER.format(overview=str(overview_path), page=str(PAGE)))
        at = AppTest.from_file(str(main), default_timeout=60)
        run(at)
        here = os.path.relpath(PAGE, tmp_path)
        overview = os.path.relpath(overview_path, tmp_path)
    try:
        # The sidebar shows consultations by title; its value (and the address) is the id.
        assert at.sidebar.selectbox(key="consultation").options == [SAMPLE_TITLE]
        assert at.sidebar.selectbox(key="consultation").value == SAMPLE_ID
        # The page starts on the sidebar's consultation.
        assert at.selectbox(key="cf-choice").value == SAMPLE_ID
        run(at.selectbox(key="cf-choice").set_value("New consultation"))
        fill_new(
            at,
            id="road-safety-2021",
            title="Road safety",
            opens_date=date(2021, 3, 1),
            opens_time=time(9, 0),
            closes_date=date(2021, 3, 31),
            closes_time=time(17, 0),
        )
        run(at)
        # A visit to another page keeps the unsaved draft.
        run(at.switch_page(overview))
        run(at.switch_page(here))
        assert at.text_input(key="cf-title").value == "Road safety"
        assert at.date_input(key="cf-closes-date").value == date(2021, 3, 31)
        run(at.button(key="cf-save").click())
        assert set(at.sidebar.selectbox(key="consultation").options) == {
            SAMPLE_TITLE,
            "Road safety",
        }
    finally:
        release_store()


# --------------------------------------------------------------------------- pure helpers


def test_a_definition_goes_through_the_form_unchanged(sample_consultation) -> None:
    draft = form.draft_from_consultation(sample_consultation)
    checked = form.check(draft)
    assert checked.problems == {}
    assert checked.consultation == sample_consultation
    assert parse_consultation(checked.consultation.to_toml()) == sample_consultation


def test_the_window_is_local_time_in_the_zone() -> None:
    draft = form.blank_draft(["en"])
    draft.id, draft.title, draft.timezone = "x", "X", "America/New_York"
    draft.opens_date, draft.opens_time = date(2020, 7, 1), time(9, 0)
    draft.closes_date, draft.closes_time = date(2020, 12, 1), time(9, 0)
    c = form.check(draft).consultation
    assert c.opens == datetime(2020, 7, 1, 13, 0, tzinfo=UTC)  # summer time, UTC-4
    assert c.closes == datetime(2020, 12, 1, 14, 0, tzinfo=UTC)  # winter time, UTC-5


def test_a_local_time_that_does_not_exist_is_a_problem() -> None:
    draft = form.blank_draft(["en"])
    draft.id, draft.title, draft.timezone = "x", "X", "Europe/Paris"
    draft.opens_date, draft.opens_time = date(2020, 3, 29), time(2, 30)  # clocks go forward
    draft.closes_date, draft.closes_time = date(2020, 4, 1), time(9, 0)
    checked = form.check(draft)
    assert checked.consultation is None
    assert checked.problems == {
        "opens": "2020-03-29 02:30 does not exist in Europe/Paris (the clocks change then)"
    }


def test_missing_date_or_time_is_a_problem_of_its_field() -> None:
    draft = form.blank_draft(["en"])
    draft.id, draft.title = "x", "X"
    draft.opens_date, draft.opens_time = date(2020, 1, 1), None
    problems = form.check(draft).problems
    assert problems["opens"] == "required: a date and a time"
    assert problems["closes"] == "required: a date and a time"


def test_problems_are_placed_by_field_with_the_table_row() -> None:
    draft = form.blank_draft(["en"])
    draft.themes = form.text_table(
        form.THEME_COLUMNS,
        ["en"],
        [{"id": "a"}, {}, {"id": "Bad Id"}, {"id": "a", "en": "again"}],
    )
    draft.questions = form.text_table(form.QUESTION_COLUMNS, ["en"], [{"id": "q1", "theme": "z"}])
    checked = form.check(draft)
    placed = form.messages_by_field(checked.problems, checked.rows)
    # The blank row 2 is skipped, so [[themes]] 2 and 3 are the table's rows 3 and 4.
    assert placed["themes"] == [
        "Row 3 ('Bad Id'), id: required: lower-case letters, digits, '-' or '_'",
        "Row 4 ('a'), id: duplicate theme id 'a'",
    ]
    assert placed["questions"] == ["Row 1 ('q1'), theme: unknown theme 'z'"]
    assert placed["id"] == [
        "Required: lower-case letters, digits, '-' or '_', starting with a letter or digit"
    ]
    assert set(placed) == {"id", "title", "opens", "closes", "themes", "questions"}
    assert form.messages_by_field({"toml": "not valid TOML (x)", "colour": "no"}) == {
        "file": ["Not valid TOML (x)"],
        "other": ["colour: no"],
    }


def test_apply_edits_follows_the_data_editor() -> None:
    frame = form.text_table(("id",), ["en"], [{"id": "a", "en": "A"}, {"id": "b", "en": "B"}])
    edited = form.apply_edits(
        frame,
        {
            "edited_rows": {1: {"en": "  Bee "}, 0: {"en": None}},
            "added_rows": [{"id": "c"}],
            "deleted_rows": [0],
        },
    )
    assert edited.to_dict("records") == [
        {"id": "b", "en": "Bee"},
        {"id": "c", "en": None},
    ]
    assert form.apply_edits(frame, None).equals(frame)


def test_a_raw_definition_fills_what_it_can() -> None:
    draft = form.draft_from_dict(
        {
            "id": "x",
            "title": 3,
            "timezone": "Mars/Olympus",
            "opens": "2020-01-13T10:00:00+01:00",
            "languages": ["French", "xx", "fr", "ru"],
            "themes": [{"id": "t", "label": {"en": "T", "de": "Te"}, "questions": ["q1", "q2"]}],
            "questions": [{"id": "q1", "text": "One?"}],
            "owner": "OHCHR",
        }
    )
    # Wrong values the form can hold are kept, for its own check to flag.
    assert (draft.title, draft.timezone) == ("", "Mars/Olympus")
    assert (draft.opens_date, draft.opens_time) == (date(2020, 1, 13), time(10, 0))  # as written
    assert draft.closes_date is None
    assert draft.languages == ["fr", "xx", "ru"]
    assert draft.text_languages() == ["fr", "xx", "ru", "en", "de"]  # other texts kept
    problems = form.check(draft).problems
    assert problems["timezone"] == "unknown time zone 'Mars/Olympus'; use an IANA name"
    assert problems["languages"] == "unknown language 'xx'"
    assert draft.questions[["id", "theme", "en"]].to_dict("records") == [
        {"id": "q1", "theme": "t", "en": "One?"},
        {"id": "q2", "theme": "t", "en": None},
    ]
    assert draft.extra == {"owner": "OHCHR"}


def test_a_language_turned_off_keeps_its_texts_aside() -> None:
    frame = form.text_table(
        ("id",), ["en", "fr"], [{"id": "a", "en": "A", "fr": "Ah"}, {"id": "b"}]
    )
    stash: dict[str, dict[str, str]] = {}
    narrowed = form.reshape(frame, ("id",), ["en"], stash)
    assert narrowed.columns.tolist() == ["id", "en"]
    assert stash == {"fr": {"a": "Ah"}}
    widened = form.reshape(narrowed, ("id",), ["en", "fr", "es"], stash)
    assert widened.to_dict("records") == [
        {"id": "a", "en": "A", "fr": "Ah", "es": None},
        {"id": "b", "en": None, "fr": None, "es": None},
    ]
    assert stash == {}


def test_the_language_options_start_with_the_un_languages() -> None:
    options = form.language_options()
    assert tuple(options[:6]) == UN_LANGUAGES
    assert len(options) == len(set(options))
    assert {"de", "sw", "pt"} <= set(options)


def test_the_title_in_each_language_is_edited_and_saved(page, sample_copy) -> None:
    at = page(consultation=SAMPLE_ID)
    french = at.text_input(key="cf-title-in-fr")
    assert french.value == "Consultation en ligne sur l'espace de la société civile"
    assert french.label == "Title in French (fr)"
    assert {w.key for w in at.text_input if w.key.startswith("cf-title-in-")} == {
        f"cf-title-in-{code}" for code in ("fr", "es", "ar", "zh", "ru")
    }
    run(at.text_input(key="cf-title-in-fr").input("Consultation sur l'espace civique"))
    run(at.button(key="cf-save").click())
    stored = saved(sample_copy, SAMPLE_ID)
    assert stored.titles["fr"] == "Consultation sur l'espace civique"
    assert stored.titles["en"] == stored.title == SAMPLE_TITLE
    assert stored.titles["ar"] == "المشاورة الإلكترونية بشأن حيز المجتمع المدني"


def test_a_blank_english_title_beside_other_titles_is_a_problem_of_the_title() -> None:
    draft = form.blank_draft(["en", "fr"])
    draft.id, draft.other_titles = "x", {"fr": "Consultation X"}
    assert form.title_value(draft) == {"en": "", "fr": "Consultation X"}
    assert "title" in form.check(draft).problems
    draft.languages = ["fr"]  # a consultation in French only: its French title is enough
    assert form.title_value(draft) == {"fr": "Consultation X"}
    assert "title" not in form.check(draft).problems
