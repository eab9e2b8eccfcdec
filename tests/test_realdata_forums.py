"""Threaded discussions: Decidim comments (a real export) and forum posts (a synthetic one).

The Decidim file is www.decidim.barcelona's open-data export of meeting comments (see
../shared/realdata/SOURCES.md), read in place; the figures are computed here from the file with
the csv module only. No real forum (Discourse) export is in ../shared/realdata, so the forum
adapter is tested on a small file written here with Discourse's post fields.

In both, a thread is one question and every comment or reply in it a response: a reply belongs
to its root's thread (for Decidim, the meeting that its chain of parent comments leads to).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.test_realdata import CliStore, _toml, nonzero

# The Decidim tests read ../shared/realdata; the forum test needs nothing from outside.
reads_realdata = pytest.mark.realdata


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> CliStore:
    return CliStore(tmp_path / "forums.duckdb", capsys)


DECIDIM = "decidim-barcelona-meetings.toml"
COMMENTS = (
    Path("decidim-barcelona-comments") / "www.decidim.barcelona-open-data-meeting_comments.csv"
)
MEETING = "Decidim::Meetings::Meeting"
REPLY = "Decidim::Comments::Comment"
TESTER = "27996"  # the account that posted security-test strings (SOURCES.md)


def decidim_rows(realdata: Path) -> list[dict[str, str]]:
    with (realdata / COMMENTS).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def utc(written: str) -> datetime:
    """A Decidim CSV time: "2017-10-16 07:18:14 UTC"."""
    return datetime.strptime(written, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)


def thread_of(comment: dict[str, str], by_id: dict[str, dict[str, str]]) -> str:
    """The meeting a comment belongs to, found by walking up its parent comments; the export's
    own root_commentable_url where a parent is missing from the file."""
    while comment["commentable_type"] == REPLY:
        parent = by_id.get(comment["commentable_id"])
        if parent is None:
            return comment["root_commentable_url"]
        comment = parent
    assert comment["commentable_type"] == MEETING
    return comment["root_commentable_url"].rsplit("/meetings/", 1)[0] + (
        f"/meetings/{comment['commentable_id']}"
    )


def expected_threads(rows: list[dict[str, str]]) -> Counter[str]:
    by_id = {r["id"]: r for r in rows}
    return Counter(thread_of(r, by_id) for r in rows)


def question_of(url: str) -> str:
    """The question id the definition gives a thread, else the thread's URL."""
    named = {q["text"]["ca"]: q["id"] for q in _toml(DECIDIM)["questions"]}
    return named.get(url, url)


def first_locale(rows: list[dict[str, str]]) -> dict[str, str]:
    first: dict[str, str] = {}
    for row in rows:  # file order
        first.setdefault(row["author/id"], row["locale"])
    return first


def check_decidim_counts(store: CliStore, rows: list[dict[str, str]], consultation: str) -> dict:
    """Respondents, responses, languages and threads: the same whatever the container."""
    result = store.summary(consultation)
    authors = {r["author/id"] for r in rows}
    assert (len(rows), len(authors)) == (2628, 931)
    assert (result["respondents"], result["responses"]) == (len(authors), len(rows))
    assert result["respondents_without_id"] == 0
    # The comments' own languages...
    assert Counter(r["locale"] for r in rows) == {"ca": 2196, "es": 432}
    # ...and the figures by language, where a respondent has one: the locale of their first
    # comment in the file (19 authors wrote in both; the import's report says so).
    first = first_locale(rows)
    assert nonzero(result["by_language"]) == dict(Counter(first.values())) == {"ca": 720, "es": 211}
    assert nonzero(result["by_language"], "responses") == dict(
        Counter(first[r["author/id"]] for r in rows)
    )
    stored = dict(store.query("SELECT question_id, count(*) FROM responses GROUP BY ALL"))
    threads = expected_threads(rows)
    assert len(threads) == 293
    assert stored == {question_of(url): n for url, n in threads.items()}
    return result


@reads_realdata
def test_decidim_meeting_comments_figures(store, realdata):
    rows = decidim_rows(realdata)
    assert not [r for r in rows if not r["author/id"].strip()]  # no comment without an author
    consultation = store.add(DECIDIM)
    printed = store.import_ok(consultation, realdata / COMMENTS)
    assert "[decidim-comments, long]" in printed
    result = check_decidim_counts(store, rows, consultation)

    # Replies (642, depth 1 to 3) are counted in their meeting's thread, not as threads.
    replies = [r for r in rows if r["commentable_type"] == REPLY]
    assert (len(replies), Counter(r["depth"] for r in replies)) == (
        642,
        {"1": 563, "2": 59, "3": 20},
    )
    assert "meeting-3664" in dict(store.query("SELECT question_id, 1 FROM responses"))
    assert (
        result["by_theme"]["horta-guinardo"]["responses"]
        == expected_threads(rows)[_toml(DECIDIM)["questions"][0]["text"]["ca"]]
    )

    definition = _toml(DECIDIM)
    opens, closes = definition["opens"], definition["closes"]
    times = [utc(r["created_at"]) for r in rows]
    earliest: dict[str, datetime] = {}
    for row, time in zip(rows, times, strict=True):
        earliest[row["author/id"]] = min(time, earliest.get(row["author/id"], time))

    def period(time: datetime) -> str:
        return "before" if time < opens else "after" if time > closes else "during"

    assert result["window"] == {
        p: {
            "respondents": sum(1 for t in earliest.values() if period(t) == p),
            "responses": sum(1 for t in times if period(t) == p),
        }
        for p in ("before", "during", "after")
    }
    assert result["window"]["before"]["responses"] == 333
    days = Counter(t.date().isoformat() for t in times)
    assert nonzero(result["by_day"], "responses") == dict(days)


@reads_realdata
def test_decidim_report_says_what_it_decided(store, realdata):
    rows = decidim_rows(realdata)
    consultation = store.add(DECIDIM)
    printed = store.import_ok(consultation, realdata / COMMENTS)
    # Bodies that look like placeholders are answers as written, and reported as such.
    looks = Counter(
        r["body"].strip() for r in rows if r["body"].strip().casefold() in {".", "null", "-"}
    )
    assert looks == {".": 196, "null": 1}
    assert "looks like a placeholder, kept as written: '.' in answer: 196, 'null' in answer: 1" in (
        printed
    )
    locales: dict[str, set[str]] = {}
    for row in rows:
        locales.setdefault(row["author/id"], set()).add(row["locale"])
    several = {a for a, found in locales.items() if len(found) > 1}
    moved = sum(1 for r in rows if r["author/id"] in several)
    assert (len(several), moved) == (19, 130)
    assert f"{len(several)} respondents wrote in more than one language ({moved} rows)" in printed
    unnamed = len(expected_threads(rows)) - len(_toml(DECIDIM)["questions"])
    assert f"(+{unnamed - 8} more)" in printed  # every unnamed thread is listed in the report


@reads_realdata
def test_decidim_security_test_strings_are_kept_as_text(store, realdata):
    rows = decidim_rows(realdata)
    tester = [r for r in rows if r["author/id"] == TESTER]
    assert len(tester) == 310
    consultation = store.add(DECIDIM)
    store.import_ok(consultation, realdata / COMMENTS)
    stored = store.query(
        "SELECT answer FROM responses WHERE respondent_id = $who ORDER BY source_row", who=TESTER
    )
    assert [answer for (answer,) in stored] == [r["body"] for r in tester]
    # Every body is kept exactly, newlines inside quotes included.
    everything = store.query("SELECT answer FROM responses ORDER BY source_row")
    assert [answer for (answer,) in everything] == [r["body"] for r in rows]
    assert store.query("SELECT count(*) FROM consultations") == [(1,)]


@reads_realdata
def test_decidim_json_export_gives_the_same_figures(store, realdata, tmp_path):
    """Decidim's JSON export nests the author ({"author": {"id": ..}}) and writes ISO times."""
    rows = decidim_rows(realdata)
    records = [
        {
            "id": int(r["id"]),
            "created_at": utc(r["created_at"]).isoformat(),
            "body": r["body"],
            "locale": r["locale"],
            "author": {"id": int(r["author/id"]), "name": r["author/name"]},
            "alignment": int(r["alignment"]),
            "depth": int(r["depth"]),
            "commentable_id": int(r["commentable_id"]),
            "commentable_type": r["commentable_type"],
            "root_commentable_url": r["root_commentable_url"],
        }
        for r in rows
    ]
    path = tmp_path / "meeting_comments.json"  # a temporary file, not kept in the project
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    consultation = store.add(DECIDIM)
    assert "[decidim-comments, long]" in store.import_ok(consultation, path)
    check_decidim_counts(store, rows, consultation)


def ods(rows: list[list[str]]) -> bytes:
    """A minimal OpenDocument spreadsheet: every cell a string, a line per paragraph."""

    def cell(text: str) -> str:
        paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in text.split("\n"))
        return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="comments">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@reads_realdata
def test_decidim_spreadsheet_export_read_with_calamine(store, realdata, tmp_path):
    """Decidim also exports to spreadsheets; an ODS of the same comments gives the same counts."""
    rows = decidim_rows(realdata)
    headers = list(rows[0])
    path = tmp_path / "meeting_comments.ods"  # a temporary file, not kept in the project
    path.write_bytes(ods([headers, *([r[h] for h in headers] for r in rows)]))
    consultation = store.add(DECIDIM)
    printed = store.import_ok(consultation, path)
    assert "[decidim-comments, long]" in printed
    check_decidim_counts(store, rows, consultation)


# --------------------------------------------------------------- forum posts (synthetic)

FORUM = "forum-threads.toml"
# Discourse's post fields (its /posts.json and Data Explorer columns). Two threads (topics 101
# and 102) and a third the definition does not name; replies point at a post of their thread.
FORUM_POSTS = """\
id,topic_id,topic_title,post_number,reply_to_post_number,user_id,username,created_at,raw,locale
1,101,Priorities for 2030,1,,7,facilitator,2024-03-01T09:00:00.000Z,What should come first?,en
2,101,Priorities for 2030,2,,11,amina,2024-03-02T10:15:00.000Z,Clean water.,en
3,101,Priorities for 2030,3,2,12,bruno,2024-03-02T23:59:00.000Z,"Agreed, and
sanitation.",fr
4,101,Priorities for 2030,4,3,11,amina,2024-03-05T08:00:00.000Z,Both then.,en
5,102,Youth participation,1,,7,facilitator,2024-03-01T09:05:00.000Z,How do we reach youth?,en
6,102,Youth participation,2,1,13,chen,2024-02-28T12:00:00.000Z,Schools.,zh
7,102,Youth participation,3,,,deleted_user,2024-03-03T12:00:00.000Z,Removed author,en
8,102,Youth participation,4,2,12,bruno,2024-04-02T12:00:00.000Z,Late reply,fr
9,103,Off topic,1,,14,dana,2024-03-04T12:00:00.000Z,None,en
"""


def test_forum_posts_threads_replies_and_authors(store, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(FORUM_POSTS, encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as handle:
        posts = list(csv.DictReader(handle))
    consultation = store.add(FORUM)
    code, printed, err = store.import_files(consultation, path)
    assert code == 0, err
    assert "[forum-posts, long]" in printed
    # A post without an author id (a deleted account) has no owner: refused, and said.
    orphans = [p for p in posts if not p["user_id"]]
    assert len(orphans) == 1
    assert "1 rows (no respondent id, so the answer has no owner): rows 8" in printed
    kept = [p for p in posts if p["user_id"]]
    result = store.summary(consultation)
    assert result["respondents"] == len({p["user_id"] for p in kept}) == 5
    assert result["responses"] == len(kept) == 8
    # Replies stay with their thread: topic_id, whatever post they answer.
    stored = dict(store.query("SELECT question_id, count(*) FROM responses GROUP BY ALL"))
    assert stored == dict(Counter(p["topic_id"] for p in kept)) == {"101": 4, "102": 3, "103": 1}
    assert nonzero(result["by_theme"], "responses") == {"threads": 7, "Unknown": 1}
    # A post reading "None" is an answer as written, and reported as a look-alike.
    assert "'None' in answer: 1" in printed
    definition = _toml(FORUM)
    times = [datetime.fromisoformat(p["created_at"]) for p in kept]
    assert (
        {k: v["responses"] for k, v in result["window"].items()}
        == {
            "before": sum(1 for t in times if t < definition["opens"]),
            "during": sum(1 for t in times if definition["opens"] <= t <= definition["closes"]),
            "after": sum(1 for t in times if t > definition["closes"]),
        }
        == {"before": 1, "during": 6, "after": 1}
    )
    # Language per respondent: their first post's; bruno wrote French, chen Chinese.
    assert nonzero(result["by_language"]) == {"en": 3, "fr": 1, "zh": 1}
    # The text is `raw`, as written (newline kept), not the HTML of `cooked`.
    assert ("Agreed, and\nsanitation.",) in store.query("SELECT answer FROM responses")
