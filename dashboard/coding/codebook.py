"""The codebook: the finer topics analysts code answers by, and the keywords that find them.

A codebook belongs to one consultation and is written in TOML (see the README):

    [[codes]]
    id = "reprisals"
    theme = "protection"                 # a theme of the consultation (optional)
    label.en = "Reprisals for engaging with the UN"
    label.fr = "Représailles pour avoir coopéré avec l'ONU"
    keywords = ["reprisal*", "retaliat*", "représailles", "报复", "انتقام"]

Keywords of any language match answers in every language. How a keyword matches:
- case does not matter; text and keyword are folded alike (`fold`): Arabic letter variants
  (أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي) and Arabic diacritics and tatweel, Russian ё → е,
  typographic apostrophes and runs of spaces;
- in Latin, Cyrillic, Greek and other spaced scripts a keyword matches whole words: "fund"
  finds "fund" but not "fundamental"; a `*` at its end lets the word go on ("fund*" finds
  "funding"), one at its start lets it begin earlier ("*agent" finds "foreign-agent");
- Chinese and Japanese are written without spaces: their keywords match anywhere;
- Arabic joins articles and conjunctions to the word that follows (و ف ب ل ك ال ...) and endings
  to its end: an Arabic keyword matches at the start of a word or after those prefixes, and the
  word may go on.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import tomli_w

from dashboard.definition.consultation import Consultation, DefinitionError
from dashboard.store.search_text import merge_spans

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
UN_LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
KNOWN_KEYS = frozenset({"id", "theme", "label", "keywords", "description"})

_ARABIC_DIACRITICS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]
_FOLDS = {
    **dict.fromkeys(map(ord, _ARABIC_DIACRITICS), None),
    **{ord(c): "ا" for c in "أإآٱ"},
    ord("ى"): "ي",
    ord("ئ"): "ي",
    ord("ؤ"): "و",
    ord("ة"): "ه",
    ord("ё"): "е",
    **{ord(c): "'" for c in "’‘ʼ`´"},
    **{ord(c): "-" for c in "‐‑‒–—"},
}
_SPACES = re.compile(r"\s+")
# Letters Arabic writes onto the front of a word: conjunctions, prepositions, the article.
ARABIC_PREFIXES = frozenset(
    [
        "و",
        "ف",
        "ب",
        "ل",
        "ك",
        "ال",
        "وال",
        "فال",
        "بال",
        "كال",
        "لل",
        "ولل",
        "فلل",
        "وب",
        "ول",
        "فب",
    ]
)


_FOLDED_CHARS = re.compile("[" + re.escape("".join(map(chr, _FOLDS))) + "]")
_FOLD_TO = {chr(k): v or "" for k, v in _FOLDS.items()}


def fold(text: str) -> str:
    """Text as the matcher compares it (see the module notes). Written for speed: a million
    answers pass through here on every re-tagging, so each step runs only where needed."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        text = _FOLDED_CHARS.sub(lambda m: _FOLD_TO[m.group()], text.lower())
    else:
        text = text.lower()
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    return text


# CJK ideographs (and extension A), and the Japanese kana written between them without spaces.
HAN_RANGES = (("\u4e00", "\u9fff"), ("\u3400", "\u4dbf"), ("\u3040", "\u30ff"))


def script_of(keyword: str) -> str:
    """'han' for Chinese or Japanese, 'arabic', or 'spaced' for every script that separates
    words with spaces."""
    for char in keyword:
        if any(low <= char <= high for low, high in HAN_RANGES):
            return "han"
        if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f":
            return "arabic"
    return "spaced"


class CodebookError(DefinitionError):
    """A codebook that cannot be accepted; fields are named like "codes.reprisals.keywords"."""

    what = "codebook"


@dataclass(frozen=True)
class Code:
    id: str
    labels: dict[str, str]
    keywords: tuple[str, ...] = ()
    theme_id: str = ""
    description: str = ""

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels.get("en") or self.id


@dataclass(frozen=True)
class Codebook:
    codes: tuple[Code, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def labels(self, language: str = "en") -> dict[str, str]:
        return {c.id: c.label(language) for c in self.codes}

    def to_dict(self) -> dict[str, Any]:
        codes = []
        for c in self.codes:
            entry: dict[str, Any] = {"id": c.id}
            if c.theme_id:
                entry["theme"] = c.theme_id
            entry["label"] = dict(c.labels)
            if c.description:
                entry["description"] = c.description
            entry["keywords"] = list(c.keywords)
            codes.append(entry)
        return {**self.extra, "codes": codes}

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_dict())


def load_codebook(path: Path | str, consultation: Consultation | None = None) -> Codebook:
    path = Path(path)
    return parse_codebook(path.read_text(encoding="utf-8"), consultation, source=path.name)


def parse_codebook(
    text: str, consultation: Consultation | None = None, source: str = ""
) -> Codebook:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CodebookError({"file": f"not valid TOML: {error}"}, source) from None
    return codebook_from_dict(data, consultation, source)


def codebook_from_dict(
    data: dict[str, Any], consultation: Consultation | None = None, source: str = ""
) -> Codebook:
    """A checked codebook; every problem is collected with the field it belongs to. Themes are
    checked against the consultation when one is given."""
    problems: dict[str, str] = {}
    entries = data.get("codes", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CodebookError({"codes": "must be a list of [[codes]] tables"}, source)
    themes = {t.id for t in consultation.themes} if consultation else None
    codes: list[Code] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries):
        where = f"codes[{number}]"
        code_id = entry.get("id")
        if not isinstance(code_id, str) or not ID_PATTERN.match(code_id):
            problems[f"{where}.id"] = (
                "must be lower-case letters, digits, '-' or '_' (at most 64), starting with a "
                f"letter or digit; got {code_id!r}"
            )
            continue
        where = f"codes.{code_id}"
        if code_id in seen:
            problems[f"{where}.id"] = "is used by two codes"
        seen.add(code_id)
        unknown = sorted(set(entry) - KNOWN_KEYS)
        if unknown:
            problems[f"{where}"] = f"unknown key(s) {', '.join(unknown)}"
        theme = entry.get("theme", "")
        if not isinstance(theme, str):
            problems[f"{where}.theme"] = "must be a theme id"
            theme = ""
        elif theme and themes is not None and theme not in themes:
            problems[f"{where}.theme"] = (
                f"{theme!r} is not a theme of the consultation ({', '.join(sorted(themes))})"
            )
        labels = entry.get("label", {})
        if isinstance(labels, str):
            labels = {"en": labels}
        if not isinstance(labels, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in labels.items()
        ):
            problems[f"{where}.label"] = 'must be texts by language, e.g. label.en = "..."'
            labels = {}
        labels = {k: v.strip() for k, v in labels.items() if v.strip()}
        if not labels:
            problems.setdefault(f"{where}.label", "needs at least one label (label.en)")
        keywords = entry.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            problems[f"{where}.keywords"] = "must be a list of texts"
            keywords = []
        cleaned = []
        for keyword in keywords:
            if not fold(keyword.strip("* ")).strip():
                problems[f"{where}.keywords"] = f"{keyword!r} has nothing to match"
            elif "*" in keyword.strip().strip("*"):
                problems[f"{where}.keywords"] = (
                    f"{keyword!r}: a '*' may only open or close a keyword"
                )
            elif keyword.strip() not in cleaned:
                cleaned.append(keyword.strip())
        description = entry.get("description", "")
        codes.append(
            Code(
                id=code_id,
                labels=labels,
                keywords=tuple(cleaned),
                theme_id=theme,
                description=description if isinstance(description, str) else "",
            )
        )
    named = data.get("consultation")
    if consultation is not None and named is not None and named != consultation.id:
        problems["consultation"] = f"the codebook is for {named!r}, not for {consultation.id!r}"
    if problems:
        raise CodebookError(problems, source)
    extra = {k: v for k, v in data.items() if k != "codes"}
    return Codebook(codes=tuple(codes), extra=extra)


# The codebook as a table to edit: one row per code, keywords joined by "; ".
TABLE_COLUMNS = ("id", "theme", *(f"label_{lang}" for lang in UN_LANGUAGES), "keywords")


def codebook_rows(codebook: Codebook) -> list[dict[str, Any]]:
    return [
        {
            "id": code.id,
            "theme": code.theme_id or None,
            **{f"label_{lang}": code.labels.get(lang, "") for lang in UN_LANGUAGES},
            "keywords": "; ".join(code.keywords),
        }
        for code in codebook.codes
    ]


def rows_to_dict(rows: Iterable[dict[str, Any]], extra: dict[str, Any]) -> dict[str, Any]:
    """An edited table back in the TOML file's shape, for the same checks (empty rows, as a
    table editor leaves them, are dropped)."""

    def text(value: Any) -> str:
        return value.strip() if isinstance(value, str) else ""

    codes = []
    for row in rows:
        if not any(text(v) for v in row.values()):
            continue
        codes.append(
            {
                "id": text(row.get("id")),
                **({"theme": text(row["theme"])} if text(row.get("theme")) else {}),
                "label": {
                    lang: text(row.get(f"label_{lang}"))
                    for lang in UN_LANGUAGES
                    if text(row.get(f"label_{lang}"))
                },
                "keywords": [k.strip() for k in text(row.get("keywords")).split(";") if k.strip()],
            }
        )
    return {**extra, "codes": codes}


@dataclass(frozen=True)
class _Rule:
    code_id: str
    keyword: str  # as written in the codebook: what a tag says it matched
    length: int  # of the folded keyword
    whole_start: bool
    whole_end: bool
    arabic: bool
    word_goes_on: bool  # the matched word may continue (an open end, or Arabic endings)


@dataclass(frozen=True)
class Match:
    code_id: str
    keyword: str
    start: int  # in the folded text
    end: int
    word_goes_on: bool = False


def _rule(code_id: str, keyword: str) -> tuple[str, _Rule]:
    script = script_of(keyword)
    open_start = keyword.startswith("*")
    open_end = keyword.endswith("*")
    folded = fold(keyword.strip("*").strip())
    return folded, _Rule(
        code_id=code_id,
        keyword=keyword,
        length=len(folded),
        whole_start=script == "spaced" and not open_start,
        whole_end=script == "spaced" and not open_end,
        arabic=script == "arabic" and not open_start,
        word_goes_on=script == "arabic" or (script == "spaced" and open_end),
    )


def _word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char) == "Mn"


class Tagger:
    """Every code of a codebook, compiled once into one Aho-Corasick automaton: each answer is
    read once whatever the number of keywords, then each hit is checked against its rule."""

    def __init__(self, codebook: Codebook) -> None:
        rules: dict[str, list[_Rule]] = {}
        for code in codebook.codes:
            for keyword in code.keywords:
                folded, rule = _rule(code.id, keyword)
                rules.setdefault(folded, []).append(rule)
        self.codebook = codebook
        self._automaton = ahocorasick.Automaton()
        for folded, entries in rules.items():
            self._automaton.add_word(folded, tuple(entries))
        self._empty = not rules
        if not self._empty:
            self._automaton.make_automaton()

    def matches(self, text: str) -> Iterator[Match]:
        """Every keyword hit in the text that its rule accepts (a code may hit several times)."""
        if self._empty or not text:
            return
        folded = fold(text)
        for last, entries in self._automaton.iter(folded):
            for rule in entries:
                end = last + 1
                if _accepts(rule, folded, end):
                    yield Match(rule.code_id, rule.keyword, end - rule.length, end,
                                rule.word_goes_on)  # fmt: skip

    def tag(self, text: str) -> dict[str, str]:
        """The codes the text matches, each with the first keyword that found it. (No `Match`
        objects: this runs once per answer on every re-tagging.)"""
        if self._empty or not text:
            return {}
        folded = fold(text)
        found: dict[str, str] = {}
        for last, entries in self._automaton.iter(folded):
            for rule in entries:
                if rule.code_id in found:
                    continue
                if _accepts(rule, folded, last + 1):
                    found[rule.code_id] = rule.keyword
        return found

    def tag_all(self, texts: Iterable[str]) -> Iterator[tuple[int, str, str]]:
        """(position of the text, code id, keyword) for every code every text matches."""
        for position, text in enumerate(texts):
            for code_id, keyword in self.tag(text).items():
                yield position, code_id, keyword


def _accepts(rule: _Rule, folded: str, end: int) -> bool:
    """Whether a hit of the rule's keyword ending at `end` in the folded text counts."""
    if rule.whole_end and end < len(folded) and _word_char(folded[end]):
        return False
    start = end - rule.length
    if rule.whole_start and start > 0 and _word_char(folded[start - 1]):
        return False
    return not rule.arabic or _arabic_word_start(folded, start)


def _arabic_word_start(folded: str, start: int) -> bool:
    begin = start
    while begin > 0 and _word_char(folded[begin - 1]):
        begin -= 1
    return begin == start or folded[begin:start] in ARABIC_PREFIXES


def highlight_spans(text: str, tagger: Tagger, code_ids: Iterable[str]) -> list[tuple[int, int]]:
    """Where, in the text as written, the keywords of the given codes matched: merged
    (start, end) spans, for highlighting on screen."""
    wanted = set(code_ids)
    folded_to_original = _fold_map(text)
    spans = []
    for match in tagger.matches(text):
        if match.code_id in wanted and match.end <= len(folded_to_original):
            start = folded_to_original[match.start]
            end = folded_to_original[match.end - 1] + 1
            while match.word_goes_on and end < len(text) and _word_char(text[end]):
                end += 1  # the whole word: "fund*" shows "funding"
            spans.append((start, end))
    return merge_spans(spans)


def _fold_map(text: str) -> list[int]:
    """For each character of `fold(text)`, the index in `text` it came from (character by
    character, so only for the few answers on screen)."""
    positions: list[int] = []
    folded = ""
    for index, char in enumerate(text):
        piece = fold(char) if not char.isspace() else " "
        if piece == " " and folded.endswith(" "):
            continue
        folded += piece
        positions += [index] * len(piece)
    # `fold` of the whole text may differ from the pieces' sum only at the ends of runs of
    # spaces; those never start or end a match.
    return positions
