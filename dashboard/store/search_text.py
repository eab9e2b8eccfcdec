"""The word search's text: answers and search words folded alike, so that a search matches
whatever the accents, the case and the way a letter was typed, in the six UN languages.

`search_text` is the one fold. The importer stores it for every answer (`responses.answer_search`,
next to `answer_redacted`), the store fills it for rows of older stores, and the Responses page
folds the search words with it before they are bound to `queries/macros/searched_answers.sql`,
which then only compares: clean once, at import. What it does, letter by letter:

- compatibility forms are unified (Unicode NFKC/NFKD): full-width Ａ１，→ a1, ligatures ﬁ → fi,
  Arabic presentation forms → the letters, non-breaking spaces → spaces;
- case is folded (`str.casefold`): É → é, ß and ẞ → ss, final ς → σ;
- Latin and Greek letters lose their accents (decomposed, the combining marks dropped):
  participación → participacion, Straße → strasse, ç → c, ñ → n; the letters with a stroke or
  joined that Unicode does not decompose are spelt out: œ → oe, æ → ae, ø → o, ł → l, đ ð → d,
  þ → th, ı → i;
- Cyrillic letters keep their marks, since й (not и), ї, ў, ѓ, ќ are letters of their own, with
  one exception that Russian readers expect: ё → е (ёлка is found by елка and the other way
  round); the accents of stressed vowels (а́, ѐ, ѝ) are dropped;
- Arabic, as common Arabic retrieval does (Larkey's light normalisation, Lucene's
  ArabicNormalizer): harakat, shadda, sukun, superscript alef, Quranic marks and tatweel are
  removed; hamza on a seat and madda fall away with the other marks, so أ إ آ → ا, ؤ → و,
  ئ → ي (as the codebook's keywords fold them), and ٱ → ا; ى → ي; ة → ه; the Persian keyboard's
  ی → ي and ک → ك; Arabic-Indic digits → 0-9;
- Chinese keeps every ideograph as written: traditional and simplified characters are never
  converted into each other (a search for 发展 does not find 發展), and the search matches
  inside runs without spaces;
- typographic apostrophes (’ ‘ ʼ) become ' and dashes (‐ – —) become -; soft hyphens, zero-width
  spaces and joiners and direction marks are removed.

Each character is folded on its own (after NFC has joined a letter with the marks typed after
it), so the fold of a text is the fold of its characters, in order: that is what lets
`matched_spans` find, in the text as written, where a folded word matched.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd

# Bumped whenever the fold changes: a store whose search texts were made by another version has
# them made again when it is opened (dashboard/store/database.py).
VERSION = 1

# Marks that are accents (on Latin, Greek and stressed Cyrillic vowels): the Combining
# Diacritical Marks blocks. Marks of other scripts (Devanagari vowel signs, say) are kept.
_ACCENT_BLOCKS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
                  (0xFE20, 0xFE2F))  # fmt: skip
# Arabic marks written over or under letters: harakat, shadda, sukun, hamza and madda above and
# below (U+064B-065F), superscript alef, honorifics and Quranic annotation signs.
_ARABIC_MARKS = ((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06DC),
                 (0x06DF, 0x06E4), (0x06E7, 0x06E8), (0x06EA, 0x06ED))  # fmt: skip
_REMOVED = frozenset(
    {
        0x0640,  # Arabic tatweel (kashida), a stretch of the line
        0x00AD,  # soft hyphen
        0x200B,  # zero-width space
        0x200C,  # zero-width non-joiner
        0x200D,  # zero-width joiner
        0x200E,  # left-to-right mark
        0x200F,  # right-to-left mark
        0x2060,  # word joiner
        0xFEFF,  # zero-width no-break space (byte order mark)
    }
    | {c for low, high in _ACCENT_BLOCKS + _ARABIC_MARKS for c in range(low, high + 1)}
)
# Letters folded to others that Unicode does not decompose into them.
_SPELT_OUT = {
    "œ": "oe",
    "æ": "ae",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ё": "е",  # Cyrillic: the only letter that loses its mark
    "ٱ": "ا",  # alef wasla
    "ى": "ي",  # alef maqsura
    "ة": "ه",  # teh marbuta
    "ی": "ي",  # Farsi yeh
    "ک": "ك",  # keheh
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + n): str(n) for n in range(10)},  # Eastern Arabic-Indic digits
}


def _is_cyrillic(char: str) -> bool:
    return (
        "\u0400" <= char <= "\u052f"
        or "\u1c80" <= char <= "\u1c8f"
        or ("\u2de0" <= char <= "\u2dff" or "\ua640" <= char <= "\ua69f")
    )


def _fold_once(char: str) -> str:
    """One step of the fold of one character (repeated by `_fold_char` until it holds)."""
    if ord(char) in _REMOVED:
        return ""
    if char in _SPELT_OUT:
        return _SPELT_OUT[char]
    lowered = char.casefold()
    if lowered != char:
        return lowered
    if _is_cyrillic(char) and char not in "ѐѝ":
        # A Cyrillic letter keeps its mark (й stays й); only compatibility forms are unified.
        return unicodedata.normalize("NFKC", char)
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if ord(c) not in _REMOVED)
    # Recomposed: what is left of a Hangul syllable or a mark of another script, as NFC has it.
    return unicodedata.normalize("NFC", kept)


def _fold_char(char: str) -> str:
    """The fold of one character: every character of it folds to itself."""
    folded = char
    for _ in range(8):
        again = "".join(_fold_once(c) for c in folded)
        if again == folded:
            return folded
        folded = again
    return folded


class _Folds(dict):
    """The characters the fold changes, with their folds: made once for the Basic Multilingual
    Plane (a tenth of a second); a character beyond it (an emoji, a mathematical letter) is
    folded when first met."""

    def __missing__(self, char: str) -> str:
        folded = self[char] = _fold_char(char)
        return folded


@cache
def _changed() -> tuple[re.Pattern[str], _Folds]:
    """A pattern matching every character the fold changes, and what each becomes: a text is
    then copied once by C code, and Python runs only for its accents and capitals (two to three
    times as fast as `str.translate` over every character)."""
    folds = _Folds()
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are not characters
        char = chr(code)
        # Only these can change (the rest keep their case and have no decomposition): the
        # table is made in a few hundredths of a second, as every import makes it.
        if (
            code in _REMOVED
            or char in _SPELT_OUT
            or unicodedata.decomposition(char)
            or char.casefold() != char
        ):
            folded = _fold_char(char)
            if folded != char:
                folds[char] = folded
    ranges = []
    for _, run in itertools.groupby(enumerate(sorted(map(ord, folds))), lambda p: p[1] - p[0]):
        codes = [code for _, code in run]
        low, high = re.escape(chr(codes[0])), re.escape(chr(codes[-1]))
        ranges.append(low if low == high else f"{low}-{high}")
    return re.compile("[" + "".join(ranges) + "\U00010000-\U0010ffff]"), folds


def search_text(text: str) -> str:
    """The text as the word search compares it (see the module notes)."""
    if text.isascii():
        return text.lower()
    if not unicodedata.is_normalized("NFC", text):
        # A letter typed as base + combining mark (e + ́) becomes the one letter (é), so that
        # й typed in two pieces stays й and é typed in two pieces folds like é.
        text = unicodedata.normalize("NFC", text)
    pattern, folds = _changed()
    return pattern.sub(lambda match: folds[match.group()], text)


def search_words(query: str) -> tuple[str, ...] | None:
    """The words of a search box, folded like the answers; None for no word."""
    return tuple(search_text(query).split()) or None


def search_texts(values: pd.Series) -> pd.Series:
    """`search_text` of every text of a Series (same index and name); each distinct text is
    folded once, so repeated answers cost nothing."""
    if values.empty:
        return pd.Series([], index=values.index, name=values.name, dtype=object)
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    folded = np.array([search_text(str(text)) for text in distinct] + [None], dtype=object)
    return pd.Series(folded[codes], index=values.index, name=values.name, dtype=object)


def search_columns(written: pd.Series, redacted: pd.Series) -> pd.DataFrame:
    """The store's two search texts of answers given as written and redacted (same index):
    `answer_search`, the redacted text folded, and `answer_written_search`, the text as written
    folded where redaction changed it (None elsewhere: the same as `answer_search`)."""
    changed = (written != redacted).to_numpy(dtype=bool)
    written_search = np.full(len(written), None, dtype=object)
    if changed.any():
        written_search[changed] = search_texts(written[changed]).to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "answer_search": search_texts(redacted),
            "answer_written_search": pd.Series(written_search, index=written.index, dtype=object),
        },
        index=written.index,
    )


def _folded_with_positions(text: str) -> tuple[str, list[int], list[int]]:
    """The fold of `text`, and for each of its characters where in `text` the character (with
    the marks typed after it) it came from starts and ends."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and unicodedata.category(text[end]).startswith("M"):
            end += 1  # a letter and the marks typed after it fold together
        piece = search_text(text[index:end])
        pieces.append(piece)
        starts += [index] * len(piece)
        ends += [end] * len(piece)
        index = end
    return "".join(pieces), starts, ends


def matched_spans(text: str, words: Iterable[str] | None) -> list[tuple[int, int]]:
    """Where, in the text as written, the folded search words occur in its fold: merged
    (start, end) spans, for highlighting on screen (the few answers of a page)."""
    words = [w for w in (words or ()) if w]
    if not words or not text:
        return []
    folded, starts, ends = _folded_with_positions(text)
    if folded != search_text(text):
        # Letters joined across what was typed apart (Hangul jamo): no span, not a wrong one.
        return []
    spans = []
    for word in words:
        at = folded.find(word)
        while at != -1:
            spans.append((starts[at], ends[at + len(word) - 1]))
            at = folded.find(word, at + 1)
    return merge_spans(spans)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) spans sorted, with overlapping ones joined, for highlighting."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
