"""The consultation form's logic, without Streamlit: what the form holds, and how it is checked.

The Consultations page edits a `Draft`: the fields of a consultation definition as a person types
them (the window as a local date and time in the consultation's zone; themes and questions as
tables with one text column per language). `check` turns a draft into the dict its TOML would
hold and validates it with `consultation_from_dict`, the CLI's own validation, so the form accepts
exactly what `consultation add` accepts. `messages_by_field` places each problem next to the widget
it belongs to ("themes[2].id" under the themes table, as "Row 2 ...").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import pycountry

from dashboard.definition.consultation import (
    DEFAULT_SUPPRESSION_K,
    KNOWN_KEYS,
    Consultation,
    ConsultationError,
    consultation_from_dict,
    parse_consultation,
)
from dashboard.reference.i18n import _
from dashboard.reference.languages import UN_LANGUAGES, language_name, resolve_language

THEME_COLUMNS = ("id",)
QUESTION_COLUMNS = ("id", "theme")
# Where each problem is shown: a form field, the upload, or (for anything else) above Save.
FIELDS = (
    "file",
    "id",
    "title",
    "opens",
    "closes",
    "timezone",
    "languages",
    "suppression_k",
    "themes",
    "questions",
    "other",
)
_ROW_PROBLEM = re.compile(r"^(?P<table>themes|questions)\[(?P<index>\d+)\](?:\.(?P<part>\w+))?$")
_THEME_LIST_PROBLEM = re.compile(r"^themes\.(?P<theme>.+)\.questions$")


@dataclass
class Draft:
    """A consultation as the form holds it (not yet validated)."""

    id: str = ""
    title: str = ""  # in English, or written once in no stated language
    # The title in the other languages that have one (`title.fr = ...`), by language code.
    other_titles: dict[str, str] = field(default_factory=dict)
    opens_date: date | None = None
    opens_time: time | None = None
    closes_date: date | None = None
    closes_time: time | None = None
    timezone: str = "UTC"
    languages: list[str] = field(default_factory=lambda: ["en"])
    suppression_k: int = DEFAULT_SUPPRESSION_K
    themes: pd.DataFrame = field(default_factory=lambda: text_table(THEME_COLUMNS, ["en"], []))
    questions: pd.DataFrame = field(
        default_factory=lambda: text_table(QUESTION_COLUMNS, ["en"], [])
    )
    extra: dict[str, Any] = field(default_factory=dict)

    def text_languages(self) -> list[str]:
        """The languages that have a text column (the chosen ones, then any others in use)."""
        return [c for c in self.themes.columns if c not in THEME_COLUMNS]


@dataclass(frozen=True)
class Checked:
    """The outcome of checking a draft: the consultation, or the problems that prevent it."""

    consultation: Consultation | None
    problems: dict[str, str]
    # "themes[i]" / "questions[i]" (1-based, as the validation counts) -> the table row it is.
    rows: dict[str, dict[int, str]]


# --------------------------------------------------------------------------- choices


def language_options() -> list[str]:
    """ISO 639-1 codes: the six UN languages first, then the others by English name."""
    others = {
        lang.alpha_2
        for lang in pycountry.languages
        if getattr(lang, "alpha_2", None) and lang.alpha_2 not in UN_LANGUAGES
    }
    return [*UN_LANGUAGES, *sorted(others, key=lambda code: (language_name(code, "en"), code))]


# --------------------------------------------------------------------------- tables


def text_table(fixed: tuple[str, ...], languages: list[str], rows: list[dict]) -> pd.DataFrame:
    """A table of text cells: the fixed columns, then one column per language."""
    columns = [*fixed, *languages]
    frame = pd.DataFrame(
        [[row.get(column) for column in columns] for row in rows], columns=columns, dtype="string"
    )
    return frame.reset_index(drop=True)


def reshape(
    frame: pd.DataFrame,
    fixed: tuple[str, ...],
    languages: list[str],
    stash: dict[str, dict[str, str]] | None = None,
) -> pd.DataFrame:
    """`frame` with exactly the fixed columns and these language columns.

    With a `stash` (language -> row id -> text), the texts of a dropped language are put in it
    and a language added back gets its texts again, so turning a language off and on loses
    nothing."""
    stash = stash if stash is not None else {}
    rows = [{c: _cell(v) or None for c, v in row.items()} for row in frame.to_dict("records")]
    for column in frame.columns:
        if column not in fixed and column not in languages:
            kept = {_cell(r.get("id")): r[column] for r in rows if r[column] and _cell(r.get("id"))}
            if kept:
                stash[column] = kept
    for language in languages:
        if language not in frame.columns:
            texts = stash.pop(language, {})
            for row in rows:
                row[language] = texts.get(_cell(row.get("id")))
    return text_table(fixed, languages, rows)


def apply_edits(frame: pd.DataFrame, state: Any) -> pd.DataFrame:
    """`frame` with a data editor's edit state applied, as `st.data_editor` itself does:
    cell edits by row position, then deleted rows, then added rows."""
    if not state:
        return frame.reset_index(drop=True)
    result = frame.reset_index(drop=True).copy()
    for position, changes in dict(state.get("edited_rows") or {}).items():
        for column, value in changes.items():
            if column in result.columns and int(position) < len(result):
                result.iat[int(position), result.columns.get_loc(column)] = _cell(value) or None
    deleted = [p for p in state.get("deleted_rows") or [] if 0 <= int(p) < len(result)]
    result = result.drop(index=[int(p) for p in deleted])
    added = [
        {c: (_cell(v) or None) for c, v in row.items() if c in result.columns}
        for row in state.get("added_rows") or []
    ]
    if added:
        result = pd.concat(
            [result, pd.DataFrame(added, columns=result.columns, dtype="string")],
            ignore_index=True,
        )
    return result.reset_index(drop=True).astype("string")


def _cell(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _blank(row: dict[str, Any]) -> bool:
    return not any(_cell(v) for v in row.values())


# --------------------------------------------------------------------------- loading


def blank_draft(languages: list[str] | None = None) -> Draft:
    chosen = list(languages or ["en"])
    return Draft(
        languages=chosen,
        themes=text_table(THEME_COLUMNS, chosen, []),
        questions=text_table(QUESTION_COLUMNS, chosen, []),
    )


def draft_from_consultation(consultation: Consultation) -> Draft:
    return draft_from_dict(consultation.to_dict())


def draft_from_dict(data: dict[str, Any]) -> Draft:
    """The form's fields from a definition dict (`Consultation.to_dict()` or raw TOML), reading
    as much as it can. A wrong value the form can hold (an unknown zone or language, a k below
    1) is kept, so the form's own check flags it; what it cannot hold stays empty or default."""
    zone_name = data.get("timezone", "UTC")
    zone_name = zone_name if isinstance(zone_name, str) else "UTC"
    # An unknown zone: times with an offset are shown as written, until a zone is chosen.
    zone = _zone(zone_name)
    opens_date, opens_time = _local_parts(data.get("opens"), zone)
    closes_date, closes_time = _local_parts(data.get("closes"), zone)

    options = set(language_options())
    languages: list[str] = []
    for item in _list(data.get("languages")):
        code = resolve_language(item)
        code = code if code in options else str(item)
        if code not in languages:
            languages.append(code)

    k = data.get("suppression_k", DEFAULT_SUPPRESSION_K)
    if not isinstance(k, int) or isinstance(k, bool):
        k = DEFAULT_SUPPRESSION_K

    raw_themes = [t for t in _list(data.get("themes")) if isinstance(t, dict)]
    raw_questions = [q for q in _list(data.get("questions")) if isinstance(q, dict)]
    owner: dict[str, str] = {}
    theme_rows = []
    for item in raw_themes:
        theme_id = item.get("id") if isinstance(item.get("id"), str) else ""
        for question_id in _list(item.get("questions")):
            if isinstance(question_id, str) and theme_id:
                owner.setdefault(question_id.lower(), theme_id)
        theme_rows.append({"id": theme_id, **_texts(item.get("label"))})
    question_rows = []
    for item in raw_questions:
        question_id = item.get("id") if isinstance(item.get("id"), str) else ""
        theme = item.get("theme") if isinstance(item.get("theme"), str) else ""
        theme = theme or owner.get(question_id.lower(), "")
        question_rows.append({"id": question_id, "theme": theme, **_texts(item.get("text"))})
    listed = {str(row["id"]).lower() for row in question_rows}
    question_rows += [
        {"id": question_id, "theme": theme_id}
        for question_id, theme_id in owner.items()
        if question_id not in listed
    ]

    in_use = [
        key
        for row in (*theme_rows, *question_rows)
        for key in row
        if key not in QUESTION_COLUMNS and row[key]
    ]
    text_languages = [*languages, *dict.fromkeys(c for c in in_use if c not in languages)]
    titles = _texts(data.get("title"))
    return Draft(
        id=data["id"] if isinstance(data.get("id"), str) else "",
        title=titles.pop("en", ""),
        other_titles=titles,
        opens_date=opens_date,
        opens_time=opens_time,
        closes_date=closes_date,
        closes_time=closes_time,
        timezone=zone_name,
        languages=languages,
        suppression_k=k,
        themes=text_table(THEME_COLUMNS, text_languages, theme_rows),
        questions=text_table(QUESTION_COLUMNS, text_languages, question_rows),
        extra={key: value for key, value in data.items() if key not in KNOWN_KEYS},
    )


def read_upload(name: str, content: bytes) -> tuple[Draft | None, dict[str, str]]:
    """An uploaded TOML file: the draft to fill the form with (None when the file cannot be read
    at all) and the problems `parse_consultation` finds in it (empty when it is valid)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, {"file": _("{file} cannot be read: it is not UTF-8 text").format(file=name)}
    try:
        return draft_from_consultation(parse_consultation(text, source=name)), {}
    except ConsultationError as exc:
        problems = exc.problems
    if "toml" in problems:
        return None, problems
    return draft_from_dict(tomllib.loads(text)), problems


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _texts(value: Any) -> dict[str, str]:
    """Texts by language code, as `consultation._texts` reads them (a bare text is English)."""
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, dict):
        return {}
    texts = {}
    for key, text in value.items():
        if isinstance(text, str):
            code = resolve_language(key)
            texts[code if code != "und" else str(key)] = text
    return texts


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local_parts(value: Any, zone: ZoneInfo | None) -> tuple[date | None, time | None]:
    """A window bound as a date and a time in the consultation's zone (a bound without offset
    is read as already in that zone, as the form enters it)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None, None
    if isinstance(value, datetime):
        local = value.astimezone(zone) if value.tzinfo and zone else value
        return local.date(), local.time().replace(tzinfo=None)
    if isinstance(value, date):
        return value, None
    return None, None


# --------------------------------------------------------------------------- checking


def local_datetime(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock.replace(tzinfo=None), tzinfo=zone)


def _bound(draft: Draft, name: str, zone: ZoneInfo | None, problems: dict[str, str]):
    day, clock = getattr(draft, f"{name}_date"), getattr(draft, f"{name}_time")
    if day is None or clock is None:
        problems[name] = _("required: a date and a time")
        return None
    if zone is None:
        return None
    value = local_datetime(day, clock, zone)
    wall = value.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if wall != value.replace(tzinfo=None):
        problems[name] = _("{moment} does not exist in {zone} (the clocks change then)").format(
            moment=f"{value:%Y-%m-%d %H:%M}", zone=draft.timezone
        )
    return value


def title_value(draft: Draft) -> str | dict[str, str]:
    """The title as the definition writes it: one text, or a table by language when another
    language has one (`title.en`, `title.fr`, ...)."""
    others = {code: text for code, text in draft.other_titles.items() if text.strip()}
    if not others:
        return draft.title
    # A consultation in English needs its English title: left blank, the check says so.
    if draft.title.strip() or "en" in draft.languages:
        return {"en": draft.title, **others}
    return others


def to_dict(draft: Draft) -> tuple[dict[str, Any], dict[str, dict[int, str]]]:
    """The dict the draft's TOML would hold, and which table row each [[themes]] and
    [[questions]] entry comes from (blank rows are left out)."""
    # An unknown zone is a problem of its own; the window is still checked, as if in UTC.
    zone = _zone(draft.timezone) or ZoneInfo("UTC")
    data: dict[str, Any] = {
        "id": draft.id.strip(),
        "title": title_value(draft),
        "timezone": draft.timezone,
        "languages": list(draft.languages),
        "suppression_k": draft.suppression_k,
    }
    for name in ("opens", "closes"):
        value = _bound(draft, name, zone, {})
        if value is not None:
            data[name] = value
    data.update({k: v for k, v in draft.extra.items() if k not in KNOWN_KEYS})

    languages = draft.text_languages()
    rows: dict[str, dict[int, str]] = {"themes": {}, "questions": {}}
    questions = []
    for position, row in enumerate(draft.questions.to_dict("records"), start=1):
        if _blank(row):
            continue
        item: dict[str, Any] = {"id": _cell(row.get("id"))}
        if _cell(row.get("theme")):
            item["theme"] = _cell(row.get("theme"))
        item["text"] = {c: _cell(row.get(c)) for c in languages if _cell(row.get(c))}
        questions.append(item)
        rows["questions"][len(questions)] = _row_name(position, item["id"])
    themes = []
    for position, row in enumerate(draft.themes.to_dict("records"), start=1):
        if _blank(row):
            continue
        theme_id = _cell(row.get("id"))
        themes.append(
            {
                "id": theme_id,
                "label": {c: _cell(row.get(c)) for c in languages if _cell(row.get(c))},
                "questions": [
                    q["id"].lower() for q in questions if q["id"] and q.get("theme") == theme_id
                ],
            }
        )
        rows["themes"][len(themes)] = _row_name(position, theme_id)
    data["themes"] = themes
    data["questions"] = questions
    return data, rows


def check(draft: Draft, taken_ids: tuple[str, ...] = ()) -> Checked:
    """Validate the draft as the CLI validates a TOML file (plus what only a form can get
    wrong: a missing date or time, a local time that does not exist, an id already in use)."""
    form_problems: dict[str, str] = {}
    zone = _zone(draft.timezone)
    if zone is None:
        form_problems["timezone"] = _("unknown time zone {zone}; use an IANA name").format(
            zone=repr(draft.timezone)
        )
    for name in ("opens", "closes"):
        _bound(draft, name, zone, form_problems)
    if draft.id.strip() in taken_ids:
        form_problems["id"] = _(
            "{id} is already a consultation: choose it above to edit it"
        ).format(id=repr(draft.id.strip()))
    data, rows = to_dict(draft)
    try:
        consultation = consultation_from_dict(data)
        problems: dict[str, str] = {}
    except ConsultationError as exc:
        consultation, problems = None, dict(exc.problems)
    problems.update(form_problems)
    if problems:
        consultation = None
    return Checked(consultation=consultation, problems=problems, rows=rows)


def _row_name(position: int, row_id: str) -> str:
    if row_id:
        return _("Row {position} ({id})").format(position=position, id=repr(row_id))
    return _("Row {position}").format(position=position)


def messages_by_field(
    problems: dict[str, str], rows: dict[str, dict[int, str]] | None = None
) -> dict[str, list[str]]:
    """Each problem as a sentence, under the field it belongs to (see FIELDS)."""
    rows = rows or {}
    placed: dict[str, list[str]] = {}
    for key, message in problems.items():
        where = field_of(key)
        text = message[:1].upper() + message[1:]
        if match := _ROW_PROBLEM.match(key):
            index = int(match["index"])
            row = rows.get(where, {}).get(
                index, _("[[{table}]] table {index}").format(table=where, index=index)
            )
            # The part is a key of the TOML file (id, theme, text, label): kept as written.
            part = f", {match['part']}" if match["part"] else ""
            text = _("{row}: {message}").format(row=f"{row}{part}", message=message)
        elif match := _THEME_LIST_PROBLEM.match(key):
            text = _("Theme {theme}, questions: {message}").format(
                theme=repr(match["theme"]), message=message
            )
        elif where == "other":
            text = f"{key}: {message}"
        placed.setdefault(where, []).append(text)
    return placed


def field_of(key: str) -> str:
    """The form field (one of FIELDS) that a problem's key belongs to."""
    if key in FIELDS:
        return key
    if key == "toml":
        return "file"
    if match := _ROW_PROBLEM.match(key):
        return match["table"]
    if _THEME_LIST_PROBLEM.match(key):
        return "themes"
    return "other"


def field_values(draft: Draft) -> dict[str, Any]:
    """Each field's value, comparable with ==, to tell whether a field was changed."""

    def records(frame: pd.DataFrame) -> list[dict[str, str]]:
        return [{c: _cell(v) for c, v in row.items()} for row in frame.to_dict("records")]

    return {
        "id": draft.id,
        "title": title_value(draft),
        "opens": (draft.opens_date, draft.opens_time),
        "closes": (draft.closes_date, draft.closes_time),
        "timezone": draft.timezone,
        "languages": list(draft.languages),
        "suppression_k": draft.suppression_k,
        "themes": records(draft.themes),
        "questions": records(draft.questions),
    }
