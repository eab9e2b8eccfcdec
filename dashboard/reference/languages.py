"""Resolve free-text language values to ISO 639-1 codes, and name languages for display.

Consultation exports record the respondent's language in many shapes: ISO codes ("fr",
"fra", "fre"), locale tags ("fr-CA", "en_US.UTF-8", "zh-Hans-CN"), or a language name typed
or chosen in any of the six official UN languages ("French", "Français", "francés",
"Французский", "法语", "الفرنسية"). :func:`resolve_language` maps all of these to one ISO
639-1 code, or to ``"und"`` (undetermined) when the value is blank or not recognised.

Design rules:

* **No fuzzy guessing.** A value resolves only if it (or a well-defined reduction of it,
  see below) matches a code or a name exactly after normalisation. Anything else is
  ``"und"``.
* **The output is always an ISO 639-1 code or "und".** ISO 639-3 individual languages that
  belong to a macrolanguage with a 639-1 code resolve to that code ("cmn" -> "zh",
  "arb" -> "ar", "Cantonese" -> "zh", "Egyptian Arabic" -> "ar", "pes" -> "fa"). Languages
  with no 639-1 code at all ("Klingon", "Hawaiian", "Swiss German") resolve to ``"und"``.
* Legacy and deprecated codes follow CLDR: "iw" -> "he", "in" -> "id", "ji" -> "yi",
  "jw" -> "jv", "mo" -> "ro". "Filipino"/"fil" -> "tl" (the 639-1 code for Tagalog, on which
  Filipino is based). "sh"/"hbs"/"Serbo-Croatian" stay "sh" (still listed in ISO 639-1;
  merging it into Serbian, Croatian or Bosnian would be a guess).
* The pandas default missing-value markers ("NA", "N/A", "NaN", "null", "None", ...) are
  blank, as in :func:`pandas.read_csv`. Consequently the bare string "na" (the 639-1 code
  of Nauruan) is treated as missing ("Nauruan"/"nau" still resolve to "na"), and so is
  "nan" (the 639-3 code of Min Nan Chinese; "Min Nan Chinese" still resolves to "zh").

Name sources (earlier tiers win; a name that is ambiguous *within* a tier is dropped and is
then not claimed by a later tier either):

1. a short list of hand-written aliases (Mandarin, 汉语, 普通话, Castellano, Farsi, ...);
2. English names (babel's English locale and the ISO 639-3 names in pycountry);
3. names in the other five UN languages (babel fr, es, ru, ar, zh, zh_Hant);
4. autonyms of every language babel has locale data for ("Deutsch", "Kiswahili");
5. names of the six UN languages in every other babel locale ("Französisch");
6. every language's name in every babel locale ("Niederländisch", "韓国語"), and CLDR's name
   of the variant ca-ES-valencia ("valencià", "Valencian"), which is Catalan in ISO 639.

``matched_in_another_language`` says whether a value matched through a name that is not
English (not a code or tag either); the importer lists those in its report.

Matching normalises both the lookup keys and the input the same way: Unicode NFKC,
casefold, combining accents removed from Latin letters, Arabic diacritics/tatweel removed
and letter variants folded (أ/إ/آ -> ا, ى/ی -> ي, ة -> ه, ک -> ك), Turkic ı -> i,
apostrophes dropped, other punctuation and symbols turned into spaces, whitespace
collapsed. If the whole value does not match, these reductions are tried, each of which
must then match exactly:

* a trailing qualifier in parentheses is removed ("Chinese (Simplified)" -> "Chinese");
* a generic word for "language" is removed ("русский язык", "اللغة العربية",
  "French language", "langue française", "idioma español");
* a list of names separated by ``; , / |`` or a spaced dash resolves if every part
  resolves to the same code ("Spanish; Castilian", "English / Anglais").

The lookup tables are built once, on first use (loading babel data for a few hundred
locales takes roughly half a second; the country names read the same data).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

import pycountry
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers

__all__ = [
    "UNDETERMINED",
    "UN_LANGUAGES",
    "is_un_language",
    "language_name",
    "matched_in_another_language",
    "resolve_language",
    "resolve_languages",
]

#: The six official UN languages, in the alphabetical order of their English names.
UN_LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")

#: ISO 639-2 code for an undetermined language; returned for blank or unrecognised values.
UNDETERMINED = "und"

# Locales whose names for *all* languages are accepted (tier 2 is "en", tier 3 the rest).
_UN_LOCALES: tuple[str, ...] = ("en", "fr", "es", "ru", "ar", "zh", "zh_Hant")

# pandas' default ``na_values`` for read_csv, casefolded: these strings mean "missing".
_MISSING_STRINGS: frozenset[str] = frozenset(
    {
        "",
        "#n/a",
        "#n/a n/a",
        "#na",
        "-1.#ind",
        "-1.#qnan",
        "-nan",
        "1.#ind",
        "1.#qnan",
        "<na>",
        "n/a",
        "na",
        "null",
        "nan",
        "none",
    }
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Individual languages of the Chinese and Arabic macrolanguages (ISO 639-3), which CLDR's
# alias table does not already map (it maps "cmn" and "arb").
_MACROLANGUAGE_MEMBERS: Mapping[str, tuple[str, ...]] = {
    "zh": _words("cdo cjy cmn cnp cpx csp czh czo gan hak hsn lzh mnp nan wuu yue"),
    "ar": _words(
        "aao abh abv acm acq acw acx acy adf aeb aec afb ajp apc apd arb arq ars ary arz auz"
        " avl ayh ayl ayn ayp pga shu ssh"
    ),
}

# Codes whose CLDR replacement has no ISO 639-1 code, mapped by hand.
_EXTRA_CODES: Mapping[str, str] = {"fil": "tl"}

# Hand-written aliases (tier 1): common names that babel and pycountry do not list.
_EXTRA_NAMES: Mapping[str, tuple[str, ...]] = {
    "zh": (
        "Mandarin",
        "Mandarin Chinese",
        "Putonghua",
        "Mandarín",
        "chino mandarín",
        "мандаринский",
        "путунхуа",
        "الماندرين",
        "الصينية المبسطة",
        "الصينية التقليدية",
        "汉语",
        "漢語",
        "普通话",
        "普通話",
        "华语",
        "華語",
        "国语",
        "國語",
        "中国话",
        "中國話",
        "中文",
        "简体中文",
        "簡體中文",
        "繁体中文",
        "繁體中文",
        "中文简体",
        "中文繁体",
        "中文繁體",
        "Chinese Simplified",
        "Chinese Traditional",
        "chinois simplifié",
        "chinois traditionnel",
        "chino simplificado",
        "chino tradicional",
        "упрощённый китайский",
        "традиционный китайский",
    ),
    "ar": (
        "عربي",
        "عربى",
        "العربي",
        "العربية الفصحى",
        "الفصحى",
        "Arabe",
        "Arabic (Modern Standard)",
    ),
    "en": ("الإنكليزية", "الانكليزية", "إنجليزي", "انجليزي", "英文", "英語"),
    "fr": ("française", "فرنسي", "法文", "法語"),
    # ... and "Castilian" in Catalan and Galician ("castellà", "castelán"), which CLDR's own
    # names there ("espanyol", "español") do not give.
    "es": (
        "española",
        "Castellano",
        "Castilian",
        "castillan",
        "кастильский",
        "إسباني",
        "西班牙文",
        "castellà",
        "castelán",
    ),
    "ru": ("روسي", "俄文", "俄語"),
    "fa": ("Farsi", "Parsi"),
    "tl": ("Filipino", "Pilipino", "Wikang Filipino"),
    "ms": ("Bahasa Melayu", "Bahasa Malaysia"),
    "id": ("Bahasa Indonesia",),
    "sw": ("Kiswahili", "Swahili"),
    "el": ("Ελληνικά", "Greek"),
    "he": ("Ivrit",),
    "ro": ("Moldovan", "Moldavian"),
    # ISO 639 does not separate Valencian from Catalan: ISO 639-2 names "cat" "Catalan;
    # Valencian", and CLDR writes it as the variant ca-ES-valencia. So a Valencian answer is "ca".
    "ca": ("Valencià", "Valencian", "valenciano", "valencien"),
}

# The hand-written aliases above that are English, for `matched_in_another_language`.
_ENGLISH_ALIASES: frozenset[str] = frozenset(
    {
        "Mandarin",
        "Mandarin Chinese",
        "Chinese Simplified",
        "Chinese Traditional",
        "Arabic (Modern Standard)",
        "Castilian",
        "Farsi",
        "Filipino",
        "Swahili",
        "Greek",
        "Moldovan",
        "Moldavian",
        "Valencian",
    }
)

# Words meaning "language" that may surround a name ("русский язык", "اللغة العربية").
_LANGUAGE_WORD_RE = re.compile(
    r"^(?:اللغه|langue|idioma|lengua|language)\s+(?P<a>.+)$"
    r"|^(?P<b>.+?)\s+(?:язык|language|langue)$"
)

_TAG_RE = re.compile(
    r"(?P<primary>[a-z]{2,3})(?P<rest>(?:[-_][a-z0-9]{1,8})*)"
    r"(?:\.[a-z0-9-]+)?(?:@[a-z0-9]+)?",
    re.ASCII | re.IGNORECASE,
)
_SUBTAG_SPLIT_RE = re.compile(r"[-_]")
_TRAILING_PARENS_RE = re.compile(r"^(?P<base>.*?\S)\s*[(\[][^()\[\]]*[)\]]\s*$", re.DOTALL)
_LIST_SPLIT_RE = re.compile(r"\s*[;,/|]\s*|\s+[-–—]\s+")
_SPACES_RE = re.compile(r"\s+")
_CODE_LIKE_RE = re.compile(r"[A-Za-z]{2,3}")

_APOSTROPHES = "'’ʼʻ‘‛`´"
# Arabic: drop harakat, superscript alef and tatweel; fold common letter variants.
# Turkic dotless i folds to i (so "FRANSIZ" matches "fransız"); apostrophes are dropped.
_CHAR_FOLD: dict[int, str | None] = {
    **{cp: None for cp in range(0x064B, 0x0660)},
    0x0670: None,
    0x0640: None,
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ی"): "ي",
    ord("ة"): "ه",
    ord("ک"): "ك",
    ord("ı"): "i",
    **{ord(ch): "" for ch in _APOSTROPHES},
}


# --------------------------------------------------------------------------- normalising


@functools.cache
def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def _strip_latin_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    latin_base = False
    for ch in decomposed:
        if unicodedata.combining(ch):
            if latin_base:
                continue
        else:
            latin_base = _is_latin(ch)
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def _fold_punctuation(text: str) -> str:
    out = [
        " " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text.translate(_CHAR_FOLD)
    ]
    return _SPACES_RE.sub(" ", "".join(out)).strip()


def _normalise(text: str) -> str:
    """The matching key of a name: see the module docstring."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        folded = _strip_latin_marks(folded)
    return _fold_punctuation(folded)


# --------------------------------------------------------------------------- lookup tables


def _primary(code: str) -> str:
    return code.split("_", 1)[0].split("-", 1)[0].lower()


@functools.cache
def _codes() -> dict[str, str]:
    """Every accepted code (lower case) -> ISO 639-1 code."""
    codes: dict[str, str] = {}
    for lang in pycountry.languages:
        alpha_2 = getattr(lang, "alpha_2", None)
        if alpha_2 is None:
            continue
        codes[alpha_2] = alpha_2
        codes.setdefault(lang.alpha_3, alpha_2)
        bibliographic = getattr(lang, "bibliographic", None)
        if bibliographic:
            codes.setdefault(bibliographic, alpha_2)
    for code, target in _EXTRA_CODES.items():
        codes.setdefault(code, target)
    for target, members in _MACROLANGUAGE_MEMBERS.items():
        for member in members:
            codes.setdefault(member, target)
    aliases: Mapping[str, str] = get_global("language_aliases")
    for _ in range(3):  # follow alias chains (e.g. "ajp" -> "apc" -> "ar")
        for alias, replacement in aliases.items():
            target = codes.get(_primary(replacement))
            if target is not None:
                codes.setdefault(alias.lower(), target)
    codes.pop(UNDETERMINED, None)
    return codes


def _add_tier(names: dict[str, str], blocked: set[str], pairs: Iterable[tuple[str, str]]) -> None:
    """Add (name, code) pairs; a key claimed by two codes within the tier is blocked."""
    tier: dict[str, str] = {}
    for name, code in pairs:
        key = _normalise(name)
        if not key or key in names or key in blocked:
            continue
        if tier.get(key, code) != code:
            blocked.add(key)
            continue
        tier[key] = code
    for key, code in tier.items():
        if key not in blocked:
            names[key] = code


def _locale(identifier: str) -> Locale | None:
    try:
        return Locale.parse(identifier)
    except (UnknownLocaleError, ValueError):
        return None


def _locale_names(locale: Locale, codes: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    for key, name in locale.languages.items():
        code = codes.get(_primary(key))
        if code is not None:
            yield name, code


def _split_alternatives(name: str) -> Iterator[str]:
    """Yield a name and, for an ISO 639-2 style "Spanish; Castilian", each of its parts."""
    yield name
    if ";" in name:
        yield from (part.strip() for part in name.split(";"))


def _pycountry_names(codes: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    for lang in pycountry.languages:
        code = codes.get(getattr(lang, "alpha_2", None) or lang.alpha_3)
        if code is None:
            continue
        for attr in ("name", "common_name", "inverted_name"):
            value = getattr(lang, attr, None)
            if value:
                for name in _split_alternatives(value):
                    yield name, code


@functools.cache
def _autonym_locales() -> tuple[Locale, ...]:
    """Babel locales without a territory ("de", "sr_Latn") whose language has a 639-1 code."""
    codes = _codes()
    locales = []
    for identifier in sorted(locale_identifiers()):
        parts = identifier.split("_")
        if parts[0] not in codes or (len(parts) > 1 and len(parts[1]) != 4) or len(parts) > 2:
            continue
        locale = _locale(identifier)
        if locale is not None:
            locales.append(locale)
    return tuple(locales)


@functools.cache
def _names() -> dict[str, str]:
    """Every accepted normalised language name -> ISO 639-1 code."""
    codes = _codes()
    names: dict[str, str] = {}
    blocked: set[str] = set()
    _add_tier(
        names, blocked, ((n, code) for code, aliases in _EXTRA_NAMES.items() for n in aliases)
    )
    english = Locale.parse("en")
    _add_tier(names, blocked, [*_locale_names(english, codes), *_pycountry_names(codes)])
    un_locales = [loc for loc in map(_locale, _UN_LOCALES[1:]) if loc is not None]
    _add_tier(names, blocked, (pair for loc in un_locales for pair in _locale_names(loc, codes)))
    autonym_locales = _autonym_locales()

    def autonyms() -> Iterator[tuple[str, str]]:
        for loc in autonym_locales:
            code = codes[loc.language]
            for key, name in loc.languages.items():
                if _primary(key) == loc.language:
                    yield name, code
            yield loc.get_display_name(loc) or "", code

    _add_tier(names, blocked, autonyms())
    _add_tier(
        names,
        blocked,
        (
            (name, code)
            for loc in autonym_locales
            for code in UN_LANGUAGES
            if (name := loc.languages.get(code))
        ),
    )
    # Tier 6: every language's name in every locale babel ships ("Niederländisch", "韓国語").
    every_locale = [
        loc
        for identifier in sorted(locale_identifiers())
        if _is_base_locale(identifier) and (loc := _locale(identifier)) is not None
    ]
    # Some locales call a language by its country's name (Malay "Norway", Javanese "India"), and
    # Welsh "Cri" reads as Costa Rica's code: in a language column those are not languages.
    not_languages = {
        _normalise(name) for loc in [english, *un_locales] for name in loc.territories.values()
    }
    _add_tier(
        names,
        blocked,
        (
            (name, code)
            for loc in every_locale
            for name, code in _every_name(loc, codes)
            if _normalise(name) not in not_languages and not _CODE_LIKE_RE.fullmatch(name)
        ),
    )
    names.pop("", None)
    return names


def _is_base_locale(identifier: str) -> bool:
    """A locale without a territory ("de", "sr_Latn"): "de_AT" repeats "de"'s names."""
    parts = identifier.split("_")
    return len(parts) == 1 or (len(parts) == 2 and len(parts[1]) == 4)


def _every_name(locale: Locale, codes: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    yield from _locale_names(locale, codes)
    valencian = locale.variants.get("VALENCIA")  # CLDR's name of ca-ES-valencia
    if valencian:
        yield valencian, "ca"


# --------------------------------------------------------------------------- resolving


def _valid_subtags(subtags: list[str]) -> bool:
    """Whether the subtags after the primary language form a plausible BCP-47 tag."""
    i, n = 0, len(subtags)
    if i < n and len(subtags[i]) == 3 and subtags[i].isalpha():  # extlang ("zh-yue")
        i += 1
    if i < n and len(subtags[i]) == 4 and subtags[i].isalpha():  # script
        i += 1
    if i < n and (
        (len(subtags[i]) == 2 and subtags[i].isalpha())
        or (len(subtags[i]) == 3 and subtags[i].isdigit())
    ):  # region
        i += 1
    while i < n and (
        5 <= len(subtags[i]) <= 8 or (len(subtags[i]) == 4 and subtags[i][0].isdigit())
    ):  # variants
        i += 1
    if i < n and len(subtags[i]) == 1:  # extensions / private use: anything may follow
        return i + 1 < n
    return i == n


def _resolve_tag(text: str) -> str | None:
    match = _TAG_RE.fullmatch(text)
    if match is None:
        return None
    code = _codes().get(match["primary"].lower())
    if code is None:
        return None
    rest = match["rest"]
    if rest and not _valid_subtags(_SUBTAG_SPLIT_RE.split(rest)[1:]):
        return None
    return code


def _resolve_name(text: str, depth: int = 0) -> str | None:
    names = _names()
    key = _normalise(text)
    if not key:
        return None
    code = names.get(key)
    if code is not None:
        return code
    if depth > 2:
        return None
    parens = _TRAILING_PARENS_RE.match(text)
    if parens is not None:
        code = _resolve_one(parens["base"], depth + 1)
        if code is not None:
            return code
    word = _LANGUAGE_WORD_RE.match(key)
    if word is not None:
        code = names.get(word["a"] or word["b"])
        if code is not None:
            return code
    parts = [part for part in _LIST_SPLIT_RE.split(text) if part.strip()]
    if len(parts) > 1:
        found = {_resolve_one(part, depth + 1) for part in parts}
        if len(found) == 1:
            return found.pop()
    return None


def _resolve_one(text: str, depth: int = 0) -> str | None:
    stripped = unicodedata.normalize("NFKC", text).strip()
    if not stripped or stripped.casefold() in _MISSING_STRINGS:
        return None
    return _resolve_tag(stripped) or _resolve_name(stripped, depth)


@functools.lru_cache(maxsize=1 << 16)
def _resolve_text(text: str) -> str:
    return _resolve_one(text) or UNDETERMINED


def _is_missing(value: object) -> bool:
    """None, float NaN (incl. numpy), pandas.NA / NaT, Decimal NaN."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # pandas.NA refuses bool()
        return True


def resolve_language(raw: object) -> str:
    """The ISO 639-1 code of a language code, locale tag or language name, else ``"und"``.

    Blank values (None, NaN, pandas.NA, empty or whitespace-only strings, pandas' missing
    markers such as "N/A") and unrecognised values give ``"und"``. Non-string values are
    resolved through ``str(raw)`` (so ``12`` gives ``"und"``).
    """
    if isinstance(raw, str):
        return _resolve_text(raw)
    if _is_missing(raw):
        return UNDETERMINED
    return _resolve_text(str(raw))


def resolve_languages(values: Iterable[object]) -> dict[str, str]:
    """Resolve many values, each distinct value once.

    Returns ``{key: code}`` where the key is the value itself for strings and ``str(value)``
    for other non-missing values. Missing values (None, NaN, pandas.NA/NaT) are skipped:
    callers should treat a missing key as ``"und"``, e.g.
    ``series.map(mapping).fillna(UNDETERMINED)``.
    """
    resolved: dict[str, str] = {}
    for value in values:
        if isinstance(value, str):
            if value not in resolved:
                resolved[value] = _resolve_text(value)
        elif not _is_missing(value):
            key = str(value)
            if key not in resolved:
                resolved[key] = _resolve_text(key)
    return resolved


@functools.cache
def _english_keys() -> frozenset[str]:
    """Normalised English language names: CLDR's English names, ISO 639's and the English
    hand-written aliases."""
    codes = _codes()
    pairs = [*_locale_names(Locale.parse("en"), codes), *_pycountry_names(codes)]
    return frozenset(_normalise(name) for name in [*_ENGLISH_ALIASES, *(n for n, _ in pairs)])


def matched_in_another_language(raw: object) -> bool:
    """Whether ``raw`` resolves through a language name that is not English ("castellà",
    "Deutsch", "français", "русский"); codes and tags ("de", "fr-CA") and English names do not."""
    if not isinstance(raw, str) or resolve_language(raw) == UNDETERMINED:
        return False
    text = unicodedata.normalize("NFKC", raw).strip()
    if _resolve_tag(text) is not None:
        return False
    return _foreign_name(text)


def _foreign_name(text: str, depth: int = 0) -> bool:
    """Mirror of `_resolve_name`: whether the form that matched is outside the English names."""
    names, key = _names(), _normalise(text)
    if key in names:
        return key not in _english_keys()
    if depth > 2:
        return False
    parens = _TRAILING_PARENS_RE.match(text)
    if parens is not None and _resolve_one(parens["base"], depth + 1) is not None:
        base = parens["base"].strip()
        return _resolve_tag(base) is None and _foreign_name(base, depth + 1)
    word = _LANGUAGE_WORD_RE.match(key)
    if word is not None and (word["a"] or word["b"]) in names:
        return (word["a"] or word["b"]) not in _english_keys()
    parts = [part.strip() for part in _LIST_SPLIT_RE.split(text) if part.strip()]
    return any(_resolve_tag(part) is None and _foreign_name(part, depth + 1) for part in parts)


# --------------------------------------------------------------------------- display

_UNDETERMINED_NAMES: Mapping[str, str] = {
    "en": "Undetermined",
    "fr": "Indéterminée",
    "es": "Indeterminado",
    "ar": "غير محدد",
    "zh": "未确定",
    "ru": "Не определён",
}


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@functools.lru_cache(maxsize=64)
def _display_locale(display_locale: str) -> Locale:
    locale = _locale(display_locale.strip().replace("-", "_"))
    return locale if locale is not None else Locale.parse("en")


def language_name(code: str, display_locale: str = "en") -> str:
    """The display name of ``code`` in ``display_locale``, first letter capitalised.

    ``language_name("fr", "fr") == "Français"``; ``"und"`` gives "Undetermined" (or its
    equivalent in the six UN languages); a code babel does not know is returned unchanged.
    An unknown display locale falls back to English.
    """
    locale = _display_locale(display_locale)
    key = code.strip().replace("-", "_")
    if key.lower() == UNDETERMINED:
        return _UNDETERMINED_NAMES.get(locale.language) or _UNDETERMINED_NAMES["en"]
    languages = locale.languages
    name = languages.get(key) or languages.get(key.lower())
    return _capitalise(name) if name else code


def is_un_language(code: str) -> bool:
    """Whether ``code`` is one of the six official UN languages (case-insensitive)."""
    return isinstance(code, str) and code.strip().lower() in UN_LANGUAGES
