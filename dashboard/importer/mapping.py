"""Which column of an export is which canonical field, and how to read its values.

A mapping is written in TOML (see the README). Columns whose header already names a canonical
field ("Respondent ID", "Submitted at", ...) or a question ("Q1", or the question's text in any
of the consultation's languages) need no mapping; `detect` fills those in, and what a mapping file
says wins over detection.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from dashboard.definition.consultation import Consultation
from dashboard.importer.headers import question_parts
from dashboard.importer.normalise import DATE_ORDERS
from dashboard.reference import i18n, zones
from dashboard.reference.i18n import _, ngettext

RESPONDENT_FIELDS = ("respondent_id", "submitted_at", "country", "language", "stakeholder_type")
LONG_FIELDS = ("question_id", "answer")
CANONICAL_FIELDS = RESPONDENT_FIELDS + LONG_FIELDS
SHAPES = ("wide", "long", "participation")

# Headers (compared folded: case, accents, spaces, '_' and '-' ignored) that name a field
# without a mapping. Kept short on purpose: a wrong guess is worse than asking.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "respondent_id": ("respondentid", "respondent", "identifiant", "идентификатор"),
    "submitted_at": ("submittedat", "submissiontime", "datedesoumission", "датаотправки"),
    "country": ("country", "pays", "pais", "страна", "国家", "البلد"),
    "language": ("language", "langue", "idioma", "язык", "语言", "اللغة"),
    "stakeholder_type": ("stakeholdertype", "typedacteur", "типучастника"),
    "question_id": ("questionid", "question"),
    "answer": ("answer", "reponse", "respuesta", "ответ"),
}


class MappingError(ValueError):
    def __init__(self, problems: dict[str, str], source: str = "") -> None:
        self.problems = problems
        listed = "; ".join(f"{k}: {v}" for k, v in problems.items())
        text = _("invalid mapping ({problems})").format(problems=listed)
        super().__init__(f"{i18n.isolate(source)}: {text}" if source else text)


@dataclass(frozen=True)
class Mapping:
    format: str | None = None  # None: detect
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # canonical field -> header
    questions: dict[str, str] = field(default_factory=dict)  # header -> question id (wide)
    defaults: dict[str, str] = field(default_factory=dict)  # canonical field -> constant
    day_first: bool | None = None  # None: infer from the values
    timezone: str | None = None  # None: the consultation's; an IANA name or "UTC-6"
    platform: str | None = None
    date_order: str | None = None  # "dmy", "mdy" or "ymd"; None: decide from the evidence

    @property
    def order(self) -> str | None:
        """The date order this mapping fixes, from `date_order` or the older `day_first`."""
        if self.date_order:
            return self.date_order
        return None if self.day_first is None else ("dmy" if self.day_first else "mdy")

    # Count a region's name ("Catalunya", "Texas") under its country; off, it stays Unknown.
    subnational_places: bool = False
    # Cell values that mean "blank" (compared trimmed, case ignored) in answers and respondent
    # fields: a platform's own, then the user's, both applied.
    blank_values: tuple[str, ...] = ()

    def merged_over(self, base: Mapping) -> Mapping:
        """This mapping's explicit choices on top of `base` (detection or a platform's)."""
        return Mapping(
            format=self.format or base.format,
            sheet=self.sheet or base.sheet,
            columns={**base.columns, **self.columns},
            questions={**base.questions, **self.questions}
            if self.questions or base.questions
            else {},
            defaults={**base.defaults, **self.defaults},
            # The date order is one choice, however it is written: this mapping's, if it makes it.
            day_first=self.day_first if self.order else base.day_first,
            date_order=self.date_order if self.order else base.date_order,
            timezone=self.timezone or base.timezone,
            platform=self.platform or base.platform,
            subnational_places=self.subnational_places or base.subnational_places,
            blank_values=tuple(dict.fromkeys(base.blank_values + self.blank_values)),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.platform:
            data["platform"] = self.platform
        if self.format:
            data["format"] = self.format
        if self.sheet:
            data["sheet"] = self.sheet
        data["columns"] = dict(self.columns)
        if self.questions:
            data["questions"] = dict(self.questions)
        if self.defaults:
            data["defaults"] = dict(self.defaults)
        parse: dict[str, Any] = {}
        if self.date_order:
            parse["date_order"] = self.date_order
        if self.day_first is not None:
            parse["day_first"] = self.day_first
        if self.timezone:
            parse["timezone"] = self.timezone
        if self.subnational_places:
            parse["subnational_places"] = True
        if self.blank_values:
            parse["blank_values"] = list(self.blank_values)
        if parse:
            data["parse"] = parse
        return data

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_dict())


def load_mapping(path: Path | str) -> Mapping:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(
            {"file": _("cannot be read ({problem})").format(problem=exc)}, str(path)
        ) from exc
    return parse_mapping(text, source=path.name)


def parse_mapping(text: str, source: str = "") -> Mapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(
            {"toml": _("not valid TOML ({problem})").format(problem=exc)}, source
        ) from exc
    problems: dict[str, str] = {}
    shape = data.get("format")
    if shape is not None and shape not in SHAPES:
        problems["format"] = _("must be one of {values}").format(values=", ".join(SHAPES))
    columns = _string_table(data, "columns", problems)
    unknown = set(columns) - set(CANONICAL_FIELDS)
    if unknown:
        problems["columns"] = ngettext(
            "unknown field {unknown}; the fields are {fields}",
            "unknown fields {unknown}; the fields are {fields}",
            len(unknown),
        ).format(unknown=", ".join(sorted(unknown)), fields=", ".join(CANONICAL_FIELDS))
    questions = {k: v.lower() for k, v in _string_table(data, "questions", problems).items()}
    defaults = _string_table(data, "defaults", problems)
    parse = data.get("parse", {})
    day_first = parse.get("day_first") if isinstance(parse, dict) else None
    if day_first is not None and not isinstance(day_first, bool):
        problems["parse.day_first"] = _("must be true or false")
    date_order = parse.get("date_order") if isinstance(parse, dict) else None
    if date_order is not None and date_order not in DATE_ORDERS:
        problems["parse.date_order"] = _(
            '{value} is not a date order; use one of {orders} ("dmy" reads 7/10/14 as '
            '7 October 2014, "mdy" as 10 July 2014)'
        ).format(value=repr(date_order), orders=", ".join(DATE_ORDERS))
    elif (
        date_order and isinstance(day_first, bool) and date_order != ("dmy" if day_first else "mdy")
    ):
        problems["parse.date_order"] = _(
            "date_order = {order} and day_first = {day_first} disagree; keep one of them"
        ).format(order=repr(date_order), day_first=str(day_first).lower())
    zone = parse.get("timezone") if isinstance(parse, dict) else None
    if zone is not None:
        try:
            zones.zone_info(zone)
        except zones.UnknownZone as problem:
            problems["parse.timezone"] = str(problem)
    subnational = parse.get("subnational_places", False) if isinstance(parse, dict) else False
    if not isinstance(subnational, bool):
        problems["parse.subnational_places"] = _("must be true or false")
    blank_values = parse.get("blank_values", []) if isinstance(parse, dict) else []
    if not isinstance(blank_values, list) or not all(
        isinstance(v, str) and v.strip() for v in blank_values
    ):
        problems["parse.blank_values"] = _('must be a list of texts, e.g. ["N/A", "-"]')
        blank_values = []
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        problems["sheet"] = _("must be a sheet name")
    if problems:
        raise MappingError(problems, source)
    return Mapping(
        format=shape,
        sheet=sheet,
        columns=columns,
        questions=questions,
        defaults=defaults,
        day_first=day_first,
        timezone=zone,
        platform=data.get("platform"),
        date_order=date_order,
        subnational_places=subnational is True,
        blank_values=tuple(blank_values),
    )


def _string_table(data: dict[str, Any], name: str, problems: dict[str, str]) -> dict[str, str]:
    table = data.get(name, {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        problems[name] = _("must be a table of text values")
        return {}
    return dict(table)


def fold(text: object) -> str:
    """A header or label folded for comparison: case, accents, spacing and '_'/'-' ignored."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_\-'’.:?¿!¡()\"]+", "", unicodedata.normalize("NFC", stripped))


def header_key(text: object) -> str:
    """A header as a person reads it: Unicode NFC, case ignored, any run of spaces (also no-break
    and other Unicode spaces) read as one space, none at either end. Files and hand-written
    mappings differ in exactly these ways ("Country\u00a0", "country") without meaning another
    column."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def with_file_headers(mapping: Mapping, headers: list[str]) -> Mapping:
    """The mapping with each column name it gives replaced by the file's own spelling of that
    header, where the two differ only as `header_key` allows and exactly one header fits; a
    name that fits none or several is left for the mapping check to report."""
    written: dict[str, list[str]] = {}
    for header in headers:
        written.setdefault(header_key(header), []).append(header)
    present = set(headers)

    def as_in_file(name: str) -> str:
        if name in present:
            return name
        fits = written.get(header_key(name), [])
        return fits[0] if len(fits) == 1 else name

    return replace(
        mapping,
        columns={field: as_in_file(name) for field, name in mapping.columns.items()},
        questions={as_in_file(name): question for name, question in mapping.questions.items()},
    )


def question_lookup(consultation: Consultation) -> dict[str, str]:
    """Folded question ids and texts (every language) to question ids."""
    lookup: dict[str, str] = {}
    for question in consultation.questions:
        for text in question.texts.values():
            lookup.setdefault(fold(text), question.id)
    for question in consultation.questions:
        lookup[fold(question.id)] = question.id
    return lookup


def detect(
    headers: list[str], consultation: Consultation, option_labels: dict[str, str] | None = None
) -> Mapping:
    """The mapping that the headers alone imply. A combined header ("question | option", a
    LimeSurvey `code[SQ001]`) matches by its question part, so every column of a question
    exported as one column per option maps to that question; `option_labels` says which part
    of a header is the option, never matched itself."""
    by_fold = {fold(h): h for h in reversed(headers)}
    columns = {}
    for canonical, names in HEADER_NAMES.items():
        for name in names:
            if name in by_fold:
                columns[canonical] = by_fold[name]
                break
    questions_by_text = question_lookup(consultation)
    claimed = set(columns.values())
    options = option_labels or {}
    questions = {}
    for header in headers:
        if header in claimed:
            continue
        for part in question_parts(header, options.get(header)):
            if fold(part) in questions_by_text:
                questions[header] = questions_by_text[fold(part)]
                break
    shape = "long" if {"question_id", "answer"} <= columns.keys() else "wide"
    if shape == "wide":
        columns.pop("question_id", None)
        columns.pop("answer", None)
    return Mapping(format=shape, columns=columns, questions=questions)


def with_format(mapping: Mapping, shape: str) -> Mapping:
    return replace(mapping, format=shape)
