"""Personal data in free-text answers, replaced by visible placeholders.

Answers come from the public in the six UN languages, and some of their authors are human rights
defenders at risk. Before an answer is shown or exported, these are replaced by plain-text
placeholders that stay visible:

- e-mail addresses, Unicode ones and those written "name [at] domain [dot] org" → ``[email]``
- phone numbers, international and local, in any script's digits → ``[phone]``
- links to personal profiles (facebook.com/name, x.com/handle, t.me/…, linkedin.com/in/…) →
  ``[link]``; ordinary links (https://www.ohchr.org/en/civic-space) stay as written
- @handles → ``[handle]``

Everything else (years, dates, document symbols such as A/HRC/RES/27/31, sums, article numbers)
and the line breaks are left as written. The raw text stays in the store for administrators: this
module only transforms text.

One combined pattern scans each answer once: the leftmost match wins, and at the same position
the earlier family (links, e-mail addresses, written-out addresses, handles, phone numbers), so a
link is read as a link before its digits could look like a phone number. The pattern is made of
only the families whose anchor the answer holds (an "@", a digit run, "://"…), which gives the
same result much faster. Candidates that a pattern cannot rule out alone (a run of digits, "word
at domain.org") are judged in Python with the words before them ("tel.", "ISBN").

Redacting twice changes nothing: placeholders' brackets count as the letters they replaced, and
context is read only back to the previous finding.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard.store import database, queries

PLACEHOLDERS = {"email": "[email]", "phone": "[phone]", "link": "[link]", "handle": "[handle]"}
KINDS = tuple(PLACEHOLDERS)

# --- character classes (for use inside [...]) -------------------------------------------------
_LAT = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters with accents, digits
_CYR = "\u0400-\u04ff0-9"
# Arabic letters, marks and both sets of Arabic digits; not the Arabic comma, semicolon, question
# mark, percent sign or separators (U+060C, U+061B, U+061F, U+066A-U+066D).
_ARA = "\u0620-\u065f\u0660-\u0669\u066e-\u06d3\u06d5\u06f0-\u06f90-9"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"  # direction marks that RTL editors insert
_SPACES = " \u00a0\u2007\u2009\u202f\u3000"
_AT = "@\uff20"  # @ and full-width ＠
_DOT = ".\uff0e"  # . and full-width ．

# --- e-mail addresses ---------------------------------------------------------------------------
# A local part is a run of one script, so that in Chinese text without spaces
# ("请联系zhang.wei@ngo.org") only the Latin run is taken. A run starts where its script starts,
# not after "letter." inside it ("a.b.c…@" is read once, not once per dot).
# Every "not right after" guard in this module also counts "]", and every "not followed by" guard
# counts "[": a candidate glued to a placeholder is read as it was when glued to the letters or
# digits that the placeholder replaced, so redacting twice changes nothing.
_LOCAL = (
    f"(?:(?<![{_LAT}_%+\\-\\]])(?<![{_LAT}\\]][.])[{_LAT}][{_LAT}._%+\\-]*"
    f"|(?<![{_CYR}_\\-\\]])(?<![{_CYR}\\]][.])[{_CYR}][{_CYR}._\\-]*"
    f"|(?<![{_ARA}_\\-\\]])(?<![{_ARA}\\]][.])[{_ARA}][{_ARA}._\\-]*"
    f"|(?<![{_CJK}\\]])[{_CJK}][{_CJK}._\\-]*)"
)
_LABEL = (
    f"(?:[{_LAT}](?:[{_LAT}\\-]*[{_LAT}])?"
    f"|[{_CYR}](?:[{_CYR}\\-]*[{_CYR}])?"
    f"|[{_ARA}](?:[{_ARA}\\-]*[{_ARA}])?"
    f"|[{_CJK}]+)"
)
# Chinese is written without spaces, so a Chinese top-level domain must be a known one
# ("用户@例子.中国获取" ends at 中国).
_CJK_TLDS = (
    "中文网|我爱你|新加坡|中国|中國|香港|台湾|台灣|澳门|澳門|公司|网络|網絡|在线|网址|集团|政务|公益"
    "|移动|商城|网店|手机|世界"
)
_TLD = (
    f"(?:(?:xn--[a-z0-9\\-]+|[A-Za-z]{{2,24}})(?![{_LAT}_\\-{_AT}\\[])"
    "|[\u0430-\u044f\u0451\u0410-\u042f\u0401\u0456\u0457\u0454\u0491\u049b]{2,}"
    "(?![\u0400-\u04ff0-9_\\-\\[])"
    "|[\u0620-\u064a]{2,}(?![\u0620-\u065f\\[])"
    f"|(?:{_CJK_TLDS}))"
)
_EMAIL = f"{_LOCAL}[{_AT}](?:{_LABEL}[{_DOT}]){{1,10}}{_TLD}"

# Written out: "name [at] domain [dot] org", "name(at)domain.org", "name AT domain DOT com",
# "juan arroba correo punto es", "marie arobase ong point fr", "имя собака домен точка ру".
_OB_LOCAL = (
    f"(?:(?<![{_LAT}_%+\\-\\]])(?<![{_LAT}\\]][.])[{_LAT}][{_LAT}._%+\\-]*"
    f"|(?<![{_CYR}_\\-\\]])(?<![{_CYR}\\]][.])[{_CYR}][{_CYR}._\\-]*)"
)
_OB_LABEL = f"(?:[{_LAT}](?:[{_LAT}\\-]*[{_LAT}])?|[{_CYR}](?:[{_CYR}\\-]*[{_CYR}])?)"
_OB_TLD = (
    f"(?:(?!dot\\b|DOT\\b)[A-Za-z]{{2,6}}(?![{_LAT}_\\-{_AT}\\[])"
    "|(?:ру|рф|ком|орг|нет|укр|бел|су)(?![\u0400-\u04ff0-9_\\-\\[]))"
)
_BRACKETED = "\\s*[(\\[{{<]\\s*(?:{})\\s*[)\\]}}>]\\s*"
_STRONG_AT = (
    _BRACKETED.format("at|AT|At|arroba|arobase|собака|@|\uff20")
    + "|\\s+(?:AT|arroba|ARROBA|arobase|AROBASE)\\s+"
    + f"|[{_AT}]| [{_AT}] "
)
_WEAK_AT = "\\s+(?:at|собака)\\s+"
_SPELLED_DOT = (
    _BRACKETED.format("dot|DOT|Dot|punto|PUNTO|point|POINT|точка|\\.")
    + "|\\s+(?:dot|DOT|Dot|punto|PUNTO|point|POINT|точка)\\s+"
)
_ANY_DOT = f"(?:{_SPELLED_DOT}|[{_DOT}])"
# "chen dot jie at …"; bounded repeats keep long "a dot a dot …" chains linear.
_OB_LOCALS = f"{_OB_LOCAL}(?:(?:{_SPELLED_DOT}){_OB_LOCAL}){{0,3}}"
_OBFUSCATED = (
    f"{_OB_LOCALS}(?:{_STRONG_AT}){_OB_LABEL}(?:{_ANY_DOT}{_OB_LABEL}){{0,8}}{_ANY_DOT}{_OB_TLD}"
    f"|{_OB_LOCALS}{_WEAK_AT}{_OB_LABEL}(?:(?:{_SPELLED_DOT}){_OB_LABEL}){{0,8}}"
    f"(?:{_SPELLED_DOT}){_OB_TLD}"
)
# "j.smith at ngo.org": plain "at" with real dots is an address only when the local part is not
# a plain word, the domain is a mail provider, or an e-mail word comes just before (judged below).
_WEAK_REAL = (
    f"(?<![{_LAT}_%+\\-\\]])(?<![{_LAT}\\]][.])[{_LAT}][{_LAT}._%+\\-]*\\s+at\\s+"
    f"(?:[{_LAT}](?:[{_LAT}\\-]*[{_LAT}])?[{_DOT}])+[A-Za-z]{{2,24}}"
    f"(?![{_LAT}_\\-{_AT}\\[]|[{_DOT}][{_LAT}])"
)

# "zhangwei#163.com（#换成@）": "#" for "@", with a mail provider or a hint in the answer.
_HASHED = (
    f"(?<![{_LAT}_%+\\-\\]])(?<![{_LAT}\\]][.])[{_LAT}][{_LAT}._%+\\-]*#"
    f"(?:[{_LAT}](?:[{_LAT}\\-]*[{_LAT}])?[{_DOT}])+[A-Za-z]{{2,24}}"
    f"(?![{_LAT}_\\-{_AT}\\[]|[{_DOT}][{_LAT}])"
)

# --- links --------------------------------------------------------------------------------------
# A link ends at white space, quotes, square brackets (as placeholders have), CJK text or
# CJK/full-width punctuation, and not on sentence punctuation.
_URL_EXCLUDED = (
    "\\s<>\"'`«»“”‘’\\[\\]\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    f"{_CJK}\u060c\u061b\u061f"
)
_URL_BODY = f"[^{_URL_EXCLUDED}]*[^{_URL_EXCLUDED}.,;:!?)\\]}}]"
_URL = f"(?<![A-Za-z0-9\\]])(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\\.){_URL_BODY}"
_SOCIAL_HOSTS = (
    "(?:facebook|fb|twitter|x|instagram|vk|linkedin|weibo|github|gitlab|tiktok|youtube|medium"
    "|douban|zhihu|reddit|threads|pinterest|snapchat)\\.com"
    "|t\\.me|telegram\\.me|telegram\\.dog|fb\\.me|instagr\\.am|ok\\.ru|vk\\.ru|weibo\\.cn"
    "|threads\\.net|bsky\\.app|wa\\.me|signal\\.me|space\\.bilibili\\.com|mastodon\\.social"
)
_BARE_SOCIAL = (
    f"(?<![A-Za-z0-9_.{_AT}/\\-\\]])(?i:(?:www\\.|m\\.|mobile\\.|[a-z]{{2}}\\.)?(?:{_SOCIAL_HOSTS})/)"
    f"{_URL_BODY}"
)

# --- @handles -----------------------------------------------------------------------------------
# "@civic_space", "@UN", Weibo's "@联合国人权"; not "see you @ the meeting", "@10am" or "@10:30".
_HANDLE = (
    f"(?<![A-Za-z0-9_.{_AT}/\u00c0-\u024f\u0400-\u04ff\\]])[{_AT}]"
    "(?!\\d{1,2}(?:[:h.]\\d{2})?\\s*(?:[ap]\\.?m\\.?|h)?(?![A-Za-z0-9_\\[]))"
    "(?:(?=[A-Za-z0-9_.]*[A-Za-z])[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"
    "(?![A-Za-z0-9_\\[])"
    f"|[{_CJK}][{_CJK}A-Za-z0-9_\\-]{{0,19}})"
)

# "I work @home": words that follow "@" as "at" rather than names.
_NOT_HANDLES = frozenset(
    {"home", "work", "school", "office", "night", "noon", "lunch", "everyone", "all", "here", "the"}
)

# --- phone numbers ------------------------------------------------------------------------------
# Groups of digits (any script's: \d is Unicode) joined by one space, dot or dash, or by brackets
# ("+1 (212) 963-1234", "+41 (0)22 917 90 00"); whether a candidate is a number is judged below.
_SEP = f"[{_BIDI}]?[{_SPACES}.\\-\u2010\u2011\uff0d][{_BIDI}]?"
# Digit runs are possessive (\d++): a run is a whole group or nothing, never cut short.
_TOKEN = "(?:[(\uff08] ?[+\uff0b]?\\d{1,5} ?[)\uff09]|\\d++)"
_TAIL = f"(?:(?:{_SEP}|(?<=[)\uff09])|(?=[(\uff08])){_TOKEN})*"
_SLASHED = "\\d{1,4} ?/ ?\\d{5,}(?![\\d/])"  # after a 0: "030/12345678"
# Not after a letter, digit or "+", and a number without "+" not after ".,/\\-" either
# ("E/CN.6/2020/3", "1,000,000"). The pattern starts with its first character, a set that `re`
# scans for quickly, and looks behind it (two characters back) for what came before.
_NOT_BEFORE_PLUS = "A-Za-z0-9_\u00c0-\u024f\u0400-\u04ff+\uff0b\\]"
_NOT_BEFORE = "A-Za-z0-9_\u00c0-\u024f\u0400-\u04ff.,/\\\\\\-+\uff0b\\]"
# At least 7 digits ahead, at most 8 other characters apart (") ‎-‎ ( +" is the widest gap).
_SEVEN_DIGITS = "(?:\\D{0,10}\\d){6}"
_PHONE = (
    "[+\uff0b(\uff08\\d]"
    f"(?:(?<=\\d)(?={_SEVEN_DIGITS})|(?<!\\d)(?=\\D{{0,10}}\\d{_SEVEN_DIGITS}))"
    f"(?:(?<=[+\uff0b])(?<![{_NOT_BEFORE_PLUS}].)(?<!\\d.)[{_BIDI}]? ?"
    f"(?:0{_SLASHED}|{_TOKEN}{_TAIL})"
    f"|(?<=[(\uff08])(?<![{_NOT_BEFORE}].)(?<!\\d.) ?[+\uff0b]?\\d{{1,5}} ?[)\uff09]{_TAIL}"
    f"|(?<=\\d)(?<![{_NOT_BEFORE}].)(?<!\\d.)(?:(?<=0){_SLASHED}|\\d*+{_TAIL}))"
    "(?:[+\uff0b](?![\\d+\uff0b]))?"  # "20 10 1234 5678+": the plus typed last in RTL text
    # nor end inside an address's local part ("… 2 3ng_san@163.com")
    "(?!(?<=[0-9])[._%+\\-]?[A-Za-z_][A-Za-z0-9_.%+\\-]*[@\uff20#])"
)

# Each family of patterns, in order of precedence, with what an answer must hold for the family
# to find anything there. An answer is scanned with one pattern made of its families only
# (compiled once per combination): the same result as all families, at a fraction of the cost.
_FAMILIES: dict[str, str] = {
    "url": _URL,
    "bare": _BARE_SOCIAL,
    "email": _EMAIL,
    "obf": _OBFUSCATED,
    "weak": _WEAK_REAL,
    "hashed": _HASHED,
    "handle": _HANDLE,
    "phone": _PHONE,
}
# Gates begin with a literal or a set of characters, which `re` scans for quickly.
_GATE_WWW = re.compile("[Ww][Ww][Ww]\\.")
_GATE_BARE = re.compile(r"\.(?i:com|me|ru|cn|am|app|net|dog|social)/")
# A plain "name@domain.org" is the e-mail family's; the written-out family is needed only for
# "[at]", "(@)", " @ ", "AT", "arroba", "arobase", or a spelled-out dot after "@" or "at".
_GATE_STRONG_AT = re.compile(
    "\\((?=\\s*(?:at|AT|At|arroba|arobase|собака|@|\uff20)\\s*[)\\]}>])"
    "|\\[(?=\\s*(?:at|AT|At|arroba|arobase|собака|@|\uff20)\\s*[)\\]}>])"
    "|\\{(?=\\s*(?:at|AT|At|arroba|arobase|собака|@|\uff20)\\s*[)\\]}>])"
    "|<(?=\\s*(?:at|AT|At|arroba|arobase|собака|@|\uff20)\\s*[)\\]}>])"
    "| [@\uff20] "
    + "".join(
        f"|{word}(?=\\s)(?<=\\s{word})" for word in ("AT", "arroba", "ARROBA", "arobase", "AROBASE")
    )
)
_GATE_WEAK_AT = re.compile("at(?=\\s)(?<=\\sat)|собака(?=\\s)(?<=\\sсобака)")
_SPELLED_WORDS = ("dot", "DOT", "Dot", "punto", "PUNTO", "point", "POINT", "точка")
_GATE_SPELLED_DOT = re.compile(
    "\\((?=\\s*(?:dot|DOT|Dot|punto|PUNTO|point|POINT|точка|\\.)\\s*[)\\]}>])"
    "|\\[(?=\\s*(?:dot|DOT|Dot|punto|PUNTO|point|POINT|точка|\\.)\\s*[)\\]}>])"
    "|\\{(?=\\s*(?:dot|DOT|Dot|punto|PUNTO|point|POINT|точка|\\.)\\s*[)\\]}>])"
    "|<(?=\\s*(?:dot|DOT|Dot|punto|PUNTO|point|POINT|точка|\\.)\\s*[)\\]}>])"
    + "".join(f"|{word}(?=\\s)(?<=\\s{word})" for word in _SPELLED_WORDS)
)
_GATE_PHONE = re.compile(f"\\d{_SEVEN_DIGITS}")


def _families(text: str) -> tuple[str, ...]:
    at_sign = "@" in text or "\uff20" in text
    weak_at = _GATE_WEAK_AT.search(text) is not None
    active = []
    if "://" in text or _GATE_WWW.search(text):
        active.append("url")
    if "/" in text and _GATE_BARE.search(text):
        active.append("bare")
    if at_sign:
        active.append("email")
    if _GATE_STRONG_AT.search(text) or ((at_sign or weak_at) and _GATE_SPELLED_DOT.search(text)):
        active.append("obf")
    if weak_at and ("." in text or "\uff0e" in text):
        active.append("weak")
    if "#" in text:
        active.append("hashed")
    if at_sign:
        active.append("handle")
    if _GATE_PHONE.search(text):
        active.append("phone")
    return tuple(active)


# --- the gates in DuckDB ------------------------------------------------------------------------
# The same gates as RE2 patterns, for DuckDB to screen an import's distinct answers on every core
# (`queries/protection/personal_data_candidates.sql`): an answer any gate above opens must match
# `SCREEN`, or both `SCREEN_WEAK_AT` and `SCREEN_DOT` ("j.smith at ngo.org", "x at y dot org").
# They may let a few more through, never fewer (tests/test_redact_screen.py). RE2 has no
# look-around, so a pattern takes in the characters the gate only looks at, and its classes are
# Python's: `\s` and `\d` in `re` are Unicode's white space and decimal digits, RE2's are ASCII
# (hence `_RE2_SPACE` and \p{Nd}), and Python's ignore-case also reads "ı" and "İ" as "i".
_RE2_SPACE = (
    "[\\t\\n\\x{0b}\\f\\r\\x{1c}-\\x{1f} \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}"
    "\\x{2029}\\x{202f}\\x{205f}\\x{3000}]"
)
_RE2_OPENING = "[({\\[<]"
_RE2_CLOSING = "[)\\]}>]"
_RE2_AT_WORDS = "at|AT|At|arroba|arobase|собака"
_RE2_STRONG_AT_WORDS = "AT|arroba|ARROBA|arobase|AROBASE"
_RE2_DOT_WORDS = "|".join(_SPELLED_WORDS)
SCREEN = "|".join(
    [
        "://",  # url
        "[Ww][Ww][Ww]\\.",  # url
        "\\.(?i:com|me|ru|cn|am|app|net|dog|soc[iİı]al)/",  # bare
        "[@\uff20#]",  # email, handle, hashed, and obf after "@"
        f"{_RE2_OPENING}{_RE2_SPACE}*(?:{_RE2_AT_WORDS}){_RE2_SPACE}*{_RE2_CLOSING}",  # obf
        f"{_RE2_SPACE}(?:{_RE2_STRONG_AT_WORDS}){_RE2_SPACE}",  # obf
        "\\p{Nd}(?:\\P{Nd}{0,10}\\p{Nd}){6}",  # phone
    ]
)
SCREEN_WEAK_AT = f"{_RE2_SPACE}(?:at|собака){_RE2_SPACE}"
SCREEN_DOT = "|".join(
    [
        "[.\uff0e]",
        f"{_RE2_OPENING}{_RE2_SPACE}*(?:{_RE2_DOT_WORDS}){_RE2_SPACE}*{_RE2_CLOSING}",
        f"{_RE2_SPACE}(?:{_RE2_DOT_WORDS}){_RE2_SPACE}",
    ]
)


def candidates(texts: pd.Index | Sequence[str]) -> np.ndarray:
    """The positions of the texts that may hold personal data (a superset of those any gate
    opens), screened by DuckDB on every core: `redact` leaves the others as written."""
    if len(texts) == 0:
        return np.zeros(0, dtype="int64")
    # An Index keeps its dtype in the frame (Arrow-backed text is read by DuckDB as it is); a
    # list is not converted first, which would cost more than the screen.
    answers = texts if isinstance(texts, pd.Index) else pd.Index(texts, dtype=object)
    frame = pd.DataFrame({"position": np.arange(len(answers), dtype="int64"), "answer": answers})
    con = database.scratch()
    try:
        con.register("screened_answers", frame)
        found = queries.execute(
            con,
            "protection/personal_data_candidates",
            {"screen": SCREEN, "weak_at": SCREEN_WEAK_AT, "dot_like": SCREEN_DOT},
        ).fetchnumpy()["position"]
    finally:
        con.close()
    return np.sort(np.asarray(found, dtype="int64"))


@functools.cache
def _pattern(families: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{name}>{_FAMILIES[name]})" for name in families))


# --- judging links ------------------------------------------------------------------------------
_URL_PARTS = re.compile(
    r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://)?(?:[^/?#@]*@)?(?P<host>[^/?#:]+)(?::\d+)?(?P<rest>.*)$",
    re.DOTALL,
)
_PATH_HANDLE = re.compile(r"/@[A-Za-z_]")
_HOST_PREFIXES = ("www.", "m.", "mobile.", "mbasic.", "web.", "touch.")
# Site → which first path segments name a person ("*": any but the site's own pages).
_PROFILE_SITES: dict[str, tuple[str, ...]] = {
    "facebook.com": ("*",),
    "fb.com": ("*",),
    "fb.me": ("*",),
    "twitter.com": ("*",),
    "x.com": ("*",),
    "instagram.com": ("*",),
    "instagr.am": ("*",),
    "t.me": ("*",),
    "telegram.me": ("*",),
    "telegram.dog": ("*",),
    "vk.com": ("*",),
    "vk.ru": ("*",),
    "ok.ru": ("*",),
    "weibo.com": ("*",),
    "weibo.cn": ("*",),
    "github.com": ("*",),
    "gitlab.com": ("*",),
    "tiktok.com": ("*",),
    "threads.net": ("*",),
    "threads.com": ("*",),
    "pinterest.com": ("*",),
    "snapchat.com": ("add",),
    "wa.me": ("*",),
    "signal.me": ("*",),
    "space.bilibili.com": ("*",),
    "mastodon.social": ("*",),
    "linkedin.com": ("in", "pub"),
    "youtube.com": ("c", "user", "channel"),
    "reddit.com": ("user", "u"),
    "bsky.app": ("profile",),
    "douban.com": ("people",),
    "zhihu.com": ("people",),
    "medium.com": (),
}
_SITE_PAGES = frozenset(
    {
        "",
        "home",
        "search",
        "explore",
        "hashtag",
        "help",
        "about",
        "privacy",
        "policy",
        "policies",
        "legal",
        "terms",
        "tos",
        "login",
        "signup",
        "settings",
        "share",
        "sharer",
        "sharer.php",
        "intent",
        "i",
        "notifications",
        "messages",
        "watch",
        "features",
        "pricing",
        "topics",
        "trending",
        "download",
        "apps",
        "business",
        "safety",
        "rules",
    }
)


def _is_personal_url(url: str) -> bool:
    parts = _URL_PARTS.match(url)
    if parts is None:
        return False
    host = parts["host"].lower().rstrip(".")
    rest = parts["rest"]
    if _PATH_HANDLE.search(rest):  # medium.com/@name, tiktok.com/@name, mastodon instances
        return True
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    for site, segments in _PROFILE_SITES.items():
        if host == site or host.endswith("." + site):
            path = rest.split("#", 1)[0]
            pieces = path.split("?", 1)[0].split("/")
            first = pieces[1].lower() if len(pieces) > 1 else ""
            if segments == ("*",):
                return first not in _SITE_PAGES
            second = pieces[2] if len(pieces) > 2 else ""
            return first in segments and bool(second)
    return False


# --- context -----------------------------------------------------------------------------------
def _before(text: str, start: int, size: int, floor: int) -> str:
    """Up to `size` characters before `start`, after the previous finding and any placeholder.

    Context words ("tel.", "e-mail") count only between the previous finding and this one, so an
    answer already redacted (where "[phone]" is shorter than the number it replaced) is read the
    same way: redaction stays idempotent.
    """
    window = text[max(start - size, floor) : start]
    return window[window.rfind("]") + 1 :]


# --- judging written-out addresses --------------------------------------------------------------
_MAIL_PROVIDERS = re.compile(
    r"(?i)^(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|icloud|me|aol|proton|protonmail"
    r"|pm|gmx|mail|yandex|ya|rambler|bk|inbox|list|qq|163|126|sina|sohu|yeah|foxmail|orange|free"
    r"|laposte|wanadoo|sfr|web|t-online|libero|tutanota|riseup)\.[a-z]{2,3}(?:\.[a-z]{2})?$"
)
_MAIL_WORDS = re.compile(
    r"(?i)(?:\be-?mail|\bmail|courriel|correo|почт|имейл|емейл|邮箱|邮件|電郵|郵件|بريد|ايميل|إيميل"
    r"|\bwrite|\bwriting|[ée]cri|escrib|пиш|写信|راسل|اكتب)"
)
_HASH_HINT = re.compile(r"#.{0,6}[@＠]|[@＠].{0,6}#")
# Chinese runs on without spaces: "请联系用户@例子.中国" is "please contact" + the address.
_CJK_LEAD = re.compile(
    "^.*(?:联系|聯繫|聯絡|发送至|發送至|发至|發至|寄至|发到|發到|邮箱|郵箱|邮件|郵件|地址|请|請|至|给|給)"
    "(?=.)"
)
_AT_SIGN = re.compile(f"[{_AT}]")
_CJK_START = re.compile(f"[{_CJK}]")
_SPACED_AT = re.compile(r"\s+at\s+")
_NOT_A_WORD = re.compile(r"[._\d]")
_LETTER = re.compile(r"[^\W\d_]")


def _hashed_is_email(text: str, candidate: str) -> bool:
    domain = candidate.split("#", 1)[1]
    # The hint ("#换成@", "replace # with @") holds for the whole answer.
    return bool(_MAIL_PROVIDERS.match(domain) or _HASH_HINT.search(text))


def _email_start(candidate: str) -> int:
    """How many leading characters of a matched address are not part of it."""
    local = _AT_SIGN.split(candidate, maxsplit=1)[0]
    if not _CJK_START.match(local):
        return 0
    lead = _CJK_LEAD.match(local)
    return lead.end() if lead else 0


def _weak_is_email(text: str, start: int, floor: int, candidate: str) -> bool:
    local, domain = _SPACED_AT.split(candidate, maxsplit=1)
    if _NOT_A_WORD.search(local) and len(_LETTER.findall(local)) >= 2:
        return True
    if _MAIL_PROVIDERS.match(domain.replace("\uff0e", ".")):
        return True
    # Only an e-mail word before it: a lower-case local part ("write to amina at ngo-kenya.org",
    # not "write to the Special Rapporteur at ohchr.org").
    return local.islower() and bool(_MAIL_WORDS.search(_before(text, start, 25, floor)))


# --- judging runs of digits ---------------------------------------------------------------------
_DIGITS = re.compile(r"\d+")
_PHONE_WORDS = re.compile(
    r"(?i)(?:\btel|\btél|phone|\bfax|mobile|\bmob|\bcell|whats\s?app|viber|signal|\bcall|appel"
    r"|ll[aá]m|tel[eé]f|m[oó]vil|celular|тел|моб|звон|факс|сотов|电话|電話|手机|手機|致电|传真"
    r"|هاتف|جوال|موبايل|واتس|اتصل|فاكس"
    # "number" alone names registrations and cases too; "my number" is a phone.
    r"|\bmy number|\bmon num[ée]ro|\bmi n[uú]mero|\bмой номер|رقمي|我的号码|我的號碼)"
)
# Identifiers whose digits look like a phone number: "ISBN 978-…", "SIRET 123 456 789 00012",
# "Zoom meeting ID: 812 3456 7890", "RUT es 12.345.678-9", "№ 0012345678", "IBAN FR76 3000 …".
_NOT_A_PHONE_BEFORE = re.compile(
    r"(?:(?i:\b(?:isbn|issn|doi|orcid|iban|bic|swift|siret|siren|tva|rut|nit|cuit|cuil|curp"
    r"|rfc|dni|nie|nif|ssn|id|passcode|password|инн|огрн|огрнип|кпп|снилс|бик|паспорт))"
    r"(?:\s+\w{1,3})?|№|身份证号?|信用代码|护照号?)[\s:.#№°º-]*$"
    r"|\b[A-Z]{2}\d{2}(?: \d{4})* $"
)
_RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_DATE_ANYWHERE = re.compile(
    r"(?<!\d)(?:(?:0?[1-9]|[12]\d|3[01])([./\-])(?:0?[1-9]|1[0-2])\1(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}([./\-])(?:0?[1-9]|1[0-2])\2(?:0?[1-9]|[12]\d|3[01]))(?!\d)"
)
_DATE_WHOLE = re.compile(
    r"(?:0?[1-9]|[12]\d|3[01])([./ ])(?:0?[1-9]|1[0-2])\1(?:(?:19|20)\d{2}|\d{2})"
    r"|(?:19|20)\d{2} ?[-\u2010\u2011] ?(?:19|20)?\d{2}"
)
_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+|\d{1,3}(?:\.\d{3})+")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def _ascii_digits(text: str) -> str:
    """Arabic-Indic, full-width and other decimal digits as 0-9."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


_BRACKETED_DIGITS = re.compile("[(\uff08] ?[+\uff0b]?(\\d+)")
_BIDI_MARKS = re.compile(f"[{_BIDI}]")
_ANY_SPACE = re.compile(f"[{_SPACES}]")
_SINGLE_SEPARATOR = re.compile(r"\d(\D)(?=\d)")
_HYPHENS = re.compile("[-\u2010\u2011\uff0d]")
_MOBILE = re.compile(r"1[3-9]\d{9}|8[3-9]\d{9}")  # Chinese mobile, Russian 8-9xx


def _is_phone(text: str, start: int, end: int, floor: int, plus_after: bool = False) -> bool:
    """Whether a run of digit groups is a phone number, judged with what stands around it."""
    if end - start < 7:
        return False
    candidate = text[start:end]
    after = text[end : end + 2]
    if after[:1] in ("%", "‰", "٪", "/"):
        return False
    if after[:1] in ".,٫" and (after[1:2].isdecimal() or after[1:2] == "["):
        return False  # "67.0,00": a decimal ("[" stands for what a placeholder replaced)
    plain = _ascii_digits(candidate)
    groups = _DIGITS.findall(plain)
    digits = "".join(groups)
    count = len(digits)
    if not 7 <= count <= 15:
        return False
    bracketed = _BRACKETED_DIGITS.findall(plain)
    if any(len(group) == 4 and group[:2] in ("19", "20") for group in bracketed):
        return False  # "resolution 1325 (2000)"
    if plus_after:  # "20 10 1234 5678+", but not "10 000 000+"
        return count >= 8 and not _THOUSANDS.fullmatch(_ANY_SPACE.sub(" ", plain[:-1]))
    if plain.lstrip("(\uff08 ")[:1] in ("+", "\uff0b"):
        return count >= 8
    before = _before(text, start, 30, floor)
    if _NOT_A_PHONE_BEFORE.search(before):
        return False
    # Separators as written, bidi marks dropped ("13.01.2020", "2019-2020").
    shape = _ANY_SPACE.sub(" ", _BIDI_MARKS.sub("", plain))
    if _DATE_WHOLE.fullmatch(shape) or _DATE_ANYWHERE.search(shape) or _IPV4.fullmatch(shape):
        return False
    if len(groups) > 1 and all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return False  # a list of years
    keyword = bool(_PHONE_WORDS.search(before))
    zero = digits[0] == "0"
    if len(groups) == 1:
        if zero and count >= 9:
            return True  # "0041229179000", "0612345678"
        return keyword or _MOBILE.fullmatch(digits) is not None
    if len(groups) == 2 and set(_SINGLE_SEPARATOR.findall(shape)) == {"."}:
        return keyword  # a decimal number
    if bracketed or zero:
        return True  # "(022) 917-9000", "06 12 34 56 78"
    parts = _HYPHENS.split(shape)
    if all(_THOUSANDS.fullmatch(part) for part in parts):
        # "1 000 000", "1.500.000", "100 000-150 000"; but "Tel. 612 345 678"
        return keyword and len(parts) == 1 and len(groups[0]) == 3 and groups[-1] != "000"
    if len(groups) >= 3 and max(len(g) for g in groups) >= 3:
        return True  # "917 90 00", "123-45-67", "212 963 1234"
    return keyword  # "555-1234", "6532 3366", but not "100-1000" or "12 13 14 15"


# --- scanning -----------------------------------------------------------------------------------
Span = tuple[int, int, str]  # start, end, kind


def _phone_spans(text: str, start: int, end: int, floor: int) -> list[Span]:
    """The phone numbers in a run of digit groups: one, two written side by side, or none."""
    if text[end - 1] in "+\uff0b":
        # A plus after the digits is the international prefix only after right-to-left text.
        if _RTL_LETTERS.search(_before(text, start, 40, floor)):
            return [(start, end, "phone")] if _is_phone(text, start, end, floor, True) else []
        end -= 1
    if _is_phone(text, start, end, floor):
        return [(start, end, "phone")]
    candidate = text[start:end]
    if not 16 <= len(candidate) <= 40 or not _ascii_digits(candidate).startswith("0"):
        return []
    # "0612345678 0698765432": too long for one number, two local numbers joined by a space.
    for cut in _ANY_SPACE.finditer(candidate):
        left_end, right_start = start + cut.start(), start + cut.end()
        if _ascii_digits(text[right_start]) == "0" and _is_phone(text, start, left_end, floor):
            right = _phone_spans(text, right_start, end, left_end)
            if right and right[0][0] == right_start and right[-1][1] == end:
                return [(start, left_end, "phone"), *right]
    return []


def _spans(match: re.Match[str], floor: int) -> list[Span]:
    """The findings in one match (none, one, or two phone numbers side by side)."""
    group = match.lastgroup
    text = match.string
    start, end = match.span()
    found = match.group()
    if group in ("url", "bare"):
        return [(start, end, "link")] if _is_personal_url(found) else []
    if group == "email":
        return [(start + _email_start(found), end, "email")]
    if group == "obf":
        return [(start, end, "email")]
    if group == "weak":
        return [(start, end, "email")] if _weak_is_email(text, start, floor, found) else []
    if group == "hashed":
        return [(start, end, "email")] if _hashed_is_email(text, found) else []
    if group == "handle":
        return [] if found[1:].lower() in _NOT_HANDLES else [(start, end, "handle")]
    if group == "phone":
        return _phone_spans(text, start, end, floor)
    return []


def _scan(text: str) -> list[Span]:
    families = _families(text) if text else ()
    if not families:
        return []
    pattern = _pattern(families)
    found: list[Span] = []
    floor = 0  # where the previous finding ended
    position = 0
    while match := pattern.search(text, position):
        spans = _spans(match, floor)
        if spans:
            found += spans
            floor = spans[-1][1]
        elif found and match.start() == floor:
            # A rejected candidate glued to the previous finding: once that finding is a
            # placeholder, its "]" lets nothing start there and the scan goes on one character
            # later. So it does here too, and redacting twice finds nothing new.
            position = floor + 1
            continue
        position = max(match.end(), match.start() + 1)
    return found


# --- the API ------------------------------------------------------------------------------------
def redact(text: str) -> str:
    """The text with personal data replaced by "[email]", "[phone]", "[link]" or "[handle]"."""
    spans = _scan(text)
    if not spans:
        return text
    pieces = []
    position = 0
    for start, end, kind in spans:
        pieces.append(text[position:start])
        pieces.append(PLACEHOLDERS[kind])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def findings(text: str) -> list[tuple[str, str]]:
    """(kind, text as written) for each piece of personal data, in order."""
    return [(kind, text[start:end]) for start, end, kind in _scan(text)]


def redact_series(values: pd.Series) -> pd.Series:
    """`redact` on every string of a Series (same index, name and dtype); missing values stay.

    Each distinct answer is looked at once, so repeated answers cost nothing, and only those
    DuckDB's screen (`candidates`) lets through are redacted in Python: `redact` would leave the
    others as written.
    """
    if values.empty:
        return values.copy()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if isinstance(values.dtype, pd.StringDtype):
        texts = np.arange(len(uniques))  # every value found is a string
    else:
        texts = np.flatnonzero([isinstance(value, str) for value in uniques])
    flagged = texts[candidates(uniques[texts])]
    # The distinct values in their own dtype (Arrow-backed text stays Arrow, never a Python
    # string per row), with the flagged ones redacted, then spread over the rows.
    done = uniques.array.copy()
    if len(flagged):
        done[flagged] = [redact(uniques[position]) for position in flagged]
    result = done.take(codes, allow_fill=True)  # code -1 (missing) takes the dtype's own
    missing = codes == -1
    if missing.any() and not isinstance(values.dtype, pd.StringDtype):
        result = np.asarray(result, dtype=object)
        result[missing] = values.to_numpy(dtype=object)[missing]  # None stays None, NaN NaN
    return pd.Series(result, index=values.index, name=values.name, dtype=values.dtype)
