"""The consultation definition: what was asked, in which languages, and when.

A consultation is written in TOML (see the README) and validated here, once, for the CLI and the
app alike. Validation collects every problem with the field it belongs to, so a form can show each
error next to its field and the CLI can print them all at once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import tomli_w

from dashboard.reference import i18n, zones
from dashboard.reference.i18n import _
from dashboard.reference.languages import resolve_language

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
DEFAULT_SUPPRESSION_K = 5
# The keys a definition may hold; any other key is kept as it is (`Consultation.extra`).
KNOWN_KEYS = frozenset(
    {
        "id",
        "title",
        "opens",
        "closes",
        "timezone",
        "languages",
        "themes",
        "questions",
        "suppression_k",
    }
)


class DefinitionError(ValueError):
    """A file a person wrote (a definition, a codebook) that cannot be accepted; `problems`
    maps each field to what is wrong with it, so a form can show it next to the field."""

    what = "definition"

    def __init__(self, problems: dict[str, str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        lines = "; ".join(f"{name}: {message}" for name, message in problems.items())
        super().__init__(f"{where}invalid {self.what} ({lines})")


class ConsultationError(DefinitionError):
    what = "consultation definition"


@dataclass(frozen=True)
class Theme:
    id: str
    labels: dict[str, str]
    question_ids: tuple[str, ...]

    def label(self, language: str = "en") -> str:
        return _pick_text(self.labels, language) or self.id


@dataclass(frozen=True)
class Question:
    id: str
    theme_id: str
    texts: dict[str, str]

    def text(self, language: str = "en") -> str:
        return _pick_text(self.texts, language) or self.id


@dataclass(frozen=True)
class Consultation:
    id: str
    title: str
    opens: datetime
    closes: datetime
    timezone: str
    languages: tuple[str, ...]
    themes: tuple[Theme, ...] = ()
    questions: tuple[Question, ...] = ()
    suppression_k: int = DEFAULT_SUPPRESSION_K
    extra: dict[str, Any] = field(default_factory=dict)
    # The title by language where the definition gives it so (`title.fr = ...`); `title` is
    # then the English one (else the first).
    titles: dict[str, str] = field(default_factory=dict)

    def display_title(self) -> str:
        """The title in the language in force where the definition gives it, else the English
        one marked "(en)"; a title written once, in no stated language, is shown as written."""
        return i18n.pick(self.titles, self.title) if self.titles else self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": dict(self.titles) if self.titles else self.title,
            "opens": self.opens,
            "closes": self.closes,
            "timezone": self.timezone,
            "languages": list(self.languages),
        }
        if self.suppression_k != DEFAULT_SUPPRESSION_K:
            data["suppression_k"] = self.suppression_k
        data.update(self.extra)
        data["themes"] = [
            {"id": t.id, "label": dict(t.labels), "questions": list(t.question_ids)}
            for t in self.themes
        ]
        data["questions"] = [
            {"id": q.id, "theme": q.theme_id, "text": dict(q.texts)} for q in self.questions
        ]
        return data

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_dict())


def _pick_text(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def load_consultation(path: Path | str) -> Consultation:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConsultationError(
            {"file": _("cannot be read ({problem})").format(problem=exc)}, str(path)
        ) from exc
    return parse_consultation(text, source=path.name)


def parse_consultation(text: str, source: str = "") -> Consultation:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConsultationError(
            {"toml": _("not valid TOML ({problem})").format(problem=exc)}, source
        ) from exc
    return consultation_from_dict(data, source=source)


def consultation_from_dict(data: dict[str, Any], source: str = "") -> Consultation:
    problems: dict[str, str] = {}

    consultation_id = data.get("id")
    if not isinstance(consultation_id, str) or not ID_PATTERN.match(consultation_id):
        problems["id"] = _(
            "required: lower-case letters, digits, '-' or '_', starting with a letter or digit"
        )

    title, titles = _title(data.get("title"), problems)

    zone_name = data.get("timezone", "UTC")
    if not isinstance(zone_name, str):
        problems["timezone"] = _("must be an IANA time zone name such as 'UTC' or 'Europe/Zurich'")
    else:
        try:
            # A fixed offset ("UTC-6") is kept as its IANA name ("Etc/GMT+6"), which DuckDB,
            # pandas and the zone pickers all take.
            zone_name = zones.iana_name(zone_name)
        except zones.UnknownZone as problem:
            problems["timezone"] = str(problem)

    opens = _window_bound(data, "opens", problems)
    closes = _window_bound(data, "closes", problems)
    if opens and closes and closes <= opens:
        problems["closes"] = _("must be after 'opens'")

    languages = _languages(data.get("languages"), problems)
    themes = _themes(data.get("themes", []), problems)
    questions = _questions(data.get("questions", []), problems)
    _cross_check(themes, questions, problems)

    k = data.get("suppression_k", DEFAULT_SUPPRESSION_K)
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        problems["suppression_k"] = _("must be a whole number of at least 1")

    if problems:
        raise ConsultationError(problems, source)

    # A question's theme may be given on either side; downstream code reads only
    # `Question.theme_id`, so fill it from the theme's list and add listed-only questions.
    owner = {qid: t.id for t in themes for qid in t.question_ids}
    questions = [Question(q.id, q.theme_id or owner.get(q.id, ""), q.texts) for q in questions]
    known = {q.id for q in questions}
    questions += [Question(qid, tid, {}) for qid, tid in owner.items() if qid not in known]
    return Consultation(
        id=consultation_id,
        title=title,
        opens=opens,
        closes=closes,
        timezone=zone_name,
        languages=tuple(languages),
        themes=tuple(themes),
        questions=tuple(questions),
        suppression_k=k,
        extra={key: value for key, value in data.items() if key not in KNOWN_KEYS},
        titles=titles,
    )


def _title(value: Any, problems: dict[str, str]) -> tuple[str, dict[str, str]]:
    """`title = "..."`, written once in no stated language, or `title.en = "..."`, one per
    language: (the English title, else the first, and the titles by language)."""
    if isinstance(value, dict):
        texts = {k: v.strip() for k, v in _texts(value, "title", problems).items()}
        if not texts or not all(texts.values()):
            problems.setdefault("title", _("required: a non-empty text"))
        return texts.get("en") or next(iter(texts.values()), ""), texts
    if not isinstance(value, str) or not value.strip():
        problems["title"] = _("required: a non-empty text")
        return "", {}
    return value.strip(), {}


def _window_bound(data: dict[str, Any], name: str, problems: dict[str, str]) -> datetime | None:
    value = data.get(name)
    if value is None:
        problems[name] = _("required: a date and time with its offset, e.g. 2020-01-13T09:00:00Z")
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            problems[name] = _("not a date and time: {value}").format(value=repr(value))
            return None
    if not isinstance(value, datetime):
        problems[name] = _("must be a date and time, e.g. 2020-01-13T09:00:00Z")
        return None
    if value.tzinfo is None:
        problems[name] = _("must carry its time zone offset, e.g. 2020-01-13T09:00:00Z or +01:00")
        return None
    return value


def _languages(value: Any, problems: dict[str, str]) -> list[str]:
    if not isinstance(value, list) or not value:
        problems["languages"] = _("required: a list of language codes such as ['en', 'fr']")
        return []
    codes = []
    for item in value:
        code = resolve_language(item)
        if code == "und":
            problems["languages"] = _("unknown language {language}").format(language=repr(item))
        elif code not in codes:
            codes.append(code)
    return codes


def _texts(value: Any, where: str, problems: dict[str, str]) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        problems[where] = _("must be a table of texts by language, e.g. label.en = '...'")
        return {}
    return {resolve_language(k) if resolve_language(k) != "und" else k: v for k, v in value.items()}


def _themes(value: Any, problems: dict[str, str]) -> list[Theme]:
    if not isinstance(value, list):
        problems["themes"] = _("must be a list of [[themes]] tables")
        return []
    themes: list[Theme] = []
    for index, item in enumerate(value, start=1):
        where = f"themes[{index}]"
        if not isinstance(item, dict):
            problems[where] = _("must be a table")
            continue
        theme_id = item.get("id")
        if not isinstance(theme_id, str) or not ID_PATTERN.match(theme_id):
            problems[f"{where}.id"] = _("required: lower-case letters, digits, '-' or '_'")
            continue
        if any(t.id == theme_id for t in themes):
            problems[f"{where}.id"] = _("duplicate theme id {id}").format(id=repr(theme_id))
            continue
        question_ids = item.get("questions", [])
        if not isinstance(question_ids, list) or not all(isinstance(q, str) for q in question_ids):
            problems[f"{where}.questions"] = _("must be a list of question ids")
            question_ids = []
        themes.append(
            Theme(
                id=theme_id,
                labels=_texts(item.get("label"), f"{where}.label", problems),
                question_ids=tuple(q.lower() for q in question_ids),
            )
        )
    return themes


def _questions(value: Any, problems: dict[str, str]) -> list[Question]:
    if not isinstance(value, list):
        problems["questions"] = _("must be a list of [[questions]] tables")
        return []
    questions: list[Question] = []
    for index, item in enumerate(value, start=1):
        where = f"questions[{index}]"
        if not isinstance(item, dict):
            problems[where] = _("must be a table")
            continue
        question_id = item.get("id")
        if not isinstance(question_id, str) or not ID_PATTERN.match(question_id.lower()):
            problems[f"{where}.id"] = _("required: letters, digits, '-' or '_'")
            continue
        question_id = question_id.lower()
        if any(q.id == question_id for q in questions):
            problems[f"{where}.id"] = _("duplicate question id {id}").format(id=repr(question_id))
            continue
        theme_id = item.get("theme", "")
        if not isinstance(theme_id, str):
            problems[f"{where}.theme"] = _("must be a theme id")
            theme_id = ""
        questions.append(
            Question(
                id=question_id,
                theme_id=theme_id,
                texts=_texts(item.get("text"), f"{where}.text", problems),
            )
        )
    return questions


def _cross_check(themes: list[Theme], questions: list[Question], problems: dict[str, str]) -> None:
    theme_ids = {t.id for t in themes}
    for index, question in enumerate(questions, start=1):
        if question.theme_id and question.theme_id not in theme_ids:
            problems[f"questions[{index}].theme"] = _("unknown theme {theme}").format(
                theme=repr(question.theme_id)
            )
    owner: dict[str, str] = {}
    for theme in themes:
        for question_id in theme.question_ids:
            if question_id in owner and owner[question_id] != theme.id:
                problems[f"themes.{theme.id}.questions"] = _(
                    "question {question} is already in theme {theme}"
                ).format(question=repr(question_id), theme=repr(owner[question_id]))
            owner[question_id] = theme.id
    for index, question in enumerate(questions, start=1):
        listed = owner.get(question.id)
        if listed and question.theme_id and listed != question.theme_id:
            problems[f"questions[{index}].theme"] = _(
                "says {theme} but theme {listed} lists {question}"
            ).format(theme=repr(question.theme_id), listed=repr(listed), question=repr(question.id))
