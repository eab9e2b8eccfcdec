"""Codes on answers in the store: the codebook, automatic tagging, analysts' tags, judgements.

Automatic tags are made by `codebook.Tagger` and written with the analysts' decisions applied
over them (queries/store/insert_response_codes.sql), so every page reads one table,
`response_codes`. Tagging runs for each import as it is loaded, and for the whole consultation
when the codebook changes; an analyst's decision is kept by answer (respondent, question, text)
and so outlives both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import duckdb
import pandas as pd

from dashboard.coding.codebook import Codebook, Tagger, parse_codebook
from dashboard.definition.consultation import Consultation
from dashboard.reference import i18n
from dashboard.reference.i18n import _, pgettext
from dashboard.store import queries
from dashboard.store.database import audit, refresh_answer_codes, refresh_facts, transaction

# The share of the bar matching the texts takes; writing the codes takes the rest.
MATCHED_SHARE = 0.9
CHUNK = 200_000  # distinct texts read and tagged at a time: bounds memory, paces the progress bar


def get_codebook(con: duckdb.DuckDBPyConnection, consultation_id: str) -> Codebook:
    """The consultation's codebook (checked when it was saved), or an empty one."""
    row = queries.first_row(con, "store/codebook", {"consultation": consultation_id})
    return parse_codebook(row[0], source="codebook") if row else Codebook()


def tags_of(tagger: Tagger, texts: pd.DataFrame) -> pd.DataFrame:
    """One row per code each text matches (texts: text_id, answer), with the keyword that
    found it."""
    found = list(tagger.tag_all(texts["answer"].tolist()))
    positions, code_ids, keywords = zip(*found, strict=True) if found else ((), (), ())
    return pd.DataFrame(
        {
            "text_id": texts["text_id"].to_numpy(dtype="int64")[list(positions)],
            "code_id": pd.Series(code_ids, dtype="str"),
            "matched": pd.Series(keywords, dtype="str"),
        }
    )


def tag(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    import_id: int | None = None,
    *,
    codebook: Codebook | None = None,
    on_step: Callable[[str, float], None] | None = None,
) -> int:
    """(Re)write the codes of every answer of the consultation, or of one import; the caller
    holds the transaction. Returns the number of keyword tags the answers carry (before
    analysts' decisions).

    Each distinct text is matched once, in Python; DuckDB numbers the texts and gives their
    codes to every answer that reads so, so Python's work grows with the distinct texts, not
    with the answers."""
    step = on_step or (lambda label, fraction: None)
    codebook = codebook if codebook is not None else get_codebook(con, consultation_id)
    tagger = Tagger(codebook)
    key = {"consultation": consultation_id, "import_id": import_id}
    step(_("Reading the answers"), 0.0)
    # Made inside the caller's transaction: a failure rolls it back with everything else.
    queries.execute(con, "store/create_tagging_texts", key)
    queries.execute(con, "store/create_tagging_found")
    texts = queries.first_row(con, "store/tagging_texts_count")[0]
    tags_on_answers = 0
    # A chunk of texts at a time, its codes written to DuckDB before the next is read: held in
    # pandas until the end, the codes of ten million answers took a gigabyte beside DuckDB's own.
    for first in range(0, texts, CHUNK):
        chunk = queries.execute(
            con, "store/tagging_texts", {"first_id": first, "last_id": first + CHUNK - 1}
        ).df()
        tags = tags_of(tagger, chunk)
        queries.execute_on(con, "store/insert_tagging_found", "found_tags", tags)
        # Each text's tags count once per answer that reads so.
        answers = pd.Series(chunk["answers"].to_numpy(), index=chunk["text_id"].to_numpy())
        tags_on_answers += int(answers.loc[tags["text_id"]].sum())
        done = first + len(chunk)
        # The bar moves with the texts matched (minutes for a codebook change at ten million);
        # the label counts them.
        step(
            _("Tagged {count} answers").format(count=i18n.number(done)),
            MATCHED_SHARE * done / texts,
        )
    step(_("Writing the codes"), 0.95)
    queries.execute(con, "store/delete_response_codes", key)
    queries.execute(con, "store/insert_response_codes", key)
    queries.execute(con, "store/drop_tagging_texts")
    queries.execute(con, "store/drop_tagging_found")
    step(pgettext("progress", "Tagged"), 1.0)
    return tags_on_answers


def save_codebook(
    con: duckdb.DuckDBPyConnection,
    consultation: Consultation,
    codebook: Codebook,
    saved_by: str,
    *,
    on_step: Callable[[str, float], None] | None = None,
) -> int:
    """Replace the consultation's codebook and re-tag every answer with it, all or nothing;
    analysts' own tags are kept. Returns the number of codes on answers."""
    key = {"consultation": consultation.id}
    codes = pd.DataFrame(
        {
            "code_id": [c.id for c in codebook.codes],
            "position": list(range(len(codebook.codes))),
            "theme_id": [c.theme_id for c in codebook.codes],
            "labels": [json.dumps(c.labels, ensure_ascii=False) for c in codebook.codes],
            "keywords": [list(c.keywords) for c in codebook.codes],
        }
    )
    con.register("new_codes", codes)
    try:
        with transaction(con):
            queries.execute(con, "store/delete_codebook", key)
            queries.execute(
                con,
                "store/insert_codebook",
                {
                    **key,
                    "codebook_toml": codebook.to_toml(),
                    "saved_at": datetime.now(UTC),
                    "saved_by": saved_by,
                },
            )
            queries.execute(con, "store/delete_codes", key)
            queries.execute(con, "store/insert_codes", key)
            written = tag(con, consultation.id, codebook=codebook, on_step=on_step)
            refresh_facts(con, consultation.id)
            # Every answer is tagged and counted now, an import stopped before it was too.
            queries.execute(con, "store/delete_uncounted_imports", key)
            audit(
                con,
                saved_by,
                "codebook",
                consultation.id,
                {"codes": len(codebook.codes), "tags": written},
            )
    finally:
        con.unregister("new_codes")
    return written


PreviousEdit = tuple[bool, str, datetime] | None  # (applied, edited_by, edited_at), or none


def set_code(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    answer: tuple[int, int, str],
    code_id: str,
    applied: bool,
    who: str,
) -> PreviousEdit:
    """An analyst gives (`applied`) or takes away one code of one answer, named by (import,
    source row, question). The decision is kept and logged, and wins over keywords. Returns
    the decision it replaced (None when keywords decided), for `restore_code`."""
    where = _where(consultation_id, answer)
    with transaction(con):
        edit = _edit_key(con, consultation_id, answer, code_id)
        previous = queries.first_row(con, "store/tag_edit", edit)
        queries.execute(
            con,
            "store/upsert_tag_edit",
            {**edit, "applied": applied, "edited_by": who, "edited_at": datetime.now(UTC)},
        )
        queries.execute(con, "store/delete_response_code", {**where, "code_id": code_id})
        if applied:
            queries.execute(con, "store/insert_analyst_code", {**where, "code_id": code_id})
        refresh_answer_codes(con, consultation_id, answer)
        audit(
            con,
            who,
            "tag_added" if applied else "tag_removed",
            consultation_id,
            {"code": code_id, "import_id": answer[0], "row": answer[1], "question": answer[2]},
        )
    return previous


def restore_code(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    answer: tuple[int, int, str],
    code_id: str,
    previous: PreviousEdit,
    who: str,
) -> None:
    """Undo a `set_code`: put back the decision it replaced (`previous`), or, where there was
    none, let the keywords decide again, as if the change had never been made. Logged."""
    where = _where(consultation_id, answer)
    with transaction(con):
        edit = _edit_key(con, consultation_id, answer, code_id)
        queries.execute(con, "store/delete_response_code", {**where, "code_id": code_id})
        if previous is None:
            queries.execute(con, "store/delete_tag_edit", edit)
            text = queries.first_row(con, "store/answer_text", where)[0]
            matched = Tagger(get_codebook(con, consultation_id)).tag(text).get(code_id)
            if matched is not None:
                queries.execute(
                    con,
                    "store/insert_keyword_code",
                    {**where, "code_id": code_id, "matched": matched},
                )
        else:
            applied, edited_by, edited_at = previous
            queries.execute(
                con,
                "store/upsert_tag_edit",
                {**edit, "applied": applied, "edited_by": edited_by, "edited_at": edited_at},
            )
            if applied:
                queries.execute(con, "store/insert_analyst_code", {**where, "code_id": code_id})
        refresh_answer_codes(con, consultation_id, answer)
        audit(
            con,
            who,
            "tag_undone",
            consultation_id,
            {"code": code_id, "import_id": answer[0], "row": answer[1], "question": answer[2]},
        )


def _where(consultation_id: str, answer: tuple[int, int, str]) -> dict:
    import_id, source_row, question_id = answer
    return {
        "consultation": consultation_id,
        "import_id": import_id,
        "source_row": source_row,
        "question_id": question_id,
    }


def _edit_key(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    answer: tuple[int, int, str],
    code_id: str,
) -> dict:
    """How tag_edits names one code of one answer: by respondent, question and text."""
    identity = queries.first_row(con, "store/answer_identity", _where(consultation_id, answer))
    if identity is None:
        raise KeyError(f"no answer at import {answer[0]}, row {answer[1]}, {answer[2]}")
    respondent_id, answer_hash = identity
    return {
        "consultation": consultation_id,
        "respondent_id": respondent_id,
        "question_id": answer[2],
        "answer_hash": answer_hash,
        "code_id": code_id,
    }


def judge(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    answer: tuple[int, int, str],
    code_id: str,
    matched: str | None,
    applies: bool,
    who: str,
) -> None:
    """An analyst's verdict on whether one answer carries one code: on an automatic tag (found
    by `matched`: was the keyword right?) or on an answer the keywords left without the code
    (`matched` None: did they miss it?). Each analyst's verdict is kept apart, for agreement."""
    import_id, source_row, question_id = answer
    # In a transaction, like every write: it raises the store's version, and the figures of
    # the Tag review page (precision, agreement) are read again.
    with transaction(con):
        queries.execute(
            con,
            "store/upsert_coding",
            {
                "consultation": consultation_id,
                "import_id": import_id,
                "source_row": source_row,
                "question_id": question_id,
                "code_id": code_id,
                "coder": who,
                "applies": applies,
                "matched": matched,
                "coded_at": datetime.now(UTC),
            },
        )


def settle(
    con: duckdb.DuckDBPyConnection,
    consultation_id: str,
    answer: tuple[int, int, str],
    code_id: str,
    applies: bool,
    who: str,
) -> None:
    """Settle analysts' disagreement on one answer and code: this verdict becomes the reference
    precision and recall are measured against. Logged."""
    import_id, source_row, question_id = answer
    with transaction(con):
        queries.execute(
            con,
            "store/upsert_settlement",
            {
                "consultation": consultation_id,
                "import_id": import_id,
                "source_row": source_row,
                "question_id": question_id,
                "code_id": code_id,
                "applies": applies,
                "settled_by": who,
                "settled_at": datetime.now(UTC),
            },
        )
        audit(
            con,
            who,
            "coding_settled",
            consultation_id,
            {"code": code_id, "import_id": import_id, "row": source_row,
             "question": question_id, "applies": applies},
        )  # fmt: skip
