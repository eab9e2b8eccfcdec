"""Adapters for the platforms whose exports we know, recognised by their headers.

An adapter only proposes a mapping; a mapping file given by the user still wins. Each entry
names the headers that identify the export and how its columns map to canonical fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.importer.mapping import Mapping, fold


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    signature: frozenset[str]  # folded headers that must all be present
    propose: Callable[[list[str]], Mapping]

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
)


def detect_platform(headers: list[str]) -> Platform | None:
    return next((p for p in PLATFORMS if p.matches(headers)), None)


def platform_named(name: str) -> Platform | None:
    return next((p for p in PLATFORMS if p.name == name), None)
