"""Header rows as survey platforms write them: one row, or several that together name a column.

A SurveyMonkey export has a question row and a sub-answer row; a Qualtrics export has column
ids, question texts and a row of `{"ImportId": ...}` cells; a legacy Qualtrics export has V1..V10
then names. Each shape is recognised only from evidence in those rows, never guessed, and every
header row is consumed here so that none is ever read as a respondent. A question exported as one
column per option (or matrix row) gets headers "question | option", all with the same question
part, so detection maps every column of it to one question; the option is kept apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from dashboard.reference import i18n
from dashboard.reference.i18n import _

SEPARATOR = " | "
# Row-2 cells with which SurveyMonkey says "this column is the question's one answer".
SURVEYMONKEY_SINGLE = {"response", "open-ended response"}
SURVEYMONKEY_METADATA = {
    "respondentid",
    "collectorid",
    "startdate",
    "enddate",
    "ipaddress",
    "emailaddress",
    "firstname",
    "lastname",
    "customdata",
    "customdata1",
}
_IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:\s*["']([^"']*)["']""")
_QUALTRICS_QUESTION = re.compile(r"^(QID\d+)")
_RESPONSE_ID = re.compile(r"^R_[A-Za-z0-9]+$")
_QUALTRICS_FIELDS = {
    "startdate", "enddate", "status", "ipaddress", "progress", "durationinseconds", "finished",
    "recordeddate", "responseid", "recipientlastname", "recipientfirstname", "recipientemail",
    "externalreference", "locationlatitude", "locationlongitude", "distributionchannel",
    "userlanguage",
}  # fmt: skip
_TIME_ZONE = re.compile(r"""["']timeZone["']\s*:\s*["']([^"']+)["']""")
# Qualtrics Text iQ adds analyst-made columns ("Q2 - Topics"): not the respondent's answer.
_TEXT_IQ = re.compile(r"(Topics|Sentiment|SentimentScore|SentimentPolarity)$")
_LEGACY_VARIABLES = [f"V{n}" for n in range(1, 11)]
LIMESURVEY_METADATA = {"id", "submitdate", "lastpage", "startlanguage"}
# `code[SQ001]`, `code[SQ001][1]`, optionally followed by `._.question text` (code._.text style).
LIMESURVEY_HEADER = re.compile(
    r"^(?P<code>[A-Za-z][A-Za-z0-9]*)(?P<subs>(?:\[[^\]]*\])*)(?:\._\.(?P<text>.*))?$", re.S
)


@dataclass
class HeaderShape:
    rows: int  # header rows taken from the top of the table
    headers: list[str]
    option_labels: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    platform: str | None = None
    timezone: str | None = None  # the times' zone, where the header rows state it


def _squash(value: str) -> str:
    return re.sub(r"[\s_\-]+", "", value.casefold())


def header_shape(rows: list[list[str]], first_line: int = 1) -> HeaderShape:
    """The header of a table whose first rows (as text, blank as "") are `rows[0]`, `rows[1]`...,
    `rows[0]` being line `first_line` of the file (blank lines may come before it)."""
    return _shape(rows, first_line)


def _shape(rows: list[list[str]], first_line: int = 1) -> HeaderShape:
    first = rows[0]
    second = rows[1] if len(rows) > 1 else None
    third = rows[2] if len(rows) > 2 else None
    if second is not None and third is not None and _all_import_ids(third):
        return _qualtrics(first, second, third, first_line)
    if second is not None and first[:10] == _LEGACY_VARIABLES and "ResponseID" in second:
        return _qualtrics_legacy(first, second, first_line)
    if second is not None and _qualtrics_labels_without_import_ids(first, second):
        return _qualtrics_two_rows(first, second, first_line)
    if second is not None and _surveymonkey_evidence(first, second):
        return _surveymonkey(first, second, first_line)
    if {h.casefold() for h in first} >= LIMESURVEY_METADATA:
        return _limesurvey(first)
    return HeaderShape(1, list(first))


def _all_import_ids(row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    return bool(filled) and all(_IMPORT_ID.match(cell) for cell in filled)


def _surveymonkey_evidence(first: list[str], second: list[str]) -> bool:
    """Row 2 holds SurveyMonkey's "Response"/"Open-Ended Response" labels, is blank under the
    respondent metadata (RespondentID, StartDate...), and names every column that row 1 leaves
    blank (the further columns of a multi-column question)."""
    if not any(cell.casefold() in SURVEYMONKEY_SINGLE for cell in second):
        return False
    metadata = [i for i, h in enumerate(first) if _squash(h) in SURVEYMONKEY_METADATA]
    if not metadata or any(second[i] for i in metadata):
        return False
    if not first or not first[0]:
        return False
    # A column blank in both rows is an empty column (a trailing delimiter), not evidence.
    width = max((i + 1 for i, cell in enumerate(second) if cell), default=0)
    return all(second[i] for i, h in enumerate(first[:width]) if not h)


def _lines(first_line: int, rows: int) -> dict[str, str]:
    """The lines of the file the header rows are, for the notes: {first} and {last}."""
    return {"first": i18n.number(first_line), "last": i18n.number(first_line + rows - 1)}


def _surveymonkey(first: list[str], second: list[str], first_line: int = 1) -> HeaderShape:
    headers: list[str] = []
    options: dict[str, str] = {}
    question = ""
    for top, sub in zip(first, second, strict=False):
        question = top or question
        if not top and not sub:
            headers.append("")  # an empty column, dropped (or named) like any other
        elif not sub or sub.casefold() in SURVEYMONKEY_SINGLE:
            headers.append(question)
        else:
            headers.append(f"{question}{SEPARATOR}{sub}")
            options[headers[-1]] = sub
    headers += first[len(headers) :]
    return _unique(
        HeaderShape(
            2,
            headers,
            options,
            _(
                "Header rows {first}-{last} combined (SurveyMonkey: a question row, then a row "
                "naming each column's answer or option); a question spread over several columns "
                "counts as one question."
            ).format(**_lines(first_line, 2)),
            "surveymonkey",
        )
    )


def _qualtrics(
    first: list[str], second: list[str], third: list[str], first_line: int = 1
) -> HeaderShape:
    """Three rows: column ids, question texts, ImportId. Columns of one question share the
    question's QID in the ImportId (QID1#1-1, QID1#1-2...)."""
    groups: dict[str, list[int]] = {}
    for position, cell in enumerate(third):
        match = _IMPORT_ID.match(cell)
        import_id = match.group(1) if match else ""
        question = _QUALTRICS_QUESTION.match(import_id)
        if question and not _TEXT_IQ.search(import_id) and not _TEXT_IQ.search(first[position]):
            groups.setdefault(question.group(1), []).append(position)
    headers = list(first)
    options: dict[str, str] = {}
    for positions in groups.values():
        _name_question(positions, first, second, headers, options, ("-", ":"))
    note = (
        _(
            "Header rows {first}-{last} combined (Qualtrics: column ids, question texts, "
            "single-quoted ImportId row); columns sharing a question's ImportId count as one "
            "question."
        )
        if "'ImportId'" in "".join(third)
        else _(
            "Header rows {first}-{last} combined (Qualtrics: column ids, question texts, JSON "
            "ImportId row); columns sharing a question's ImportId count as one question."
        )
    ).format(**_lines(first_line, 3))
    zones = {m.group(1) for cell in third if (m := _TIME_ZONE.search(cell))}
    zone = _valid_zone(zones.pop()) if len(zones) == 1 else None
    if zone:
        note += " " + _(
            "The ImportId row gives the times' zone, {zone}: they were read in it."
        ).format(zone=i18n.isolate(zone))
    elif zones:
        note += " " + _("The ImportId row names several time zones; none was assumed.")
    return _unique(HeaderShape(3, headers, options, note, "qualtrics", zone))


def _valid_zone(name: str) -> str | None:
    name = "UTC" if name in {"Z", "GMT"} else name
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def _qualtrics_labels_without_import_ids(first: list[str], second: list[str]) -> bool:
    """A current Qualtrics export whose ImportId row was deleted: row 2 holds labels, so
    under `ResponseId` there is a label ("Response ID", "Antwort-ID"), not an id R_..."""
    named = {_squash(h): i for i, h in enumerate(first)}
    if not {"responseid", "startdate", "enddate", "finished"} <= named.keys():
        return False
    under_id = second[named["responseid"]] if named["responseid"] < len(second) else ""
    under_start = second[named["startdate"]] if named["startdate"] < len(second) else ""
    return bool(under_id) and not _RESPONSE_ID.match(under_id) and not under_start[:1].isdigit()


def _qualtrics_two_rows(first: list[str], second: list[str], first_line: int = 1) -> HeaderShape:
    headers = [
        top if not text or text == top or _squash(top) in _QUALTRICS_FIELDS
        else f"{top}{SEPARATOR}{text}"
        for top, text in zip(first, second, strict=False)
    ]  # fmt: skip
    headers += first[len(headers) :]
    return _unique(
        HeaderShape(
            2,
            headers,
            {},
            _(
                "Header rows {first}-{last} combined (Qualtrics column ids and question texts; "
                "the ImportId row is missing, so columns of one question are not grouped: map "
                "them in a mapping's [questions])."
            ).format(**_lines(first_line, 2)),
            "qualtrics",
        )
    )


def _qualtrics_legacy(first: list[str], second: list[str], first_line: int = 1) -> HeaderShape:
    """Two rows: V1..V10 (then question ids), then names and question texts. Without an
    ImportId, adjacent columns whose ids start with the same export tag are one question."""
    headers = [second[i] if i < 10 else first[i] or second[i] for i in range(len(first))]
    options: dict[str, str] = {}
    runs: list[tuple[str, list[int]]] = []
    for position in range(10, len(first)):
        tag = re.split(r"[#_:]", first[position], maxsplit=1)[0]
        if not first[position] or first[position] == second[position]:
            continue  # LocationLatitude and the like: the same name twice
        if runs and runs[-1][0] == tag and runs[-1][1][-1] == position - 1:
            runs[-1][1].append(position)
        else:
            runs.append((tag, [position]))
    for _tag, positions in runs:
        _name_question(positions, first, second, headers, options, (" : ", "-", ":"))
    return _unique(
        HeaderShape(
            2,
            headers,
            options,
            _(
                "Header rows {first}-{last} combined (legacy Qualtrics: V1..V10 and question "
                "ids, then names and question texts); adjacent columns with the same question "
                "tag count as one question."
            ).format(**_lines(first_line, 2)),
            "qualtrics",
        )
    )


def _name_question(
    positions: list[int],
    ids: list[str],
    texts: list[str],
    headers: list[str],
    options: dict[str, str],
    separators: tuple[str, ...],
) -> None:
    """Headers "code | question text" (one column) or "code | question text | option"."""
    column_ids = [ids[p] for p in positions]
    column_texts = [texts[p] for p in positions]
    if len(positions) == 1:
        code, text = column_ids[0], column_texts[0]
        headers[positions[0]] = f"{code}{SEPARATOR}{text}" if text and text != code else code
        return
    # The ids' shared start, before a side-by-side "#" (Q4#1_1, Q4#1_2 are question Q4).
    code = re.sub(r"[#_:\s-]+$", "", _common_prefix(column_ids).split("#")[0]) or column_ids[0]
    shared = _common_prefix(column_texts)
    cut = max((shared.rfind(s) + len(s) if s in shared else 0) for s in separators)
    question = shared[:cut].rstrip(" -:") if cut else ""
    for position, text in zip(positions, column_texts, strict=True):
        option = (text[cut:] if cut else text).strip() or ids[position]
        parts = [code, question, option] if question else [code, option]
        headers[position] = SEPARATOR.join(parts)
        options[headers[position]] = option


def _common_prefix(values: list[str]) -> str:
    shortest = min(values, key=len)
    for length in range(len(shortest), 0, -1):
        if all(v.startswith(shortest[:length]) for v in values):
            return shortest[:length]
    return ""


def _limesurvey(first: list[str]) -> HeaderShape:
    """One row of question codes: `code[SQ001]` columns are sub-questions (options, matrix
    rows) of question `code`."""
    options: dict[str, str] = {}
    for header in first:
        match = LIMESURVEY_HEADER.match(header)
        if match and match.group("subs"):
            options[header] = " / ".join(re.findall(r"\[([^\]]*)\]", match.group("subs")))
    return HeaderShape(
        1,
        list(first),
        options,
        _(
            "One header row of LimeSurvey question codes; columns code[SQ] are sub-questions of "
            "question code and count as one question."
        ),
        "limesurvey",
    )


_TOLD_APART = re.compile(r" \(column \d+\)$")


def _unique(shape: HeaderShape) -> HeaderShape:
    """Combined headers told apart by their column number where two would read the same."""
    counts = pd.Series([h.casefold() for h in shape.headers]).value_counts()
    renamed: list[str] = []
    for position, header in enumerate(shape.headers):
        if header and counts[header.casefold()] > 1:
            new = f"{header} (column {position + 1})"
            if header in shape.option_labels:
                shape.option_labels[new] = shape.option_labels[header]
            renamed.append(new)
        else:
            renamed.append(header)
    shape.option_labels = {h: o for h, o in shape.option_labels.items() if h in renamed}
    if renamed != shape.headers:
        told_apart = _(
            "Some columns would read the same and are told apart by '(column N)'; they are not "
            "matched to a question: name them in a mapping's [questions]."
        )
        shape.note = f"{shape.note} {told_apart}" if shape.note else told_apart
    shape.headers = renamed
    return shape


def question_parts(header: str, option: str | None = None) -> list[str]:
    """Texts by which a header may name its question, best first: the header, its question part
    (the option cut off), each part of a combined header, a LimeSurvey code and text."""
    if _TOLD_APART.search(header):
        return [header]  # two columns read the same: which question each is, a person says
    candidates = [header]
    base = header
    if option and header.endswith(SEPARATOR + option):
        base = header[: -len(SEPARATOR + option)]
    candidates.append(base)
    candidates += base.split(SEPARATOR)
    match = LIMESURVEY_HEADER.match(base)
    if match:
        candidates.append(match.group("code"))
        if match.group("text"):
            candidates.append(re.sub(r"\s*\[[^\]]*\]\s*$", "", match.group("text")))
    return [c for c in dict.fromkeys(candidates) if c]
