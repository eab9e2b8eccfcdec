"""Codes on answers in the store: automatic tags, analysts' tags, re-tagging, undo, review."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import cli
from dashboard.coding import tagging
from dashboard.coding.codebook import Tagger, codebook_from_dict, load_codebook
from dashboard.importer import import_file, load_mapping, undo_import
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from dashboard.store.summary import summary
from tests.conftest import ROOT, store_snapshot

CONSULTATION = "civic-space-2020"
SAMPLE_DIR = ROOT / "sample_data"


@pytest.fixture
def con(sample_copy: Path):
    connection = database.connect(sample_copy)
    yield connection
    connection.close()


TAG_FIELDS = ("import_id", "source_row", "question_id", "code_id", "source")


def tags(con, **where) -> set[tuple]:
    """The codes on answers, as (import, row, question, code, source), where fields equal."""
    rows = con.execute(
        "SELECT import_id, source_row, question_id, code_id, source FROM response_codes"
    ).fetchall()
    return {
        row
        for row in rows
        if all(row[TAG_FIELDS.index(field)] == value for field, value in where.items())
    }


def test_every_answer_carries_exactly_the_codes_its_keywords_find(con) -> None:
    consultation = database.get_consultation(con, CONSULTATION)
    tagger = Tagger(tagging.get_codebook(con, consultation.id))
    answers = con.execute(
        "SELECT import_id, source_row, question_id, answer FROM responses"
    ).fetchall()
    expected = {(i, row, q, code) for i, row, q, text in answers for code in tagger.tag(text)}
    stored = {t[:4] for t in tags(con)}
    assert stored == expected
    assert len(expected) > 10_000


def _an_answer(con, without: str) -> tuple[int, int, str]:
    """Some answer that does not carry the code `without`."""
    return con.execute(
        "SELECT import_id, source_row, question_id FROM responses AS a WHERE NOT EXISTS ("
        " SELECT 1 FROM response_codes AS t WHERE t.import_id = a.import_id"
        " AND t.source_row = a.source_row AND t.question_id = a.question_id"
        " AND t.code_id = $code) ORDER BY import_id, source_row, question_id LIMIT 1",
        {"code": without},
    ).fetchone()


def _a_tagged_answer(con, code: str) -> tuple[int, int, str]:
    return con.execute(
        "SELECT import_id, source_row, question_id FROM response_codes WHERE code_id = $code"
        " ORDER BY import_id DESC, source_row, question_id LIMIT 1",
        {"code": code},
    ).fetchone()


def test_an_analysts_tag_counts_at_once_and_is_logged(con) -> None:
    before = summary(con, CONSULTATION, Filters(codes=("gender",)))["responses"]
    answer = _an_answer(con, without="gender")
    tagging.set_code(con, CONSULTATION, answer, "gender", True, "ana@un.org")
    after = summary(con, CONSULTATION, Filters(codes=("gender",)))["responses"]
    assert after == before + 1
    assert (*answer, "gender", "analyst") in tags(con)
    logged = con.execute(
        "SELECT who, action, details->>'code' FROM audit_log WHERE action LIKE 'tag%'"
    ).fetchall()
    assert logged == [("ana@un.org", "tag_added", "gender")]


def test_an_analyst_removes_a_keyword_tag(con) -> None:
    answer = _a_tagged_answer(con, "funding")
    tagging.set_code(con, CONSULTATION, answer, "funding", False, "ana")
    assert not tags(con, import_id=answer[0], source_row=answer[1], question_id=answer[2],
                    code_id="funding")  # fmt: skip


def test_analysts_decisions_survive_retagging_with_a_new_codebook(con) -> None:
    consultation = database.get_consultation(con, CONSULTATION)
    added = _an_answer(con, without="gender")
    removed = _a_tagged_answer(con, "funding")
    tagging.set_code(con, CONSULTATION, added, "gender", True, "ana")
    tagging.set_code(con, CONSULTATION, removed, "funding", False, "ana")
    codebook = load_codebook(SAMPLE_DIR / "civic-space-2020.codebook.toml", consultation)
    tagging.save_codebook(con, consultation, codebook, "ana")
    assert (*added, "gender", "analyst") in tags(con)
    assert not tags(con, import_id=removed[0], source_row=removed[1], question_id=removed[2],
                    code_id="funding")  # fmt: skip


def test_a_smaller_codebook_retags_every_answer(con) -> None:
    consultation = database.get_consultation(con, CONSULTATION)
    answer = _an_answer(con, without="gender")
    tagging.set_code(con, CONSULTATION, answer, "gender", True, "ana")
    only_funding = codebook_from_dict(
        {"codes": [{"id": "funding", "label": {"en": "Funding"}, "keywords": ["fund*"]}]},
        consultation,
    )
    tagging.save_codebook(con, consultation, only_funding, "ana")
    codes = {t[3] for t in tags(con)}
    assert codes == {"funding"}  # the analyst's gender tag waits for gender to come back
    by_code = queries.frame(con, "by_code", Filters().params(CONSULTATION))
    assert by_code["code_id"].tolist() == ["funding", "(none)"]
    english = con.execute(
        "SELECT count(*) FROM responses WHERE regexp_matches(answer, '(?i)\\bfund')"
    ).fetchone()[0]
    assert by_code["responses"].iloc[0] == english


def test_analysts_tags_outlive_undo_and_reimport_of_the_same_file(con) -> None:
    consultation = database.get_consultation(con, CONSULTATION)
    imports = queries.frame(con, "store/imports", {"consultation": CONSULTATION})
    french = imports[imports["file_name"] == "reponses_fr.csv"]["import_id"].iloc[0]
    answer = con.execute(
        "SELECT import_id, source_row, question_id FROM responses WHERE import_id = $i"
        " ORDER BY source_row LIMIT 1",
        {"i": int(french)},
    ).fetchone()
    tagging.set_code(con, CONSULTATION, answer, "gender", True, "ana")
    undo_import(con, CONSULTATION, int(french))
    assert not tags(con, import_id=int(french))
    mapping = load_mapping(SAMPLE_DIR / "reponses_fr.mapping.toml")
    again = import_file(con, SAMPLE_DIR / "reponses_fr.csv", consultation, mapping)
    assert again.import_id != french
    assert (again.import_id, answer[1], answer[2], "gender", "analyst") in tags(con)


def test_undoing_a_change_puts_back_exactly_what_was_before(con) -> None:
    keyword = con.execute(
        "SELECT import_id, source_row, question_id, code_id, matched FROM response_codes "
        "WHERE source = 'keyword' ORDER BY ALL LIMIT 1"
    ).fetchone()
    answer, code_id = keyword[:3], keyword[3]
    before = tags(con)
    previous = tagging.set_code(con, CONSULTATION, answer, code_id, False, "ana")
    assert previous is None and (*answer, code_id, "keyword") not in tags(con)
    tagging.restore_code(con, CONSULTATION, answer, code_id, previous, "ana")
    assert tags(con) == before  # the keyword's tag is back, with its keyword
    matched = con.execute(
        "SELECT matched FROM response_codes WHERE import_id = $i AND source_row = $r "
        "AND question_id = $q AND code_id = $c",
        dict(zip("irqc", keyword[:4], strict=True)),
    ).fetchone()[0]
    assert matched == keyword[4]
    assert con.execute("SELECT count(*) FROM tag_edits").fetchone()[0] == 0
    # Undoing a second decision puts the first one back, with its author and time.
    tagging.set_code(con, CONSULTATION, answer, code_id, False, "ana")
    first = con.execute("SELECT applied, edited_by, edited_at FROM tag_edits").fetchone()
    previous = tagging.set_code(con, CONSULTATION, answer, code_id, True, "bob")
    assert previous == first
    tagging.restore_code(con, CONSULTATION, answer, code_id, previous, "bob")
    assert con.execute("SELECT applied, edited_by, edited_at FROM tag_edits").fetchone() == first
    assert (*answer, code_id, "analyst") not in tags(con)
    facts = con.execute(
        "SELECT codes FROM response_facts WHERE import_id = $i AND source_row = $r "
        "AND question_id = $q",
        dict(zip("irq", answer, strict=True)),
    ).fetchone()[0]
    assert code_id not in facts
    undone = con.execute("SELECT count(*) FROM audit_log WHERE action = 'tag_undone'")
    assert undone.fetchone()[0] == 2


def test_judgements_give_precision_per_code(con) -> None:
    filters = Filters(codes=("funding",)).params(CONSULTATION)
    params = {
        **filters,
        "coder": "ana",
        "kind": "tagged",
        "second": False,
        "seed": 3,
        "size": 4,
        "k": 1,
    }
    drawn = queries.frame(con, "tag_review_sample", params)
    assert len(drawn) == 4 and set(drawn["code_id"]) == {"funding"}
    assert queries.frame(con, "tag_review_sample", params).equals(drawn)  # same seed, same draw
    for row, correct in zip(drawn.itertuples(), (True, True, True, False), strict=True):
        answer = (row.import_id, row.source_row, row.question_id)
        tagging.judge(con, CONSULTATION, answer, row.code_id, row.matched, correct, "ana")
    counts = queries.frame(con, "tag_precision", Filters().params(CONSULTATION))
    precision = counts.groupby("code_id")[["judged", "correct"]].sum()
    assert tuple(precision.loc["funding"]) == (4, 3)
    assert precision.loc["gender", "judged"] == 0

    def keys(frame):
        columns = ("import_id", "source_row", "question_id", "code_id")
        return set(zip(*(frame[c] for c in columns), strict=True))

    redrawn = queries.frame(con, "tag_review_sample", params)
    assert len(redrawn) == 4 and not keys(redrawn) & keys(drawn)  # judged tags are not drawn


def test_a_refused_codebook_leaves_the_store_as_it_was(sample_copy: Path, tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[codes]]\nid = "x"\nlabel.en = "X"\ntheme = "nowhere"\n', encoding="utf-8")
    before = store_snapshot(sample_copy)
    code = cli.main(["codebook", "set", "--consultation", CONSULTATION, "--db",
                     str(sample_copy), str(bad)])  # fmt: skip
    assert code == 1
    assert store_snapshot(sample_copy) == before


def test_cli_sets_and_shows_a_codebook(sample_copy: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "codes.toml"
    path.write_text(
        '[[codes]]\nid = "reprisals"\nlabel.en = "Reprisals"\nkeywords = ["reprisal*", "报复"]\n',
        encoding="utf-8",
    )
    db = ["--db", str(sample_copy)]
    assert cli.main(["codebook", "set", "--consultation", CONSULTATION, *db, str(path)]) == 0
    assert cli.main(["codebook", "show", "--consultation", CONSULTATION, *db]) == 0
    shown = capsys.readouterr().out
    assert 'id = "reprisals"' in shown and "报复" in shown
    assert cli.main(["summary", "--consultation", CONSULTATION, "--code", "reprisals", *db]) == 0


def test_tagging_moves_the_bar_with_the_texts_matched(con, monkeypatch) -> None:
    """A codebook change at ten million answers takes minutes: the bar moves with each chunk of
    texts matched, not only its label, and ends where writing the codes begins."""
    monkeypatch.setattr(tagging, "CHUNK", 2048)  # one vector of texts at a time
    steps: list[tuple[str, float]] = []
    with database.transaction(con):
        tagging.tag(con, CONSULTATION, on_step=lambda label, share: steps.append((label, share)))
    matched = [share for label, share in steps if label.startswith("Tagged ")]
    assert len(matched) >= 2  # the sample's distinct texts fill two vectors
    assert matched == sorted(matched) and matched[0] < matched[-1]
    assert matched[-1] == pytest.approx(tagging.MATCHED_SHARE)
    assert [label for label, _ in steps][-2:] == ["Writing the codes", "Tagged"]
