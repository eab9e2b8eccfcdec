"""The answer's own language (issue 17, item 3): detected offline at import, stored with the
response, counted in the import report, a filter and a breakdown, shown on the Responses cards
where it differs from the declared language, and measured on a labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from benchmarks import language_detection
from dashboard import cli
from dashboard.importer import import_file
from dashboard.store import answer_language, database, queries
from dashboard.store.queries import Filters
from dashboard.store.summary import summary
from tests.test_pages import APP, CONSULTATION, metric, number

SENTENCES = {
    "en": "Civil society organisations should be consulted before every decision is made.",
    "fr": "Les organisations de la société civile doivent être consultées avant chaque décision.",
    "es": "Las organizaciones de la sociedad civil deben ser consultadas antes de cada decisión.",
    "ar": "يجب استشارة منظمات المجتمع المدني قبل اتخاذ أي قرار.",
    "zh": "在做出每一项决定之前，都应当征求民间社会组织的意见和建议。",
    "ru": "С организациями гражданского общества следует консультироваться перед каждым решением.",
}


def test_each_un_language_is_detected() -> None:
    texts = list(SENTENCES.values())
    assert answer_language.detect(texts) == list(SENTENCES)


@pytest.mark.parametrize("text", ["OK", "Да.", "Sí, de acuerdo.", "同意", "   merci   ", ""])
def test_a_short_answer_gets_no_language(text: str) -> None:
    assert len(text.strip()) < answer_language.MIN_LENGTH
    assert answer_language.detect([text]) == [None]


def test_an_answer_in_no_clear_language_gets_none() -> None:
    # Digits and symbols only: long enough, but no language is ahead of the others.
    assert answer_language.detect(["2020 - 2021 / 2022 - 2023 :: 100 %"]) == [None]


def test_the_series_detects_each_distinct_text_once_and_keeps_missing_values() -> None:
    values = pd.Series(
        [SENTENCES["fr"], None, SENTENCES["fr"], "ok", SENTENCES["ru"]], index=[5, 6, 7, 8, 9]
    )
    found = answer_language.detect_series(values)
    assert list(found.index) == [5, 6, 7, 8, 9]
    assert found.tolist() == ["fr", None, "fr", None, "ru"]


@pytest.mark.parametrize("batch", [1, 2, 5])
def test_texts_read_in_batches_get_what_they_get_read_all_at_once(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches that split the texts anywhere (between languages, around an undetectable one):
    # each text keeps its place and its language.
    texts = [*SENTENCES.values(), "2020 - 2021 / 2022 - 2023 :: 100 %", "OK", SENTENCES["es"]]
    all_at_once = answer_language.detect(texts)
    monkeypatch.setattr(answer_language, "BATCH", batch)
    assert answer_language.detect(texts) == all_at_once
    assert all_at_once == [*SENTENCES, None, None, "es"]


def test_the_detector_reports_its_progress_after_each_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Seven distinct texts long enough to read (the repeated and the short one are not).
    texts = [*SENTENCES.values(), SENTENCES["fr"], "OK", "Hola, " + SENTENCES["es"]]
    monkeypatch.setattr(answer_language, "BATCH", 3)
    shares: list[float] = []
    found = answer_language.detect_series(pd.Series(texts), on_progress=shares.append)
    assert shares == [3 / 7, 6 / 7, 1.0]
    assert found.tolist() == [*SENTENCES, "fr", None, "es"]


def test_the_import_moves_its_bar_while_the_languages_are_detected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bar does not stand still while the import waits for the detector (most of a minute
    at a million answers): it moves as the detector reports, from where detection starts."""
    import threading

    from dashboard.definition.consultation import load_consultation
    from dashboard.importer import pipeline
    from tests.conftest import SAMPLE_DIR

    label, start = "Detecting the answers' languages", pipeline.DETECTION_FROM
    drawn = threading.Event()  # the import's thread moved the bar past the start

    def slow_detection(values: pd.Series, on_progress=None) -> pd.Series:
        on_progress(0.5)
        # The detector goes on only once the bar has moved: it waits for the import's thread.
        assert drawn.wait(60), "the bar did not move while the detector was half way"
        on_progress(1.0)
        return pd.Series(None, index=values.index, dtype=object)

    steps: list[tuple[str, float]] = []

    def step(text: str, share: float) -> None:
        steps.append((text, share))
        if text == label and share > start:
            drawn.set()

    monkeypatch.setattr(answer_language, "detect_series", slow_detection)
    consultation = load_consultation(SAMPLE_DIR / "civic-space-2020.toml")
    pipeline.prepare(_mixed_export_bytes(), "mixed.csv", consultation, on_step=step)
    detecting = [share for text, share in steps if text == label]
    assert detecting[0] == start
    # The half, drawn once however many times the import looked; never backwards.
    assert detecting[1] == start + (1 - start) * 0.95 * 0.5
    assert detecting == sorted(set(detecting)) and max(detecting) < 1
    assert steps[-1] == ("Checked", 1.0)


# Twelve respondents who declared English and answered in Spanish (one answer too short to
# tell), and three who declared English and answered in English: added to the sample.
HEADER = "Respondent ID,Submitted at,Country,Language,Stakeholder type,Q1,Q2"
SPANISH = (
    "Pedimos que las consultas se anuncien con más antelación y en varios idiomas.",
    "Las defensoras de derechos humanos necesitan canales seguros para denunciar amenazas.",
    "Es fundamental que la financiación llegue a las organizaciones locales pequeñas.",
)


def _mixed_export(path: Path) -> Path:
    path.write_bytes(_mixed_export_bytes())
    return path


def _mixed_export_bytes() -> bytes:
    lines = [HEADER]
    for n in range(12):
        answer = SPANISH[n % 3] + f" Respuesta número {n + 1}."
        lines.append(f"MX-{n:03d},2020-02-10T10:00:00Z,Mexico,en,NGO,{answer},Sí.")
    for n in range(3):
        english = f"We ask that consultations be announced much earlier (case {n + 1})."
        lines.append(f"GB-{n:03d},2020-02-10T10:00:00Z,United Kingdom,en,NGO,{english},")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def mixed_store(sample_copy: Path, tmp_path: Path) -> tuple[Path, object]:
    con = database.connect(sample_copy)
    try:
        consultation = database.get_consultation(con, CONSULTATION)
        report = import_file(con, _mixed_export(tmp_path / "mixed.csv"), consultation)
    finally:
        con.close()
    return sample_copy, report


def test_the_import_stores_each_answers_language_and_reports_the_counts(mixed_store) -> None:
    db, report = mixed_store
    assert report.responses == 27  # 12 x 2 answers, and 3 in English
    assert report.answers_language_detected == 15  # the twelve "Sí." are too short
    assert report.answers_language_differs == 12
    findings = report.findings()
    row = findings[findings["finding"].str.startswith("answer written in another language")]
    assert row["rows"].tolist() == [12]
    con = database.connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT respondent_id, question_id, answer_language FROM responses "
            "WHERE respondent_id LIKE 'MX-%' OR respondent_id LIKE 'GB-%'"
        ).fetchall()
    finally:
        con.close()
    languages = {(r[0][:2], r[1]): set() for r in rows}
    for respondent, question, language in rows:
        languages[(respondent[:2], question)].add(language)
    assert languages == {("MX", "q1"): {"es"}, ("MX", "q2"): {None}, ("GB", "q1"): {"en"}}


def test_the_answer_language_filter_changes_the_figures(mixed_store) -> None:
    db, _report = mixed_store
    con = database.connect(db)
    try:
        everything = summary(con, CONSULTATION, Filters())
        spanish = summary(con, CONSULTATION, Filters(answer_languages=("es",)))
        declared_en = Filters(languages=("en",))
        english_in_spanish = summary(
            con, CONSULTATION, Filters(languages=("en",), answer_languages=("es",))
        )
        undetected = summary(con, CONSULTATION, Filters(answer_languages=("und",)))
        sample_es = con.execute(
            "SELECT count(*), count(DISTINCT respondent_id) FROM responses "
            "WHERE answer_language = 'es'"
        ).fetchone()
        assert summary(con, CONSULTATION, declared_en)["responses"] > 0
        # The same figures through the query layer: never the cube, which has no answers.
        filters = Filters(answer_languages=("es",))
        assert queries.precomputed_name(con, "totals", filters.params(CONSULTATION)) == "totals"
    finally:
        con.close()
    assert (spanish["responses"], spanish["respondents"]) == sample_es
    assert spanish["responses"] < everything["responses"]
    # The sample's Spanish answers come from respondents who declared Spanish: only the
    # twelve added here declared English and answered in Spanish.
    assert (english_in_spanish["respondents"], english_in_spanish["responses"]) == (12, 12)
    assert undetected["responses"] >= 12  # at least the twelve "Sí."


def test_the_cli_filters_on_the_answers_language_as_the_pages_do(
    mixed_store, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _report = mixed_store
    capsys.readouterr()
    argv = ["summary", "--consultation", CONSULTATION, "--json", "--db", str(db)]
    assert cli.main([*argv, "--language", "en", "--answer-language", "es"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["respondents"], figures["responses"]) == (12, 12)
    _consultation, segment = cli.parse_segment("language=en;answer-language=es")
    assert segment.answer_languages == ("es",) and segment.languages == ("en",)


def _open(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, **query) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.toggle(key="exact").set_value(True).run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_the_sidebar_filter_narrows_every_figure(mixed_store, monkeypatch) -> None:
    db, _report = mixed_store
    con = database.connect(db, read_only=True)
    try:
        expected = summary(con, CONSULTATION, Filters(answer_languages=("es",)))
    finally:
        con.close()
    at = _open(db, monkeypatch, "overview", **{"answer-language": "es"})
    assert at.multiselect(key="answer-language").value == ["es"]
    assert number(metric(at, "Respondents")) == expected["respondents"]
    assert number(metric(at, "Responses")) == expected["responses"]


def test_the_languages_page_breaks_down_declared_by_answer_language(
    mixed_store, monkeypatch
) -> None:
    db, _report = mixed_store
    at = _open(db, monkeypatch, "languages")
    table = next(
        t.value
        for t in [*at.table, *at.dataframe]
        if "answer_language" in t.value.columns or "Language of the answer" in t.value.columns
    )
    column = "Language of the answer" if "Language of the answer" in table else "answer_language"
    declared = "Language" if "Language" in table else "language"
    english_spanish = table[(table[declared] == "English (en)") & (table[column] == "Spanish (es)")]
    assert len(english_spanish) == 1
    row = english_spanish.iloc[0]
    responses = "Responses" if "Responses" in table else "responses"
    respondents = "Respondents" if "Respondents" in table else "respondents"
    assert (int(str(row[respondents])), int(str(row[responses]))) == (12, 12)


def test_a_responses_card_shows_both_languages_where_they_differ(mixed_store, monkeypatch) -> None:
    db, _report = mixed_store
    at = _open(db, monkeypatch, "responses", **{"answer-language": "es", "language": "en"})
    cards = [c.value for c in at.caption]
    both = [
        c for c in cards if "English (en) (declared) · Spanish (es) (the answer's language)" in c
    ]
    assert len(both) == 12
    # An answer in its declared language names that language once.
    at = _open(db, monkeypatch, "responses", **{"answer-language": "fr"})
    cards = [c.value for c in at.caption if "French (fr)" in c.value]
    assert cards and not any("(declared)" in c for c in cards)


def test_accuracy_on_the_samples_labelled_answers() -> None:
    labelled = language_detection.labelled_set(realdata=None)
    counts = labelled["language"].value_counts()
    assert set(counts.index) == {"ar", "zh", "en", "fr", "ru", "es"}
    assert (counts >= 100).all() and len(labelled) >= 600
    assert (labelled["text"].str.strip().str.len() >= answer_language.MIN_LENGTH).all()
    result = language_detection.detected(labelled)
    assert language_detection.accuracy(result) >= 0.95
    for _language, group in result.groupby("language"):
        assert language_detection.accuracy(group) >= 0.95


@pytest.mark.realdata
def test_accuracy_on_the_real_exports(realdata: Path) -> None:
    labelled = language_detection.labelled_set(realdata)
    real = labelled[labelled["source"] != "sample"]
    assert set(real["language"]) == {"en", "fr", "zh"} and len(real) >= 250
    result = language_detection.detected(labelled)
    assert language_detection.accuracy(result) >= 0.95
    assert language_detection.accuracy(result[result["source"] != "sample"]) >= 0.95


def test_a_store_made_before_the_column_is_detected_when_opened(sample_copy: Path) -> None:
    con = database.connect(sample_copy)
    try:
        expected = con.execute(
            "SELECT answer_language, count(*) FROM responses GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        # As an older store has it: the column empty, the facts without it, no version.
        con.execute("UPDATE responses SET answer_language = NULL")
        con.execute("UPDATE response_facts SET answer_language = NULL")
        con.execute("DELETE FROM derived_versions WHERE name = 'answer_language'")
    finally:
        con.close()
    con = database.connect(sample_copy)
    try:
        again = con.execute(
            "SELECT answer_language, count(*) FROM responses GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        facts = con.execute(
            "SELECT count(*) FROM response_facts WHERE answer_language IS NULL"
        ).fetchone()[0]
        spanish = summary(con, CONSULTATION, Filters(answer_languages=("es",)))["responses"]
    finally:
        con.close()
    assert again == expected and facts == 0
    assert spanish == dict(expected)["es"]
