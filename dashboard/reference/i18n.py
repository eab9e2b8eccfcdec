"""The interface in the six UN languages: gettext catalogues, the current language, and numbers,
dates and names written for it.

The catalogues are `.po` files under `locales/<lang>/LC_MESSAGES/dashboard.po`, made from the
template `locales/dashboard.pot` (`make messages` extracts it from the code and updates every
catalogue). They are read directly with babel and compiled in memory, once per language, so no
generated `.mo` file lives in the repository and nothing has to be built before the app runs.

The language in force lives in a context variable (English unless set): the app sets it for
each run of a page, the CLI for a command, and `using(lang)` sets it for a block. Interface text
is written in English in the code and marked: `_("...")` translates now, `N_("...")` marks a
module-level constant translated where it is used (`_(CONSTANT)`), `ngettext` chooses a plural
form by the count, `pgettext` gives a word its context where English is ambiguous. Messages are
whole sentences with named placeholders, filled after translation:
`_("{count} respondents").format(count=...)`, so a translator can reorder them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import datetime
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol
from babel.support import Translations

from dashboard.reference.languages import language_name as _language_name

# The six official UN languages, in the UN's order, each named in its own language and script.
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
NATIVE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
DEFAULT = "en"
RIGHT_TO_LEFT = frozenset({"ar"})
DOMAIN = "dashboard"
LOCALES = Path(__file__).with_name("locales")
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
# Unicode first-strong isolate and pop directional isolate: an id or a code set inside a
# right-to-left sentence keeps its own direction, and the sentence keeps its order around it.
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"

_current: ContextVar[str] = ContextVar("dashboard_language", default=DEFAULT)


def catalogue_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def supported(lang: object) -> str | None:
    """`lang` as one of the six codes ("fr-CH", "FR", "zh_Hans" → "fr", "fr", "zh"), or None."""
    if not isinstance(lang, str):
        return None
    primary = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES else None


def negotiate(*preferences: object) -> str:
    """The first of `preferences` (language tags, as a browser sends them) that is one of the
    six languages, else English."""
    for preference in preferences:
        found = supported(preference)
        if found:
            return found
    return DEFAULT


def current() -> str:
    """The language in force ("en" unless set)."""
    return _current.get()


def activate(lang: str) -> Token:
    """Make `lang` the language in force for the rest of this context (a page's run); an
    unknown code means English. Returns the token `deactivate` takes back."""
    return _current.set(supported(lang) or DEFAULT)


def deactivate(token: Token) -> None:
    _current.reset(token)


@contextmanager
def using(lang: str) -> Iterator[str]:
    """The block in `lang`; the language in force before it is restored after, whatever
    happens inside."""
    token = activate(lang)
    try:
        yield current()
    finally:
        deactivate(token)


def is_rtl(lang: str | None = None) -> bool:
    return (lang or current()) in RIGHT_TO_LEFT


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang` (built in memory from its .po file, once); English, and
    a language without a catalogue, translate nothing. Fuzzy entries are not used."""
    path = catalogue_path(lang)
    if lang == DEFAULT or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _(message: str) -> str:
    """`message` in the language in force (English, the message itself, where there is no
    translation)."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count`, by the plural rules of the language in force (one
    and other in English; one, few and many in Russian; six forms in Arabic)."""
    return translations(current()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` translated in `context`, for a word English uses in two senses."""
    return translations(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a constant for translation where it is defined; `_(constant)` translates it."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks a constant with a context; `pgettext(context, constant)` translates it."""
    return message


def pick(texts: Mapping[str, str], default: str = "") -> str:
    """A consultation's text (a theme's label, a question, a code's label) in the language in
    force; else the English one, else any, marked with its language ("Protection (en)") so a
    reader knows it is not theirs; `default` when there is none."""
    lang = current()
    if texts.get(lang):
        return texts[lang]
    for other in ("en", *texts):
        if texts.get(other):
            if lang == DEFAULT:  # English as it always read: the text alone
                return texts[other]
            return _("{text} ({language})").format(text=texts[other], language=isolate(other))
    return default


def isolate(text: object) -> str:
    """`text` wrapped in directional isolates when the language in force is written right to
    left (ids, codes, file names inside an Arabic sentence); unchanged otherwise."""
    text = "" if text is None else str(text)
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_ISOLATE}" if is_rtl() else text


# ---- numbers, dates and names for the language in force ----------------------------------------


def locale(lang: str | None = None) -> str:
    """Babel's locale for a language ("zh" reads as Simplified Chinese)."""
    return {"zh": "zh_Hans"}.get(lang or current(), lang or current())


def number(value: float | int, lang: str | None = None) -> str:
    """A count as people of the language write it: 3,000 (en), 3 000 (fr), 3.000 (es)."""
    return format_decimal(int(value), locale=locale(lang))


def percent(share: float, decimals: int = 1, lang: str | None = None) -> str:
    """A share (0.123) as a percentage with `decimals` places, in the language's own pattern:
    12.3% (en), 12,3 % (fr)."""
    where = locale(lang)
    pattern = Locale.parse(where).percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * decimals, 1)
    return format_percent(share, pattern, locale=where)


def separators(lang: str | None = None) -> str:
    """Plotly's `separators` (decimal mark, then thousands mark) for the language."""
    where = locale(lang)
    return get_decimal_symbol(where) + get_group_symbol(where)


def day(moment: datetime, lang: str | None = None) -> str:
    """A day in text: "13 Jan 2020" in English (the house style), the language's own medium
    date elsewhere ("13 janv. 2020", "2020年1月13日")."""
    lang = lang or current()
    if lang == DEFAULT:
        return format_datetime(moment, "d MMM y", locale="en")
    return format_skeleton("yMMMd", moment, locale=locale(lang))


def short_day(moment: datetime, lang: str | None = None, *, with_year: bool = False) -> str:
    """A day as a date axis labels it, month abbreviated as the language does: "Jan 13" (en),
    "13 janv." (fr), "13 янв." (ru), "1月13日" (zh), "13 يناير" (ar); with the year when
    `with_year`."""
    return format_skeleton("yMMMd" if with_year else "MMMd", moment, locale=locale(lang))


def month(moment: datetime, lang: str | None = None) -> str:
    """A month and its year as a date axis labels it: "Jan 2020", "janv. 2020", "2020年1月"."""
    return format_skeleton("yMMM", moment, locale=locale(lang))


def clock(moment: datetime, lang: str | None = None) -> str:
    """A time of day, 24-hour: "09:00"."""
    return format_datetime(moment, "HH:mm", locale=locale(lang))


def language_name(code: str, lang: str | None = None) -> str:
    """A language's name in the language in force ("Français" for fr in French)."""
    return _language_name(code, locale(lang))


@cache
def _territories(where: str) -> dict[str, str]:
    return dict(Locale.parse(where).territories)


def territory_name(code: str, lang: str | None = None) -> str | None:
    """A country (ISO 3166 alpha-2) or M49 region ("002") named in the language, from CLDR;
    None where CLDR does not name it."""
    return _territories(locale(lang)).get(code)
