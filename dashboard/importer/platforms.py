"""Adapters for the platforms whose exports we know, recognised by their headers.

An adapter only proposes a mapping; a mapping file given by the user still wins. Each entry
names the headers that identify the export and how its columns map to canonical fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.importer.mapping import Mapping, fold
from dashboard.reference import i18n
from dashboard.reference.i18n import _, ngettext


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    signature: frozenset[str]  # folded headers that must all be present
    propose: Callable[[list[str]], Mapping]
    # How the platform writes dates like 7/10/14 ("dmy", "mdy"), when it always writes them
    # one way; evidence below the values' own but above the consultation window.
    date_order: str | None = None

    def matches(self, headers: list[str]) -> bool:
        return self.signature <= {fold(h) for h in headers}


def _header(headers: list[str], name: str) -> str | None:
    wanted = fold(name)
    return next((h for h in headers if fold(h) == wanted), None)


def _present(headers: list[str], **fields: str) -> dict[str, str]:
    found = {canonical: _header(headers, header) for canonical, header in fields.items()}
    return {canonical: header for canonical, header in found.items() if header}


def _have_your_say(headers: list[str]) -> Mapping:
    # The Commission's site shows and exports Brussels local time without an offset.
    return Mapping(
        platform="have-your-say",
        format="wide",
        columns=_present(
            headers,
            respondent_id="id",
            submitted_at="date_feedback",
            country="country",
            language="language",
            stakeholder_type="user_type",
        ),
        # Participation-only exports (the AI White Paper's) have no feedback column.
        questions={header: "feedback"} if (header := _header(headers, "feedback")) else {},
        timezone="Europe/Brussels",
    )


def _polis_comments(headers: list[str]) -> Mapping:
    # Every comment answers the conversation's one prompt, question id "comment"; the epoch
    # milliseconds in `timestamp` are exact, unlike `datetime`, written in the server's zone.
    return Mapping(
        platform="polis-comments",
        format="long",
        columns=_present(
            headers, respondent_id="author-id", submitted_at="timestamp", answer="comment-body"
        ),
        defaults={"question_id": "comment"},
    )


def _polis_votes(headers: list[str]) -> Mapping:
    # Voters take part without writing: respondents with no responses.
    return Mapping(
        platform="polis-votes",
        format="participation",
        columns=_present(headers, respondent_id="voter-id", submitted_at="timestamp"),
    )


def _kobo(headers: list[str]) -> Mapping:
    # `_submission_time` is UTC; `start`/`end` are the device's local time, so not used.
    return Mapping(
        platform="kobotoolbox",
        format="wide",
        columns=_present(headers, respondent_id="_uuid", submitted_at="_submission_time"),
        timezone="UTC",
    )


def _google_forms(headers: list[str]) -> Mapping:
    # Google Forms has no respondent id: each row is one respondent.
    return Mapping(
        platform="google-forms",
        format="wide",
        columns=_present(headers, submitted_at="Timestamp"),
    )


def _surveymonkey(headers: list[str]) -> Mapping:
    # StartDate/EndDate are US month-first ("7/10/14 18:37"), written in the zone of the
    # account, without saying which. The order is the platform's (date_order below), weighed
    # after the values' own evidence, so a file re-saved day-first is still read as written.
    columns = _present(headers, respondent_id="RespondentID", submitted_at="EndDate")
    return Mapping(platform="surveymonkey", format="wide", columns=columns)


def _qualtrics(headers: list[str]) -> Mapping:
    # RecordedDate is when Qualtrics stored the response; older exports have only EndDate.
    submitted = _header(headers, "RecordedDate") or _header(headers, "EndDate")
    columns = _present(headers, respondent_id="ResponseId", language="UserLanguage")
    if submitted:
        columns["submitted_at"] = submitted
    return Mapping(platform="qualtrics", format="wide", columns=columns)


def _limesurvey(headers: list[str]) -> Mapping:
    # Incomplete responses have no submitdate: kept as respondents with no time (see notes).
    return Mapping(
        platform="limesurvey",
        format="wide",
        columns=_present(
            headers, respondent_id="id", submitted_at="submitdate", language="startlanguage"
        ),
    )


QUALTRICS_SIGNATURE = {"responseid", "startdate", "enddate", "finished"}
SURVEYMONKEY_SIGNATURE = {"respondentid", "collectorid", "startdate", "enddate"}
LIMESURVEY_SIGNATURE = {"id", "submitdate", "lastpage", "startlanguage"}

# Qualtrics `Status`: what kind of response a row is. Only 0 (and 16, offline app) are people
# answering; the rest are previews, tests, imports and spam, kept but reported.
QUALTRICS_STATUS = {
    "0": "IP Address",
    "1": "Survey Preview",
    "2": "Survey Test",
    "4": "Imported",
    "8": "Spam",
    "9": "Preview Spam",
    "12": "Imported Spam",
    "16": "Offline",
    "17": "Offline Preview",
}
QUALTRICS_REAL = {"IP Address", "Offline"}


def _qualtrics_notes(frame: pd.DataFrame, mapping: Mapping, zone_in_file: bool) -> list[str]:
    notes = []
    if not zone_in_file:
        if mapping.timezone:
            notes.append(
                _(
                    "Qualtrics writes times in the zone chosen at export without saying which; "
                    "they were read in {zone} (set [parse] timezone in a mapping if the export "
                    "used another)."
                ).format(zone=i18n.isolate(mapping.timezone))
            )
        else:
            notes.append(
                _(
                    "Qualtrics writes times in the zone chosen at export without saying which; "
                    "they were read in the consultation's zone (set [parse] timezone in a "
                    "mapping if the export used another)."
                )
            )
    status = _header(list(frame.columns), "Status")
    if status:
        kinds = frame[status].map(_cell_text).map(lambda v: QUALTRICS_STATUS.get(v, v))
        unusual = kinds[~kinds.isin(QUALTRICS_REAL) & kinds.ne("")].value_counts()
        for kind, count in unusual.items():
            # The status stays as Qualtrics names it, the word a reader finds in Qualtrics.
            notes.append(
                ngettext(
                    "{count} row has Status {status}: not a respondent answering the live "
                    "survey (a preview, a test, an import or spam); kept and counted: delete it "
                    "in Qualtrics, or from the file, if it should not count.",
                    "{count} rows have Status {status}: not a respondent answering the live "
                    "survey (a preview, a test, an import or spam); kept and counted: delete "
                    "them in Qualtrics, or from the file, if they should not count.",
                    count,
                ).format(count=i18n.number(count), status=i18n.isolate(repr(kind)))
            )
    finished = _header(list(frame.columns), "Finished")
    if finished:
        unfinished = int(frame[finished].map(_cell_text).isin(["0", "False", "false"]).sum())
        if unfinished:
            notes.append(
                ngettext(
                    "{count} row has Finished = 0 (the respondent did not reach the end); kept "
                    "with the answers given.",
                    "{count} rows have Finished = 0 (the respondent did not reach the end); "
                    "kept with the answers given.",
                    unfinished,
                ).format(count=i18n.number(unfinished))
            )
    return notes


def _cell_text(value: object) -> str:
    """A cell as text, a spreadsheet's 0.0 read as "0" (XLSX exports hold numbers)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None or pd.isna(value) else str(value).strip()


def _limesurvey_notes(frame: pd.DataFrame, mapping: Mapping, zone_in_file: bool) -> list[str]:
    submitted = mapping.columns.get("submitted_at")
    if not submitted or submitted not in frame:
        return []
    missing = int(frame[submitted].map(lambda v: v is None or not str(v).strip()).sum())
    if not missing:
        return []
    return [
        ngettext(
            "{count} row has no submitdate: LimeSurvey's incomplete responses (the respondent "
            "left before the last page). It is kept as a respondent, with the answers given and "
            "no submission time, so it counts in every total but in no day or window.",
            "{count} rows have no submitdate: LimeSurvey's incomplete responses (the respondent "
            "left before the last page). They are kept as respondents, with the answers given "
            "and no submission time, so they count in every total but in no day or window.",
            missing,
        ).format(count=i18n.number(missing))
    ]


def platform_notes(
    name: str | None, frame: pd.DataFrame, mapping: Mapping, zone_in_file: str | None = None
) -> list[str]:
    """What the validation report should say about rows peculiar to a platform's export;
    `zone_in_file` is the time zone the header rows state, if any."""
    explain = _ROW_NOTES.get(name or "")
    return explain(frame, mapping, bool(zone_in_file)) if explain else []


def notes_read_rows(name: str | None) -> bool:
    """Whether `platform_notes` reads the export's rows for this platform (and so needs all of
    them at once), or says nothing of them."""
    return (name or "") in _ROW_NOTES


_ROW_NOTES = {"qualtrics": _qualtrics_notes, "limesurvey": _limesurvey_notes}


def _decidim_comments(headers: list[str]) -> Mapping:
    # Decidim's open-data comments (CSV, JSON or a spreadsheet; nested keys read as "author/id").
    # A comment's thread is its root commentable (the meeting, proposal or debate commented on):
    # `root_commentable_url` names it for top-level comments and replies alike (a reply's own
    # `commentable_id` is its parent comment), so each thread is one question, named by that URL.
    # `created_at` is UTC ("2017-10-16 07:18:14 UTC" in CSV); `locale` is the comment's language.
    return Mapping(
        platform="decidim-comments",
        format="long",
        columns=_present(
            headers,
            respondent_id="author/id",
            submitted_at="created_at",
            language="locale",
            question_id="root_commentable_url",
            answer="body",
        ),
        timezone="UTC",
    )


def _forum_posts(headers: list[str]) -> Mapping:
    # Discussion-forum posts (Discourse's posts, from its API or a Data Explorer query): each
    # thread (topic) is one question, named by `topic_id` so that two threads with the same title
    # stay apart; replies carry their thread's topic_id. The author is `user_id` (stable), else
    # `username`; the text is `raw` (as written), else `cooked` (the HTML shown). Times are UTC.
    author = "user_id" if _header(headers, "user_id") else "username"
    text = "raw" if _header(headers, "raw") else "cooked"
    return Mapping(
        platform="forum-posts",
        format="long",
        columns=_present(
            headers,
            respondent_id=author,
            submitted_at="created_at",
            language="locale",
            question_id="topic_id",
            answer=text,
        ),
        timezone="UTC",
    )


PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "have-your-say",
        'European Commission "Have your say"',
        frozenset({"datefeedback", "usertype", "country", "language"}),
        _have_your_say,
    ),
    Platform(
        "polis-comments",
        "Polis comments",
        frozenset({"commentid", "authorid", "commentbody", "timestamp"}),
        _polis_comments,
    ),
    Platform(
        "polis-votes",
        "Polis votes",
        frozenset({"voterid", "commentid", "vote", "timestamp"}),
        _polis_votes,
    ),
    Platform(
        "kobotoolbox",
        "KoboToolbox",
        frozenset({"uuid", "submissiontime"}),
        _kobo,
    ),
    Platform(
        "decidim-comments",
        "Decidim comments (open data)",
        frozenset({"author/id", "commentableid", "commentabletype", "rootcommentableurl"}),
        _decidim_comments,
    ),
    Platform(
        "forum-posts",
        "Forum posts (Discourse)",
        frozenset({"topicid", "postnumber", "createdat"}),
        _forum_posts,
    ),
    Platform("google-forms", "Google Forms", frozenset({"timestamp"}), _google_forms),
    Platform("qualtrics", "Qualtrics", frozenset(QUALTRICS_SIGNATURE), _qualtrics),
    Platform(
        "surveymonkey",
        "SurveyMonkey",
        frozenset(SURVEYMONKEY_SIGNATURE),
        _surveymonkey,
        date_order="mdy",
    ),
    Platform("limesurvey", "LimeSurvey", frozenset(LIMESURVEY_SIGNATURE), _limesurvey),
)


def detect_platform(headers: list[str]) -> Platform | None:
    return next((p for p in PLATFORMS if p.matches(headers)), None)


def platform_named(name: str) -> Platform | None:
    return next((p for p in PLATFORMS if p.name == name), None)
