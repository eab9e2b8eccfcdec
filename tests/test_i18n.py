"""The interface in six languages: the catalogues are complete, every interface string in the
pages is marked for translation, the machinery translates and falls back to English, and pages
render in French and, right to left, in Arabic."""

from __future__ import annotations

import ast
import re
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from dashboard.publish import style
from dashboard.reference import geo, i18n
from tests.test_browser_languages import STREAMLIT_WORDS, interface_english
from tests.test_pages import APP, PAGES

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "dashboard" / "web"
CATALOGUES = sorted(i18n.LOCALES.glob("*/LC_MESSAGES/dashboard.po"))
NARROW_NO_BREAK_SPACE = "\u202f"


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def message_keys(catalog) -> set[tuple[str, str | None]]:
    """(msgid, context) of each message, the singular for plurals."""
    return {(m.id[0] if isinstance(m.id, tuple) else m.id, m.context) for m in catalog if m.id}


# ---- the catalogues -----------------------------------------------------------------------------


def test_the_template_is_not_empty_and_has_the_interface_words() -> None:
    ids = {key[0] for key in message_keys(read(i18n.TEMPLATE))}
    assert len(ids) > 400
    assert {"Respondents", "Responses", "Overview", "Language", "Filters"} <= ids


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_a_catalogue_has_every_message_of_the_template_translated(path: Path) -> None:
    template, catalog = read(i18n.TEMPLATE), read(path)
    missing = message_keys(template) - message_keys(catalog)
    assert not missing, f"{path.parent.parent.name} lacks {sorted(missing)[:10]}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    empty = [
        m.id
        for m in catalog
        if m.id and (any(not s for s in m.string) if isinstance(m.string, tuple) else not m.string)
    ]
    assert not empty, f"untranslated: {empty[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_a_translation_keeps_the_placeholders_of_its_message(path: Path) -> None:
    """A translation that drops or renames "{count}" would fail (or lie) when filled."""
    fields = re.compile(r"\{(\w*)\}")
    wrong = []
    for message in read(path):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(fields.findall(i) for i in ids))
        for string in strings:
            if set(fields.findall(string)) - wanted or (
                len(ids) == 1 and set(fields.findall(string)) != wanted
            ):
                wrong.append((ids[0], string))
    assert not wrong, wrong[:5]


def test_all_six_languages_have_a_catalogue() -> None:
    present = {path.parent.parent.name for path in CATALOGUES}
    assert present >= set(i18n.LANGUAGES) - {"en"}


# ---- every interface string is marked ----------------------------------------------------------

LABEL_KEYWORDS = {"label", "help", "placeholder", "caption", "title", "text"}
MARKERS = {"_", "ngettext", "pgettext", "N_"}
# Streamlit calls whose first argument is not text for a reader (a setting, raw HTML: the
# text inside HTML is marked where it is made).
NOT_DISPLAY = {"get_option", "html", "get", "pop", "setdefault", "get_all"}
# Not words for a reader: icon shortcodes, separators, units and ids.
NOT_WORDS = re.compile(r"^(:material/\w+:\s*)?[\W\d_]*$|^(SHA-256|n|TOML|PDF)$")


def _streamlit_call(node: ast.Call) -> bool:
    """st.x(...), st.sidebar.x(...), st.column_config.X(...), and calls on a column or
    container (left.selectbox): any attribute call whose object is not a string or data."""
    function = node.func
    if not isinstance(function, ast.Attribute) or function.attr in NOT_DISPLAY:
        return False
    if "session_state" in ast.unparse(function) or "query_params" in ast.unparse(function):
        return False
    root = function.value
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(root, ast.Name) and root.id in {
        "st", "left", "right", "middle", "top", "actions", "column", "columns", "counts",
        "note", "button", "pick_add", "pick_remove", "add", "remove", "yes", "no",
    }  # fmt: skip


def _unmarked_texts(node: ast.AST) -> list[str]:
    """Literal texts in an argument that no translation function wraps."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
        return []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # "...".format(...) and _("...").format(...): look at what is formatted
        if node.func.attr in {"format", "replace"}:
            return _unmarked_texts(node.func.value)
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [] if NOT_WORDS.match(node.value) else [node.value]
    if isinstance(node, ast.JoinedStr):
        literal = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        return [] if NOT_WORDS.match(literal) else [ast.unparse(node)]
    if isinstance(node, ast.BinOp):
        return _unmarked_texts(node.left) + _unmarked_texts(node.right)
    if isinstance(node, ast.IfExp):
        return _unmarked_texts(node.body) + _unmarked_texts(node.orelse)
    return []


def unmarked(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not _streamlit_call(node):
            continue
        arguments = node.args[:1] + [k.value for k in node.keywords if k.arg in LABEL_KEYWORDS]
        for argument in arguments:
            found += [(node.lineno, text) for text in _unmarked_texts(argument)]
    return found


PAGE_FILES = [*sorted((WEB / "views").glob("*.py")), WEB / "ui.py", WEB / "app.py"]


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_every_interface_string_of_a_page_is_marked(path: Path) -> None:
    assert unmarked(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_use_the_uploader_that_speaks_the_language(path: Path) -> None:
    """Streamlit's uploader writes its own words in English: pages call ui.file_uploader,
    which writes them in the language in force."""
    calls = [
        node
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "file_uploader"
        and ast.unparse(node.func) != "ui.file_uploader"
        and path.name != "ui.py"
    ]
    assert [ast.unparse(call.func) for call in calls] == []


def test_the_uploaders_words_are_written_for_its_key_in_the_language() -> None:
    from dashboard.web import ui

    assert ui.uploader_css("uploads", ["csv"]) == ""  # English: Streamlit's own words
    with i18n.using("fr"):
        css = ui.uploader_css("q1 mapping-file", ["csv", "toml"], multiple=True)
    assert css.startswith("<style>") and css.endswith("</style>") and css.count("<") == 2
    assert ".st-key-q1-mapping-file [data-testid='stFileUploaderDropzone']" in css
    assert 'content: "Parcourir"' in css
    assert 'content: "200 Mo par fichier • CSV, TOML"' in css
    assert 'content: "Glissez-déposez les fichiers ici"' in css
    # A text can neither end its string nor the style element.
    assert ui.css_text('a"b</style>\\') == '"a\\22 b\\3c /style\\3e \\5c "'


@pytest.mark.parametrize(
    "source",
    [
        'st.title("Overview")',
        'st.button(f"Import {name}")',
        'left.selectbox("Question", options)',
        'st.caption("A" + _("b"))',
        'st.text_input(_("Id"), help="Lower-case letters")',
        'st.column_config.TextColumn("Code id")',
        'st.info("Found {n}".format(n=3))',
    ],
)
def test_the_marking_check_finds_an_unmarked_string(source: str) -> None:
    assert unmarked(source)


@pytest.mark.parametrize(
    "source",
    [
        'st.title(_("Overview"))',
        'st.button(_("Import {name}").format(name=name))',
        'st.error(ngettext("{n} problem", "{n} problems", n).format(n=n))',
        'st.selectbox(_("Language"), codes, icon=":material/translate:")',
        "st.caption(ui.plain(note))",
        'st.caption(" · ".join(parts))',
    ],
)
def test_the_marking_check_passes_marked_strings(source: str) -> None:
    assert unmarked(source) == []


# ---- the importer's and the definition's messages ------------------------------------------------

# What the Import and Consultations pages show from below the web room: refusals, the problems of a
# definition or a form, and the notes of the validation report. Their literal text must be marked.
REFUSALS = {"FileRefused", "EmptyFile", "ConsultationError", "DefinitionError", "MappingError"}
# Refusals whose message is their first argument: a time zone setting the Import and
# Consultations pages show the problem of.
FIRST_ARGUMENT_REFUSALS = {"UnknownZone"}
PROBLEM_TABLES = {"problems", "form_problems"}
MESSAGE_FILES = [
    *sorted((ROOT / "dashboard" / "importer").glob("*.py")),
    *sorted((ROOT / "dashboard" / "definition").glob("*.py")),
    ROOT / "dashboard" / "reference" / "zones.py",
]


def unmarked_messages(source: str) -> list[tuple[int, str]]:
    """Literal texts given to a refusal, put in a definition's problems or a report's notes,
    that no translation function wraps."""
    found = []
    for node in ast.walk(ast.parse(source)):
        arguments: list[ast.AST] = []
        if isinstance(node, ast.Call):
            function = node.func
            name = getattr(function, "id", None) or getattr(function, "attr", "")
            if name in REFUSALS:
                arguments = node.args[1:2]  # (file name, reason, line): the reason
                # ({field: problem}, source): each problem of a dict written in the call
                if node.args and isinstance(node.args[0], ast.Dict):
                    arguments += node.args[0].values
            elif name in FIRST_ARGUMENT_REFUSALS:
                arguments = node.args[:1]
            elif name == "HeaderShape":
                arguments = node.args[3:4]  # (rows, headers, options, note, ...): the note
            elif name == "append" and ast.unparse(function).endswith("notes.append"):
                arguments = node.args[:1]
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Subscript) and ast.unparse(t.value) in PROBLEM_TABLES
            for t in node.targets
        ):
            arguments = [node.value]
        for argument in arguments:
            found += [(node.lineno, text) for text in _unmarked_texts(argument)]
    return found


@pytest.mark.parametrize("path", MESSAGE_FILES, ids=lambda p: p.name)
def test_the_importers_and_definitions_messages_are_marked(path: Path) -> None:
    assert unmarked_messages(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        'raise FileRefused(name, "the file is empty")',
        'raise FileRefused(name, f"the file has {rows} rows", 3)',
        'problems["title"] = "required: a non-empty text"',
        'report.notes.append(f"{n} rows were refused")',
        'raise MappingError({"toml": f"not valid TOML ({exc})"}, source)',
        'raise UnknownZone(f"unknown time zone {name!r}")',
        'notes.append("{n} file(s) were left out".format(n=n))',
        'HeaderShape(2, headers, {}, "Header rows 1-2 combined", "qualtrics")',
    ],
)
def test_the_message_check_finds_an_unmarked_message(source: str) -> None:
    assert unmarked_messages(source)


@pytest.mark.parametrize(
    "source",
    [
        'raise FileRefused(name, _("the file is empty"))',
        'problems["title"] = _("required: {what}").format(what=x)',
        'report.notes.append(ngettext("{n} row", "{n} rows", n).format(n=n))',
        "raise FileRefused(name, reason, line)",
    ],
)
def test_the_message_check_passes_marked_messages(source: str) -> None:
    assert unmarked_messages(source) == []


@pytest.mark.parametrize(
    ("lang", "refusal"),
    [
        ("en", "x.csv, line 2: a quoted value that starts on this line never closes"),
        ("fr", "x.csv, ligne 2\u00a0: une valeur entre guillemets qui commence sur cette ligne"),
        ("es", "x.csv, línea 2: un valor entre comillas que empieza en esta línea nunca se cierra"),
        ("ru", "x.csv, строка 2: значение в кавычках, начинающееся в этой строке, не закрыто"),
        ("ar", "\u2068x.csv\u2069، السطر 2: قيمة بين علامتي اقتباس تبدأ في هذا السطر"),
        ("zh", "x.csv，第 2 行：从此行开始的带引号的值没有结束"),
    ],
)
def test_an_importer_refusal_is_said_in_the_language_in_force(lang: str, refusal: str) -> None:
    from dashboard.importer.reading import FileRefused, read_export

    with i18n.using(lang), pytest.raises(FileRefused) as refused:
        read_export(b'a,b\n1,"x\n', "x.csv")
    assert str(refused.value).startswith(refusal)


def test_a_definitions_problems_are_said_in_the_language_in_force() -> None:
    from dashboard.definition import form
    from dashboard.definition.consultation import ConsultationError, consultation_from_dict

    with i18n.using("fr"), pytest.raises(ConsultationError) as refused:
        consultation_from_dict({"id": "x", "languages": ["en"], "suppression_k": 0})
    problems = refused.value.problems
    assert problems["title"] == "obligatoire\u00a0: un texte non vide"
    assert problems["suppression_k"] == "doit être un nombre entier supérieur ou égal à 1"
    with i18n.using("ru"):
        placed = form.messages_by_field({"questions[1].theme": "x"}, {"questions": {1: "q"}})
    assert placed == {"questions": ["q, theme: x"]}


def test_the_validation_report_is_written_in_the_language_in_force() -> None:
    from dashboard.importer.pipeline import ImportReport

    report = ImportReport("f.csv", 1, "h", "", "wide", None, None, None)
    report.unknown_countries = {"Atlantis": 3}
    report.placeholder_lookalikes = [{"field": "country", "value": "N/A", "rows": 2}]
    with i18n.using("fr"):
        rows = [tuple(row) for row in report.findings().itertuples(index=False)]
    assert rows == [
        (
            "ressemble à une valeur de remplissage, conservée comme valeur\u00a0: déclarez-la "
            "dans [parse] blank_values",
            "'N/A' dans les pays",
            2,
        ),
        ("pays non reconnu, conservé comme Inconnu", "Atlantis", 3),
    ]
    english = [tuple(row) for row in report.findings().itertuples(index=False)]
    assert english[1] == ("country not recognised, kept as Unknown", "Atlantis", 3)


# ---- the machinery ------------------------------------------------------------------------------


def test_english_is_the_default_and_translates_nothing() -> None:
    assert i18n.current() == "en"
    assert i18n._("Respondents") == "Respondents"


def test_a_message_without_a_translation_falls_back_to_english() -> None:
    with i18n.using("fr"):
        assert i18n._("A sentence no catalogue has") == "A sentence no catalogue has"


@pytest.mark.skipif(
    not i18n.catalogue_path("fr").exists(), reason="the French catalogue is not there yet"
)
def test_french_is_translated() -> None:
    with i18n.using("fr"):
        assert i18n._("Respondents") == "Répondants"


def test_using_restores_the_language_even_after_an_error() -> None:
    with i18n.using("fr"):
        with pytest.raises(RuntimeError), i18n.using("ar"):
            assert i18n.current() == "ar"
            raise RuntimeError
        assert i18n.current() == "fr"
    assert i18n.current() == "en"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("fr-CH", "fr"), ("zh_Hans_CN", "zh"), ("AR", "ar"), ("de-DE", "en"), (None, "en")],
)
def test_a_browser_language_is_one_of_the_six_or_english(tag, expected: str) -> None:
    assert i18n.negotiate(tag) == expected


def _plural_catalogue(tmp_path: Path, lang: str, forms: list[str]) -> None:
    """A catalogue of one plural message in `lang`, in place of the real one."""
    folder = tmp_path / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    strings = "\n".join(f'msgstr[{n}] "{form}"' for n, form in enumerate(forms))
    (folder / "dashboard.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "{{n}} row"\nmsgid_plural "{{n}} rows"\n{strings}\n',
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("lang", "forms", "counts"),
    [
        # Russian: one (1, 21), few (2-4, 22), many (5-20, 11)
        ("ru", ["{n} строка", "{n} строки", "{n} строк"],
         {1: 0, 21: 0, 2: 1, 4: 1, 22: 1, 5: 2, 11: 2, 20: 2}),
        # Arabic, in the order of the Plural-Forms babel writes: zero, one, two, few (3-10),
        # then 100-102 (CLDR's "other") before 11-99 (CLDR's "many")
        ("ar", [f"{{n}} صف {n}" for n in range(6)],
         {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 103: 3, 100: 4, 102: 4, 11: 5, 99: 5}),
    ],
)  # fmt: skip
def test_plural_forms_follow_the_language(tmp_path, monkeypatch, lang, forms, counts) -> None:
    _plural_catalogue(tmp_path, lang, forms)
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.translations.cache_clear()
    try:
        with i18n.using(lang):
            for count, form in counts.items():
                assert i18n.ngettext("{n} row", "{n} rows", count) == forms[form], count
    finally:
        i18n.translations.cache_clear()


def test_numbers_dates_and_names_follow_the_language() -> None:
    moment = datetime(2020, 1, 13, 9, 0)
    with i18n.using("fr"):
        assert style.count_text(3000) == f"3{NARROW_NO_BREAK_SPACE}000"
        assert style.moment_text(moment) == "13 janv. 2020 09:00 UTC"
        assert i18n.language_name("fr") == "Français"
        assert geo.country_name("DEU", "Germany") == "Allemagne"
    with i18n.using("es"):
        assert style.count_text(3000) == "3.000"
    assert style.count_text(3000) == "3,000"
    assert style.moment_text(moment) == "13 Jan 2020 09:00 UTC"
    assert geo.country_name("DEU", "Germany") == "Germany"


def test_a_text_missing_in_the_language_falls_back_to_english_marked() -> None:
    texts = {"en": "Protection", "fr": "Protection des acteurs"}
    with i18n.using("fr"):
        assert i18n.pick(texts) == "Protection des acteurs"
    with i18n.using("ru"):
        assert i18n.pick(texts) == "Protection (en)"
    assert i18n.pick({"fr": "Seulement"}) == "Seulement"  # English as it always read


def test_ids_in_arabic_sentences_keep_their_direction() -> None:
    with i18n.using("ar"):
        assert i18n.isolate("q1") == "\u2068q1\u2069"
    assert i18n.isolate("q1") == "q1"


# ---- pages in French and Arabic ------------------------------------------------------------------


@pytest.fixture
def open_in(sample_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DASHBOARD_DB", str(sample_db))

    def open_page(lang: str, page: str = "overview") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return open_page


TRANSLATED = [path.parent.parent.name for path in CATALOGUES]
# Markdown's and HTML's markup: what is between two of them is one text of the page, as the
# browser holds it (a text node); a style sheet is no text.
MARKUP = re.compile(r"\*\*|__|\*|`|<[^>]*>|\n")
STYLE = re.compile(r"<style\b.*?</style>", re.DOTALL)
# The pages checked for English words left (with the Import page), as in the browser: the
# Codebook page shows the codebook's own field names ("theme") as its table's columns.
ENGLISH_CHECKED = ("overview", "regions", "languages", "themes", "timeline", "responses")


def elements(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from elements(child)


def shown_texts(at: AppTest, lang: str) -> list[str]:
    """Every text the app writes on a page (AppTest's tree, sidebar included), data and charts
    aside: titles, markdown, captions, alerts and HTML (split at their markup), labels,
    placeholders, the options a select box or multiselect shows chosen and a radio shows all of,
    metrics' labels, expanders' and tabs' labels, and the column names of tables. Folded
    expanders' contents and help texts are included: the browser (tests/test_browser_languages.py)
    sees what is unfolded, and Streamlit's own words, which only it sees. The options chosen are
    found by the page's own formatting of them, run here in its language."""
    texts: list[str] = []

    def add(text: object) -> None:
        texts.extend(part.strip() for part in MARKUP.split(STYLE.sub("", str(text))))

    for node in (*elements(at.main), *elements(at.sidebar)):
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if kind in ("Dataframe", "Table"):
            texts.extend(str(column) for column in node.value.columns)
            continue
        if kind == "PlotlyChart" or proto is None:
            continue
        if kind == "Metric":
            add(proto.label)
            continue
        for field in ("label", "body", "help"):
            if field in proto.DESCRIPTOR.fields_by_name:
                add(getattr(proto, field))
        if kind == "Radio":
            texts.extend(proto.options)
        elif kind in ("Selectbox", "Multiselect"):
            with i18n.using(lang):
                chosen = node.indices if kind == "Multiselect" else [node.index]
            texts.extend(proto.options[index] for index in chosen if index is not None)
        if "placeholder" in proto.DESCRIPTOR.fields_by_name and not getattr(node, "value", None):
            add(proto.placeholder)
    return [text for text in texts if text]


def english_in(at: AppTest, lang: str) -> list[str]:
    """The English interface words (whole) and Streamlit's own that a page in `lang` shows."""
    english = interface_english(lang)
    return sorted(
        {text for text in shown_texts(at, lang) if text in english or STREAMLIT_WORDS.search(text)}
    )


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_each_translated_language(open_in, lang: str, page: str) -> None:
    """Each page in the language: its title, the sidebar's words, no English interface word
    left (the browser checks this in Arabic and Chinese, and Streamlit's own words), laid out
    left to right unless in Arabic."""
    at = open_in(lang, page)
    with i18n.using(lang):
        assert at.title[0].value == i18n._(page.capitalize())
        assert at.title[0].value != page.capitalize()
        # The sidebar's own words too: its heading and the language selector's.
        assert at.sidebar.header[0].value == i18n._("Filters")
    assert at.selectbox(key="lang").value == lang
    assert not at.error
    if page in ENGLISH_CHECKED:
        assert english_in(at, lang) == [], page
    css = " ".join(str(element.proto) for element in at.get("html"))
    assert ("direction: rtl" in css) == (lang == "ar")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_import_page_has_no_english_left_in_each_translated_language(open_in, lang) -> None:
    at = open_in(lang, "import_data")
    with i18n.using(lang):
        assert at.title[0].value == i18n._("Import")
    assert english_in(at, lang) == []


def test_english_left_on_a_page_is_found_by_apptest(open_in) -> None:
    """The check above can fail: on the English Import page it finds the interface's words
    (the title, the uploader's label, the history's heading, the sidebar's heading) and a
    picker's placeholder."""
    found = english_in(open_in("en", "import_data"), "fr")
    assert {"Import", "Import history", "Filters", "Exports to import"} <= set(found), found
    assert "Choose options" in found, found


@pytest.mark.skipif(
    not i18n.catalogue_path("fr").exists(), reason="the French catalogue is not there yet"
)
def test_the_overview_in_french_writes_numbers_the_french_way(open_in) -> None:
    at = open_in("fr")
    assert at.title[0].value == "Vue d'ensemble"
    respondents = next(m.value for m in at.metric if m.label == "Répondants")
    assert respondents == f"3{NARROW_NO_BREAK_SPACE}000"
    assert at.selectbox(key="lang").value == "fr"


def test_arabic_pages_are_laid_out_right_to_left(open_in) -> None:
    at = open_in("ar")
    css = " ".join(str(element.proto) for element in at.get("html"))
    assert "direction: rtl" in css
    english = open_in("en")
    assert "direction: rtl" not in " ".join(str(e.proto) for e in english.get("html"))


# ---- links, downloads, charts and the command line in the language -------------------------------


def test_filters_are_kept_in_the_address_by_id_and_old_label_links_still_work(open_in) -> None:
    """`?country=Denmark` (a link made before ids) selects Denmark, and the address then holds
    its ISO code, which reads the same in every language."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["country"] = "Denmark"
    at.query_params["language"] = "French (fr)"
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, at.exception
    assert at.multiselect(key="country").value == ["DNK"]
    assert at.multiselect(key="language").value == ["fr"]
    # Shown in French, kept by id.
    assert "Danemark" in at.multiselect(key="country").options
    address = {key: at.query_params[key] for key in ("country", "language", "lang")}
    assert {k: [v] if isinstance(v, str) else list(v) for k, v in address.items()} == {
        "country": ["DNK"],
        "language": ["fr"],
        "lang": ["fr"],
    }


def test_a_download_is_made_in_the_language_of_the_page_it_was_asked_from(monkeypatch) -> None:
    """Files are made when clicked, outside the page's run: the language goes with them, and
    the audit log records the filters in English."""
    from dashboard.web import ui

    recorded = []
    monkeypatch.setattr(ui.data, "audit", lambda *args: recorded.append(args))
    view = ui.View(consultation=_sample_consultation(), filters=ui.Filters(regions=("Europe",)),
                   version=())  # fmt: skip
    made = ui._logged(view, "download", "f.csv", lambda: i18n._("Respondents").encode(), "fr")
    assert made.decode() == "Répondants"
    assert recorded[0][3]["filters"] == "region: Europe"
    assert i18n.current() == "en"


def _sample_consultation():
    from dashboard.definition.consultation import load_consultation

    return load_consultation(ROOT / "sample_data" / "civic-space-2020.toml")


def test_charts_in_arabic_read_from_the_right() -> None:
    import pandas as pd

    from dashboard.publish import charts

    frame = pd.DataFrame({"region": ["Africa", "Asia"], "respondents": [30, 20]})
    with i18n.using("ar"):
        fig = charts.bar_chart(frame, "region", "respondents", title="t", value_label="v")
        printed = style.printed(fig, subtitle="s", source=["line"])
    assert fig.layout.yaxis.side == "right"
    assert fig.layout.xaxis.range[0] > fig.layout.xaxis.range[1]  # bars grow leftwards
    assert fig.layout.title.xanchor == "right"
    assert all(name.startswith(style.RIGHT_TO_LEFT_ISOLATE) for name in fig.data[0].y)
    assert printed.layout.margin.r > printed.layout.margin.l  # room for the names, on the right
    english = charts.bar_chart(frame, "region", "respondents", title="t", value_label="v")
    assert english.layout.yaxis.side != "right" and list(english.data[0].y) == ["Africa", "Asia"]


def test_the_command_line_prints_the_summary_in_the_language_asked(sample_copy: Path) -> None:
    from tests.test_cli_hardening import run_cli

    result = run_cli(
        "summary", "--consultation", "civic-space-2020", "--db", str(sample_copy), "--text",
        "--lang", "es",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Encuestados: 3.000" in result.stdout
    assert "Respecto del período de consulta" in result.stdout
    assert "  África: " in result.stdout
    json_result = run_cli("summary", "--consultation", "civic-space-2020", "--db", str(sample_copy))
    assert json_result.stdout.startswith("{")


def test_the_report_pack_is_written_in_the_language_asked(sample_copy: Path, tmp_path) -> None:
    """The pack's words (its note and tables) in French; its chart images are drawn blank:
    charts drawn in every script are test_print_style's."""
    from dashboard import cli
    from dashboard.store import database
    from tests.conftest import blank_chart_images

    out = tmp_path / "pack"
    with blank_chart_images():
        status = cli.main([
            "export", "--consultation", "civic-space-2020", "--db", str(sample_copy), "--out",
            str(out), "--lang", "fr", "--region", "Europe",
        ])  # fmt: skip
    assert status == 0
    note = (out / "methodology.md").read_text(encoding="utf-8")
    assert note.startswith("# Méthodologie\u00a0: ")
    assert "Filtres appliqués" in note and "région\u00a0: Europe" in note
    table = (out / "tables" / "respondents-by-region.csv").read_text(encoding="utf-8-sig")
    assert table.startswith("Région (M49),Répondants,Réponses")
    assert "Europe" in table
    con = database.connect(sample_copy)
    try:
        log = con.execute("SELECT details FROM audit_log WHERE action = 'export'").fetchall()
    finally:
        con.close()
    assert any("region: Europe" in str(details) for (details,) in log)


# ---- filter values and date axes in the language ------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "region: Europe; country: Austria; language: French; theme: Partnership and "
               "participation"),
        ("fr", "région\u00a0: Europe; pays\u00a0: Autriche; langue\u00a0: Français; "
               "thème\u00a0: Partenariat et participation"),
        ("es", "región: Europa; país: Austria; idioma: Francés; tema: Alianzas y participación"),
        ("ru", "регион: Европа; страна: Австрия; язык: Французский; тема: Партнерство и участие"),
        ("ar", "المنطقة: \u2068أوروبا\u2069; البلد: \u2068النمسا\u2069; "
               "اللغة: \u2068الفرنسية\u2069; الموضوع: \u2068الشراكة والمشاركة\u2069"),
        ("zh", "区域：欧洲; 国家：奥地利; 语言：法语; 主题：伙伴关系与参与"),
    ],
)  # fmt: skip
def test_filter_values_are_named_in_the_language(lang: str, expected: str) -> None:
    from dashboard.publish.catalogue import Context
    from dashboard.store.queries import Filters

    filters = Filters(
        regions=("Europe",), countries=("AUT",), languages=("fr",), themes=("partnership",)
    )
    context = Context(_sample_consultation(), filters)
    with i18n.using(lang):
        assert context.filter_text() == expected
        # The audit log's form: ids, whatever the language.
        with i18n.using("en"):
            ids = context.filter_text(named=False)
    assert ids == "region: Europe; country: AUT; language: fr; theme: partnership"


# Two weeks: a tick every other day, seven in all.
DAYS = range(13, 26, 2)


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("en", [f"Jan {d}" for d in DAYS]),
        ("fr", [f"{d} janv." for d in DAYS]),
        ("es", [f"{d} ene" for d in DAYS]),
        ("ru", [f"{d} янв." for d in DAYS]),
        ("ar", [f"{d} يناير" for d in DAYS]),
        ("zh", [f"1月{d}日" for d in DAYS]),
    ],
)
def test_date_ticks_name_the_months_as_the_language_does(lang: str, labels: list[str]) -> None:
    from dashboard.publish import charts

    with i18n.using(lang):
        ticks, texts = charts.date_ticks(datetime(2020, 1, 12, 20), datetime(2020, 1, 26, 6))
    assert texts == labels
    # Left to right in time, in every language (Arabic too): ticks only grow.
    assert ticks == sorted(ticks) and ticks[0] == datetime(2020, 1, 13)


def test_date_ticks_for_hours_and_for_long_spans() -> None:
    from dashboard.publish import charts

    with i18n.using("fr"):
        _ticks, texts = charts.date_ticks(
            datetime(2020, 1, 13, 7), datetime(2020, 1, 14, 20), with_hours=True
        )
        assert texts[:3] == ["12:00<br>13 janv.", "18:00", "00:00<br>14 janv."]
        _ticks, months = charts.date_ticks(datetime(2019, 11, 20), datetime(2020, 3, 2))
        assert months == ["déc. 2019", "janv. 2020", "févr. 2020", "mars 2020"]
        # A day's label under the middle of its bar (noon), when the chart draws bars.
        middles, _texts = charts.date_ticks(
            datetime(2020, 1, 13), datetime(2020, 1, 15), middle=True
        )
        assert middles[0] == datetime(2020, 1, 13, 12)


def test_a_timeline_in_russian_labels_its_days_in_russian() -> None:
    import pandas as pd

    from dashboard.publish import charts

    frame = pd.DataFrame(
        {
            "bin_start": pd.date_range("2020-01-13", periods=12, freq="D"),
            "series": "All",
            "responses": range(10, 22),
        }
    )
    window = {"opens": datetime(2020, 1, 13, 9), "closes": datetime(2020, 1, 24, 18)}
    with i18n.using("ru"):
        fig = charts.timeline(frame, title="t", zone_label="UTC", **window)
    assert fig.layout.xaxis.ticktext[:2] == ("13 янв.", "15 янв.")
    assert fig.layout.xaxis.ticklabelmode == "instant"
    assert pd.Timestamp(fig.layout.xaxis.tickvals[0]) == pd.Timestamp("2020-01-13 12:00")
    english = charts.timeline(frame, title="t", zone_label="UTC", **window)
    assert english.layout.xaxis.ticktext is None  # Plotly's own English dates


@pytest.mark.parametrize(
    ("lang", "day", "count"),
    [
        ("en", "13 Jan 2020", "3,000"),
        ("fr", "13 janv. 2020", f"3{NARROW_NO_BREAK_SPACE}000"),
        ("es", "13 ene 2020", "3.000"),
        ("ru", f"13 янв. 2020{NARROW_NO_BREAK_SPACE}г.", "3\u00a0000"),
        ("zh", "2020年1月13日", "3,000"),
    ],
)
def test_hover_labels_write_dates_and_counts_as_the_language_does(
    lang: str, day: str, count: str
) -> None:
    """Plotly's `%{x}` wrote hover dates as ISO (or English months): the hover shows the
    day as babel writes it, and the count with the language's separators."""
    import pandas as pd

    from dashboard.publish import charts

    frame = pd.DataFrame(
        {
            "bin_start": pd.date_range("2020-01-13", periods=3, freq="D"),
            "series": "All",
            "responses": [3000, 20, 30],
        }
    )
    window = {"opens": datetime(2020, 1, 13, 9), "closes": datetime(2020, 1, 15, 18)}
    totals = frame.rename(columns={"responses": "respondents"})
    with i18n.using(lang):
        bars = charts.timeline(frame, title="t", zone_label="UTC", **window)
        lines = charts.series_lines(frame, title="t", zone_label="UTC", order=["All"], **window)
        running = charts.cumulative(totals, title="t", zone_label="UTC", **window)
    for fig in (bars, lines, running):
        trace = next(t for t in fig.data if t.customdata is not None)
        assert tuple(trace.customdata[0]) == (day, count), fig.data[0].type
        assert trace.hovertemplate.startswith("%{customdata[0]}: ")
        assert "%{x" not in trace.hovertemplate and "%{y" not in trace.hovertemplate


def test_hourly_hover_labels_give_the_time_of_day() -> None:
    import pandas as pd

    from dashboard.publish import charts

    frame = pd.DataFrame(
        {
            "bin_start": pd.date_range("2020-01-13 09:00", periods=3, freq="h"),
            "series": "All",
            "responses": [10, 20, 30],
        }
    )
    window = {"opens": datetime(2020, 1, 13, 9), "closes": datetime(2020, 1, 13, 18)}
    with i18n.using("fr"):
        fig = charts.timeline(frame, title="t", zone_label="UTC", bin_label="hour", **window)
    assert [row[0] for row in fig.data[0].customdata] == [
        "13 janv. 2020 09:00",
        "13 janv. 2020 10:00",
        "13 janv. 2020 11:00",
    ]


@pytest.mark.parametrize(("lang", "europe"), [("fr", "Europe"), ("ru", "Европа")])
def test_a_pages_caption_names_the_filtered_region_in_its_language(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str, europe: str
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(sample_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["region"] = "Europe"
    at.run()
    assert not at.exception, at.exception
    with i18n.using(lang):
        region = i18n._("region")
    captions = [c.value for c in at.caption]
    assert any(f"{region}\u00a0: {europe}" in c or f"{region}: {europe}" in c for c in captions), (
        captions
    )


def test_a_date_axis_in_french_names_january(open_in) -> None:
    import json

    at = open_in("fr", "timeline")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    ticks = [t for s in specs for t in s["layout"].get("xaxis", {}).get("ticktext", [])]
    assert any(t.startswith("13 janv.") for t in ticks), ticks
    assert not any("Jan" in t for t in ticks), ticks  # no English month left
