"""Consultation exports of a chosen size for the benchmarks: a wide CSV (one row per respondent,
one column per question, as most survey platforms export), and the same rows as XLSX.

"N responses" means N non-blank answers in all. The shape follows the sample consultation
(`sample_data/civic-space-2020.toml`: nine questions in three themes, 13 to 24 January 2020):

* countries: every country of `dashboard/reference/countries.csv`, with a skewed (Zipf-like)
  share each, written as the English name (sometimes in capitals or lower case), the ISO3 or the
  ISO2 code; about 1.5 % are blank or unrecognisable ("Atlantis", "N/A", ...);
* languages: the six UN languages (and a few others), by region, each spelt several ways
  ("fr", "Français", "French", "fr-FR", ...); a few blank;
* answers: 1 to 4 sentences of the sample's phrase bank in the respondent's language and the
  question's theme, with a tail of words from the same bank so that texts are not repeated,
  some as lists on several lines; about 120 to 250 characters; some cells hold white space only
  (blank, not counted);
* times: the launch-day peak, a weekend dip and a last-day rush inside the window, some test
  submissions before it and late ones after it, a few blank.

The output depends only on the size and the seed. Writing is streamed (csv module and
xlsxwriter in constant-memory mode), so memory stays flat at any size.
"""

from __future__ import annotations

import bisect
import csv
import importlib.util
import itertools
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DEFINITION = ROOT / "sample_data" / "civic-space-2020.toml"
COUNTRIES_CSV = ROOT / "dashboard" / "reference" / "countries.csv"
GENERATOR_VERSION = 1  # bump when the output changes, so cached exports are rewritten
CONSULTATION_ID = "civic-space-2020"
QUESTIONS = [f"q{i}" for i in range(1, 10)]
THEME_OF = {q: ("partnership", "protection", "promotion")[(int(q[1:]) - 1) // 3] for q in QUESTIONS}
HEADERS = ["Respondent ID", "Submitted at", "Country", "Language", "Stakeholder type"] + [
    q.upper() for q in QUESTIONS
]
# How many of the nine questions a respondent answers (1..9); mean about 5.4.
ANSWER_COUNT_WEIGHTS = (8, 9, 10, 11, 12, 12, 12, 11, 15)
BLANK_RESPONDENTS = 0.03  # left every answer blank (they still count as respondents)
WHITESPACE_CELLS = 0.01  # a chosen cell holding only white space: blank, not a response
UNKNOWN_COUNTRIES = ("Atlantis", "N/A", "-", "Prefer not to say", "Earth", "Somewhere", "")
UNKNOWN_COUNTRY_SHARE = 0.015
LANGUAGE_SPELLINGS = {
    "en": ("en", "English", "EN", "en-GB", "anglais"),
    "fr": ("fr", "Français", "French", "fr-FR", "francais"),
    "es": ("es", "Español", "Spanish", "es-419", "espagnol"),
    "ar": ("ar", "العربية", "Arabic", "Arabe"),
    "zh": ("zh", "中文", "Chinese", "zh-Hans"),
    "ru": ("ru", "Русский", "Russian", "русский"),
    "pt": ("pt", "Português"),
    "de": ("de", "Deutsch"),
    "sw": ("Kiswahili",),
    "hi": ("हिन्दी",),
    "und": ("", "Klingon"),
}
# Languages respondents from each region write in, with weights.
LANGUAGES_BY_REGION = {
    "Africa": {"fr": 35, "en": 34, "ar": 24, "pt": 3, "sw": 3, "und": 1},
    "Americas": {"es": 55, "en": 36, "fr": 4, "pt": 4, "und": 1},
    "Asia": {"en": 44, "zh": 20, "ar": 15, "ru": 12, "hi": 8, "und": 1},
    "Europe": {"en": 38, "fr": 24, "ru": 22, "es": 10, "de": 5, "und": 1},
    "Oceania": {"en": 94, "fr": 5, "und": 1},
    "": {"en": 60, "fr": 15, "es": 15, "und": 10},
}
STAKEHOLDERS = {
    "Individual": 30,
    "Non-governmental organization": 25,
    "Human rights defender": 12,
    "Academic": 8,
    "Community-based organization": 8,
    "National human rights institution": 3,
    "Government": 3,
    "Business": 2,
    "UN entity": 2,
    "Other": 5,
    "": 2,
}
# The window is 13 Jan 2020 09:00 to 24 Jan 2020 18:00 (UTC). Weights of each day inside it.
FIRST_DAY = date(2020, 1, 13)
DAY_WEIGHTS = (16, 11, 9, 8, 7, 4, 4, 7, 7, 8, 10, 15)  # 13 (from 09:00) .. 24 (to 18:00)
BEFORE_WINDOW = 0.015  # test runs and early birds: 6 Jan to 13 Jan 09:00
AFTER_WINDOW = 0.03  # late: 24 Jan 18:00 to 27 Jan
BLANK_TIMES = 0.001


@dataclass
class ExportStats:
    responses: int
    rows: int
    respondents: int
    blank_respondents: int
    csv_bytes: int
    xlsx_bytes: int | None
    seconds: float
    seed: int
    version: int = GENERATOR_VERSION


@cache
def sample_generator() -> ModuleType:
    """`sample_data/generate.py`, imported by path (for its phrase bank)."""
    path = ROOT / "sample_data" / "generate.py"
    spec = importlib.util.spec_from_file_location("_sample_generate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _countries() -> list[dict[str, str]]:
    with COUNTRIES_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class _Writer:
    """The CSV, and the XLSX beside it when asked for, written row by row."""

    def __init__(self, csv_path: Path, xlsx_path: Path | None) -> None:
        self.handle = csv_path.open("w", newline="", encoding="utf-8")
        self.csv = csv.writer(self.handle)
        self.workbook = self.sheet = None
        if xlsx_path is not None:
            import xlsxwriter

            self.workbook = xlsxwriter.Workbook(
                str(xlsx_path), {"constant_memory": True, "strings_to_numbers": False}
            )
            self.sheet = self.workbook.add_worksheet("Responses")
        self.row = 0

    def write(self, row: list[str]) -> None:
        self.csv.writerow(row)
        if self.sheet is not None:
            for column, value in enumerate(row):
                if value:
                    self.sheet.write_string(self.row, column, value)
        self.row += 1

    def close(self) -> None:
        self.handle.close()
        if self.workbook is not None:
            self.workbook.close()


def write_export(
    csv_path: Path, responses: int, *, xlsx_path: Path | None = None, seed: int = 2020
) -> ExportStats:
    """Write an export holding exactly `responses` non-blank answers."""
    start = time.perf_counter()
    rng = random.Random(seed)
    phrases = sample_generator().PHRASES

    # Countries: a seeded order, Zipf-like weights (a few countries send most answers).
    countries = _countries()
    rng.shuffle(countries)
    weights = [1 / (rank + 3) ** 1.1 for rank in range(len(countries))]
    country_cum = list(itertools.accumulate(weights))
    forms = []  # per country: the ways it is written, with cumulative weights
    for c in countries:
        name = c["name_en"]
        written = [name, name.upper(), name.lower(), c["iso3"], c["iso2"]]
        forms.append((written, list(itertools.accumulate((70, 3, 2, 15, 10)))))
    language_tables = {}
    for region, table in LANGUAGES_BY_REGION.items():
        codes = list(table)
        language_tables[region] = (codes, list(itertools.accumulate(table.values())))
    stakeholders = list(STAKEHOLDERS)
    stakeholder_cum = list(itertools.accumulate(STAKEHOLDERS.values()))
    count_cum = list(itertools.accumulate(ANSWER_COUNT_WEIGHTS))

    # Answer banks: sentences per language and theme, and words for the tails.
    banks = {}
    for code in LANGUAGE_SPELLINGS:
        bank = phrases.get(code, phrases["en"])
        words = sorted({w for group in bank.values() for s in group for w in s.split()})
        if code == "zh":
            text = "".join(s for group in bank.values() for s in group)
            words = [text[i : i + 2] for i in range(0, len(text) - 1, 2)]
        banks[code] = (bank, words)

    def answer(language: str, theme: str) -> str:
        bank, words = banks[language]
        if rng.random() < 0.06:
            return rng.choice(bank["short"])
        n = bisect.bisect(ANSWER_SENTENCES, rng.random() * ANSWER_SENTENCES[-1]) + 1
        pool = bank[theme] + bank["generic"]
        sentences = rng.sample(pool, n)
        space = "" if language == "zh" else " "
        if rng.random() < 0.7:
            sentences.append(space.join(rng.choices(words, k=rng.randint(4, 16))) + ".")
        style = rng.random()
        if len(sentences) >= 2 and style < 0.08:
            return "\n".join(f"- {s}" for s in sentences)
        if len(sentences) >= 2 and style < 0.2:
            return "\n".join(sentences)
        return space.join(sentences)

    # Times: day strings and the share of each day; seconds within the day drawn uniformly.
    in_window = []
    for offset, weight in enumerate(DAY_WEIGHTS):
        day = FIRST_DAY + timedelta(days=offset)
        first = 9 * 3600 if offset == 0 else 0
        last = 18 * 3600 if offset == len(DAY_WEIGHTS) - 1 else 86400
        in_window.append((day.isoformat(), first, last, weight))
    window_cum = list(itertools.accumulate(w for *_, w in in_window))

    def moment() -> str:
        r = rng.random()
        if r < BLANK_TIMES:
            return ""
        if r < BLANK_TIMES + BEFORE_WINDOW:
            day = FIRST_DAY - timedelta(days=rng.randint(0, 7))
            seconds = rng.randrange(0, 9 * 3600 if day == FIRST_DAY else 86400)
            return _stamp(day.isoformat(), seconds)
        if r < BLANK_TIMES + BEFORE_WINDOW + AFTER_WINDOW:
            offset = rng.randint(0, 3)
            day = date(2020, 1, 24) + timedelta(days=offset)
            seconds = rng.randrange(18 * 3600 + 1 if offset == 0 else 0, 86400)
            return _stamp(day.isoformat(), seconds)
        day, first, last, _ = in_window[bisect.bisect(window_cum, rng.random() * window_cum[-1])]
        return _stamp(day, rng.randrange(first, last))

    writer = _Writer(csv_path, xlsx_path)
    writer.write(HEADERS)
    written = rows = blank_respondents = 0
    try:
        while written < responses:
            rows += 1
            if rng.random() < UNKNOWN_COUNTRY_SHARE:
                country, region = rng.choice(UNKNOWN_COUNTRIES), ""
            else:
                index = bisect.bisect(country_cum, rng.random() * country_cum[-1])
                index = min(index, len(countries) - 1)
                written_as, form_cum = forms[index]
                country = written_as[bisect.bisect(form_cum, rng.random() * form_cum[-1])]
                region = countries[index]["region"]
            codes, language_cum = language_tables.get(region, language_tables[""])
            language = codes[bisect.bisect(language_cum, rng.random() * language_cum[-1])]
            spelling = rng.choice(LANGUAGE_SPELLINGS[language])
            stakeholder = stakeholders[
                bisect.bisect(stakeholder_cum, rng.random() * stakeholder_cum[-1])
            ]
            row = [f"R-{rows:08d}", moment(), country, spelling, stakeholder] + [""] * 9
            if rng.random() < BLANK_RESPONDENTS:
                blank_respondents += 1
                if rng.random() < 0.3:
                    row[5 + rng.randrange(9)] = " "
            else:
                k = bisect.bisect(count_cum, rng.random() * count_cum[-1]) + 1
                k = min(k, responses - written)
                for position in sorted(rng.sample(range(9), k)):
                    text_language = language if language in phrases else "en"
                    row[5 + position] = answer(text_language, THEME_OF[QUESTIONS[position]])
                written += k
                if rng.random() < WHITESPACE_CELLS * 9:
                    empty = [p for p in range(9) if not row[5 + p]]
                    if empty:
                        row[5 + rng.choice(empty)] = rng.choice((" ", "  ", "\n", "\t"))
            writer.write(row)
    finally:
        writer.close()
    return ExportStats(
        responses=written,
        rows=rows,
        respondents=rows,
        blank_respondents=blank_respondents,
        csv_bytes=csv_path.stat().st_size,
        xlsx_bytes=xlsx_path.stat().st_size if xlsx_path is not None else None,
        seconds=time.perf_counter() - start,
        seed=seed,
    )


# Sentences in an answer: 1 to 4, most often one or two.
ANSWER_SENTENCES = list(itertools.accumulate((50, 32, 13, 5)))


def _stamp(day: str, seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{day} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def cached_export(
    folder: Path, responses: int, *, xlsx: bool, seed: int = 2020
) -> tuple[Path, Path | None, ExportStats, bool]:
    """The export of this size in `folder`, written unless an identical one is already there
    (same size, seed and generator version). Returns the paths, the stats and whether it was
    reused."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"export-{responses}.csv"
    xlsx_path = folder / f"export-{responses}.xlsx" if xlsx else None
    meta = folder / f"export-{responses}.json"
    if meta.exists() and csv_path.exists() and (xlsx_path is None or xlsx_path.exists()):
        stats = ExportStats(**json.loads(meta.read_text()))
        same = stats.seed == seed and stats.version == GENERATOR_VERSION
        if same and (xlsx_path is None or stats.xlsx_bytes is not None):
            return csv_path, xlsx_path, stats, True
    stats = write_export(csv_path, responses, xlsx_path=xlsx_path, seed=seed)
    meta.write_text(json.dumps(asdict(stats)))
    return csv_path, xlsx_path, stats, False


if __name__ == "__main__":
    target = Path(sys.argv[1])
    size = int(sys.argv[2])
    print(
        write_export(target, size, xlsx_path=target.with_suffix(".xlsx") if size <= 1e6 else None)
    )
