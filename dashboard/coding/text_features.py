"""Words of an answer as topic finding counts them: per language, offline.

An answer becomes a list of `Token`s, each a *stem* (what is counted: "funding", "funded" and
"fund" are one feature) and the *surface* form it was written in (what is shown: a topic's terms
are real words, the most frequent surface form of each stem). Steps:

1. the text is folded as the codebook's keywords fold it (`codebook.fold`: NFKC, case, Arabic
   letter variants and diacritics, ё → е, typographic apostrophes), so that what the topics show
   as a term is also a keyword that finds it when an analyst makes a code of the topic;
2. runs of Chinese (and Japanese) characters are cut into words by a segmenter whose
   dictionary is inside its package (`rjieba`, jieba's algorithm in Rust: nothing is fetched);
   every other run is cut at what is not a letter or digit (an apostrophe too: l'éducation
   gives "éducation");
3. stop words of the answer's language (and English ones, often mixed in) are dropped, as are
   one-letter words, numbers and words of two letters in spaced scripts;
4. each remaining word is stemmed by the Snowball stemmer of the answer's language (English,
   French, Spanish, Russian, Arabic and a few others; pure Python, `snowballstemmer`); words of
   a language without a stemmer, and Chinese words, are their own stem. The stem is then folded
   like the word search (`search_text`: accents dropped), so "participacion" typed without its
   accent is the same feature as "participación".

Stemming and stop words follow the *declared* language of the answer; a word in another script
(Latin words in a Russian answer) is stemmed by that script's usual language when the declared
one cannot (English for Latin, Russian for Cyrillic, Arabic for Arabic).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

import rjieba
import snowballstemmer

from dashboard.coding.codebook import HAN_RANGES, fold
from dashboard.store.search_text import search_text

# ISO 639-1 → the Snowball stemmer's name, for the languages it has.
STEMMERS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
    "ar": "arabic",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
}
_HAN = "".join(f"{low}-{high}" for low, high in HAN_RANGES)
# Runs of Chinese/Japanese characters, or of letters and digits of any other script (with the
# marks that belong to them).
_RUNS = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")

# Small lists written for this purpose: the words that say nothing about a subject in
# consultation answers (articles, pronouns, auxiliaries, prepositions, conjunctions, the most
# common adverbs), folded as the text is.
_STOP_TEXT = {
    "en": """a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each
        few for from further had has have having he her here hers herself him himself his how
        i if in into is it its itself just me more most my myself no nor not now of off on
        once only or other our ours ourselves out over own same she should so some such than
        that the their theirs them themselves then there these they this those through to too
        under until up very was we were what when where which while who whom why will with
        would you your yours yourself yourselves must may might shall also many much often
        well un etc e.g ie eg""",
    "fr": """a à afin ai aie aient ainsi alors au aucun aussi autre autres aux avec avoir
        avons c ça car ce ceci cela celle celles celui ces cet cette ceux chaque ci comme
        comment d dans de des donc dont du elle elles en encore entre est et étaient était
        été être eu eux faire fait font il ils j je l la le les leur leurs lui m ma mais me
        même mes moi mon n ne ni nos notre nous on ont ou où par pas peu peut plus pour
        pourrait qu quand que quel quelle quelles quels qui s sa sans se ses si sien soit
        son sont sous sur ta te tes toi ton tous tout toute toutes très tu un une vos votre
        vous y doit doivent devrait devraient cas lors également afin sera seront serait""",
    "es": """a al algo algunas algunos ante antes como con contra cual cuales cuando de del
        desde donde durante e el ella ellas ellos en entre era eran es esa esas ese eso esos
        esta estaba estado estan están estar este esto estos fue fueron ha han hasta hay la
        las le les lo los más mas me mi mis mucho muy ni no nos nosotros o os otra otras otro
        otros para pero poco por porque que quien quienes se sea ser si sí sin sino sobre
        son su sus también tanto te tiene tienen todo todos tu tus u un una unas uno unos y
        ya debe deben debería deberían puede pueden cada así través""",
    "ru": """а без более бы был была были было быть в вам вас весь во вот все всего всех вы
        где да даже для до его ее её если есть еще ещё же за и из или им их к как ко когда
        кто ли либо между меня мне может можно мы на над надо наш не него нее неё нет ни
        них но ну о об однако он она они оно от очень по под при с со так также такой там
        те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы чье чья эта
        эти это этого этой этом этот я должны должен следует более которые который которая
        которых которое""",
    "ar": """في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين اللذين ان أن إن لا ما
        لم لن قد كان كانت يكون تكون هو هي هم هن نحن انت أنت انا أنا او أو ثم بل لكن كل بعض
        غير عند حتى اذا إذا كما بين قبل بعد فقط ايضا أيضا وهو وهي وان وأن ومن وفي وعلى
        الى يجب ينبغي يمكن وقد لقد فان فإن لها له لهم بها به عليه عليها منها منه فيها فيه
        وذلك كذلك هناك حيث""",
    "zh": """的 了 和 是 在 也 有 就 都 而 及 与 与其 或 或者 一个 我们 你们 他们 她们 它们
        我 你 他 她 它 这 那 这些 那些 这个 那个 之 其 为 以 对 对于 于 被 把 让 从 向
        将 并 并且 但 但是 如果 因为 所以 可以 应该 应 能 能够 会 要 需要 更 很 最 等
        等等 通过 以及 其他 各 各种 不 没有 上 中 下 之间 方面 进行 经常 非常 已经 还 就是
        这样 因此 很多 许多 一些 仍然 只有 不能 不仅""",
}


_ARABIC_JOINED = ("وال", "فال")


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language (folded like the text), plus English ones, which answers
    in every language quote ("the UN", "civil society space")."""
    words = set(_STOP_TEXT.get(language, "").split()) | set(_STOP_TEXT["en"].split())
    folded = {fold(word) for word in words}
    return frozenset(folded | {search_text(word) for word in folded})


class Token(NamedTuple):
    """A counted word (a tuple: made a million times per 100,000 answers)."""

    stem: str  # what is counted
    surface: str  # the word as written (folded: lower case, accents kept)


def _script(word: str) -> str:
    first = word[0]
    if "\u0400" <= first <= "\u04ff":
        return "ru"
    if "\u0600" <= first <= "\u06ff" or "\u0750" <= first <= "\u077f":
        return "ar"
    if first.isascii() or "\u00c0" <= first <= "\u024f":
        return "latin"
    return "other"


def _stemmer_language(language: str, word: str) -> str | None:
    """The stemmer a word gets: its answer's language's where that fits the word's script,
    else the script's usual language (English for Latin letters in a Chinese answer)."""
    script = _script(word)
    if script == "latin":
        return language if language in STEMMERS and language not in ("ru", "ar") else "en"
    if script in ("ru", "ar"):
        return script
    return None


class Tokeniser:
    """Tokens of answers, remembering each word's stem (a consultation's answers repeat the
    same few thousand words, so each is stemmed once)."""

    def __init__(self) -> None:
        self._stemmers = {code: snowballstemmer.stemmer(name) for code, name in STEMMERS.items()}
        self._words: dict[tuple[str, str], str | None] = {}  # (language, word) → stem or None
        self._known: dict[str, dict[str, str | None]] = {}  # language → word → stem or None

    def _stem(self, language: str, word: str) -> str | None:
        """The word's stem, or None for a word that is not counted."""
        key = (language, word)
        if key in self._words:
            return self._words[key]
        stem: str | None
        if (
            word in stop_words(language)
            or word.isdigit()
            or len(word) < 2
            or (len(word) < 3 and word.isascii())
        ):
            stem = None
        else:
            which = _stemmer_language(language, word)
            if which == "ar" and word[:3] in _ARABIC_JOINED and len(word) > 5:
                word = word[1:]  # و or ف before the article: the stemmer takes off only ال
            stem = self._stemmers[which].stemWord(word) if which else word
            stem = search_text(stem) or None
            if stem is not None and stem in stop_words(language):
                stem = None
        self._words[key] = stem
        return stem

    def tokens(self, text: str, language: str) -> list[Token]:
        """The counted words of one answer, in order (see the module notes)."""
        return [Token(stem, surface) for stem, surface in self.pairs(text, language)]

    def pairs(self, text: str, language: str) -> list[tuple[str, str]]:
        """`tokens` as plain (stem, surface) pairs: the inner loop of topic finding, where
        known words are one dictionary look-up each."""
        if not isinstance(text, str) or not text:
            return []
        language = (language or "").split("-")[0].lower()
        known = self._known.setdefault(language, {})
        found: list[tuple[str, str]] = []
        for run in _RUNS.findall(fold(text)):
            if run in known:
                stem = known[run]
            elif _is_han(run[0]):
                for word in rjieba.cut(run):
                    stem = self._stem("zh", word) if len(word) > 1 else None
                    if stem is not None:
                        found.append((stem, word))
                continue
            else:
                stem = known[run] = self._stem(language, run)
            if stem is not None:
                found.append((stem, run))
        return found


def _is_han(char: str) -> bool:
    return any(low <= char <= high for low, high in HAN_RANGES)


def tokens(text: str, language: str) -> list[Token]:
    """The counted words of one answer (a fresh `Tokeniser`; use one for many answers)."""
    return Tokeniser().tokens(text, language)


def stems(texts: Iterable[str], languages: Iterable[str]) -> list[list[str]]:
    """The stems of each answer, in order."""
    tokeniser = Tokeniser()
    return [
        [t.stem for t in tokeniser.tokens(text, language)]
        for text, language in zip(texts, languages, strict=True)
    ]
