"""The report pack as one Word document: a title page, the methodology note, and for every
chart of the pack its image, a numbered caption, its source lines, its table and a few
sentences read off that table.

Pure: it takes what the pack already made (the protected tables, the rendered PNGs, the note in
Markdown) and returns the bytes of a .docx. Every number in it comes from those tables, which
were protected before they got here ("< k" for hidden cells, perturbed under filters), so the
document can say no more than the CSVs beside it. Real headings, lists, tables and captions
(Word's SEQ fields), so a report writer can edit it, restyle it and build a table of figures.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from babel.numbers import format_decimal
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from dashboard.publish import style
from dashboard.reference import i18n
from dashboard.reference.i18n import N_, _, ngettext

# Latin and Cyrillic in Arial; Chinese (east-asian) and Arabic (complex script) in Noto, whose
# fonts cover them; Word and LibreOffice pick the slot by each character's script.
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Noto Sans CJK SC"
COMPLEX_SCRIPT_FONT = "Noto Sans Arabic"
CODE_FONT = "Courier New"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)  # A4
MARGIN = Cm(2.5)
TEXT_WIDTH = Cm(16)  # A4 less two margins: charts are placed at the full width
QUOTE_INDENT = Cm(1)
SOURCE_STYLE = "Source"
TABLE_TEXT_STYLE = "Table Text"
FIGURE, TABLE = "Figure", "Table"  # Word's caption labels (SEQ field names), not shown text
# The language Word is told the text is in (spelling, hyphenation), by interface language.
WORD_LANGUAGES = {
    "ar": "ar-SA",
    "zh": "zh-CN",
    "en": "en-GB",
    "fr": "fr-FR",
    "ru": "ru-RU",
    "es": "es-ES",
}
# What may follow w:bidi in a paragraph's properties, w:rtl in a run's and w:bidiVisual in a
# table's, in the order of the schema's sequences (ECMA-376 part 1).
PARAGRAPH_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
RUN_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
TABLE_AFTER_BIDI = (
    "w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing",
    "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
    "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Cover:
    """What the title page says: the consultation by its title (never its id), its window,
    the filters in force and when the report was made."""

    title: str
    window: str
    filters: str
    made: datetime
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class ChartSection:
    """One chart of the pack: its title, caption lines, table of numbers as published ("< k"
    for hidden cells) and its PNG (None for a table without a chart, or an empty chart)."""

    title: str
    footer: Sequence[str]
    table: pd.DataFrame
    image: bytes | None = None


@dataclass(frozen=True)
class Quote:
    """One quote: the answer's redacted text, and what is said of it (its language, place and
    stakeholder type, already as a quote may show them)."""

    text: str
    about: str


@dataclass(frozen=True)
class QuoteGroup:
    """The quotes of one theme, code or topic, under its heading."""

    heading: str
    quotes: Sequence[Quote]


def build(
    cover: Cover,
    methodology: str,
    sections: Sequence[ChartSection],
    k: int,
    quotes: Sequence[QuoteGroup] = (),
) -> bytes:
    """The .docx: title page, the methodology note (Markdown, rendered as Word headings, lists
    and tables), then one section per chart, then the pinned quotes ("What respondents said")
    when there are any. `k` is the threshold the tables' "< k" cells stand for."""
    document = _new_document(cover)
    _title_page(document, cover)
    _markdown(document, methodology)
    figures_and_tables = document.add_heading(_("Figures and tables"), level=1)
    figures_and_tables.paragraph_format.page_break_before = True
    figures = 0
    for number, section in enumerate(sections, start=1):  # every section has its table
        heading = document.add_heading(section.title, level=2)
        heading.paragraph_format.page_break_before = number > 1
        if section.image is not None:
            figures += 1
            picture = document.add_paragraph()
            picture.add_run().add_picture(io.BytesIO(section.image), width=TEXT_WIDTH)
            picture.paragraph_format.keep_with_next = True
            _describe_picture(picture, section.title)
            _caption(document, FIGURE, figures, section.title)
            _source(document, section.footer)
        _caption(document, TABLE, number, section.title).paragraph_format.keep_with_next = True
        _table(document, [str(c) for c in section.table.columns], _cells(section.table))
        if section.image is None:
            _source(document, section.footer)
        say = document.add_paragraph()
        say.add_run(_("What the figures say:") + " ").bold = True
        say.add_run(figures_say(section.table, k))
    if quotes:
        _quotes(document, quotes)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _quotes(document: WordDocument, groups: Sequence[QuoteGroup]) -> None:
    """ "What respondents said": per theme, code or topic, each quote in Word's Quote style, in
    its own direction (an Arabic quote right to left in an English report, an English one left
    to right in an Arabic report), and under it, in the source style, its language, place and
    stakeholder type."""
    heading = document.add_heading(_("What respondents said"), level=1)
    heading.paragraph_format.page_break_before = True
    for group in groups:
        document.add_heading(group.heading, level=2)
        for quote in group.quotes:
            text = document.add_paragraph(style="Quote")
            text.paragraph_format.keep_with_next = True
            # Indented the same on both sides, so it reads the same in either direction.
            text.paragraph_format.left_indent = text.paragraph_format.right_indent = QUOTE_INDENT
            # Quotation marks would take the direction of the surrounding text: the quote is set
            # apart by its style (indented, italic where the script has italics) instead.
            run = text.add_run(quote.text)
            right_to_left = is_right_to_left(quote.text)
            if right_to_left or _east_asian(quote.text):
                # Arabic and Chinese have no italics: slanted, they only read worse.
                run.italic = False
                run.font.cs_italic = False
            _direction(text, run, right_to_left=right_to_left)
            about = document.add_paragraph(quote.about, style=SOURCE_STYLE)
            about.paragraph_format.space_after = Pt(8)


def _east_asian(text: str) -> bool:
    """Whether a text holds wide (Chinese, Japanese, Korean) characters."""
    return any(unicodedata.east_asian_width(character) in ("W", "F") for character in text)


def is_right_to_left(text: str) -> bool:
    """Whether a text reads right to left: its first letter of a strong direction is Arabic,
    Hebrew or another right-to-left script (as the browser's dir="auto" decides)."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _direction(paragraph: Paragraph, run: Any, *, right_to_left: bool) -> None:
    """Set a paragraph's and its run's direction explicitly, whatever the document's (an
    Arabic report's paragraphs are right to left by default): w:bidi on the paragraph, w:rtl on
    the run, each in its place in the schema's sequence and switched off with val="0"."""
    properties = paragraph._p.get_or_add_pPr()
    bidi = properties.find(qn("w:bidi"))
    if bidi is None:
        bidi = OxmlElement("w:bidi")
        properties.insert_element_before(bidi, *PARAGRAPH_AFTER_BIDI)
    bidi.set(qn("w:val"), "1" if right_to_left else "0")
    run_properties = run._r.get_or_add_rPr()
    rtl = run_properties.find(qn("w:rtl"))
    if rtl is None:
        rtl = OxmlElement("w:rtl")
        run_properties.insert_element_before(rtl, *RUN_AFTER_RTL)
    rtl.set(qn("w:val"), "1" if right_to_left else "0")


def count_columns() -> tuple[str, str]:
    """The headings of the count columns, in the language in force."""
    return (_("Respondents"), _("Responses"))


def figures_say(table: pd.DataFrame, k: int) -> str:
    """A few sentences read off a table of published numbers and nothing else: how many rows,
    how many hidden, and the row with the most respondents with its share of those shown.
    Hidden cells are counted, never valued, and shown cells are at least k already."""
    if table.empty:
        return _("The table has no rows for the filters in force.")
    rows = len(table)
    respondents = count_columns()[0]
    if respondents not in table.columns:
        return ngettext("The table has {rows} row.", "The table has {rows} rows.", rows).format(
            rows=i18n.number(rows)
        )
    counts = [_count(value) for value in table[respondents]]
    hidden = sum(count is None for count in counts)
    if hidden == 0:
        opening = ngettext(
            "The table has {rows} row, none of them hidden.",
            "The table has {rows} rows, none of them hidden.",
            rows,
        )
    elif hidden < rows:
        opening = ngettext(
            'The table has {rows} row, {hidden} of them hidden (shown as "< {k}").',
            'The table has {rows} rows, {hidden} of them hidden (shown as "< {k}").',
            rows,
        )
    else:
        opening = ngettext(
            'The table has {rows} row, all of them hidden (shown as "< {k}").',
            'The table has {rows} rows, all of them hidden (shown as "< {k}").',
            rows,
        )
    opening = opening.format(rows=i18n.number(rows), hidden=i18n.number(hidden), k=k)
    labels = _labels(table)
    shown = [(label, n) for label, n in zip(labels, counts, strict=True) if n is not None]
    if not shown:
        return opening
    label, largest = max(shown, key=lambda pair: pair[1])
    if largest == 0:
        return " ".join((opening, _("No row shown has respondents.")))
    if len(shown) == 1:
        one = ngettext(
            "The one row with respondents shown is {label}: {count} respondent.",
            "The one row with respondents shown is {label}: {count} respondents.",
            largest,
        ).format(label=label, count=i18n.number(largest))
        return " ".join((opening, one))
    total = sum(count for _label, count in shown)
    tied = sum(count == largest for _label, count in shown) - 1
    values = {
        "label": label,
        "count": i18n.number(largest),
        "share": _percent(largest, total),
        "total": i18n.number(total),
        "rows": i18n.number(len(shown)),
        "tied": i18n.number(tied),
    }
    if tied:
        most = ngettext(
            "The most respondents are in {label} (tied with {tied} other row): {count}, "
            "{share} of the {total} summed over the {rows} rows shown.",
            "The most respondents are in {label} (tied with {tied} other rows): {count}, "
            "{share} of the {total} summed over the {rows} rows shown.",
            tied,
        )
    else:
        most = _(
            "The most respondents are in {label}: {count}, {share} of the {total} summed over "
            "the {rows} rows shown."
        )
    return " ".join((opening, most.format(**values)))


def _percent(part: int, whole: int) -> str:
    share = part / whole
    return (
        _("less than {share}").format(share=i18n.percent(0.01, 0))
        if share < 0.01
        else (i18n.percent(share, 0))
    )


def _count(value: object) -> int | None:
    """A published count, or None where it is hidden ("< k") or missing."""
    if value is None or isinstance(value, str) or pd.isna(value):
        return None
    return int(value)


def _labels(table: pd.DataFrame) -> list[str]:
    """What names each row: its first column, or its first two where the first repeats (a
    theme by region, a day by code)."""
    keys = [c for c in table.columns if c not in count_columns()][:2]
    if not keys:
        return [_("row {number}").format(number=n) for n in range(1, len(table) + 1)]
    if len(keys) == 1 or table[keys[0]].is_unique:
        keys = keys[:1]
    return [", ".join(_text(v) for v in values) for values in table[keys].itertuples(index=False)]


def _cells(table: pd.DataFrame) -> list[list[str]]:
    return [[_text(value) for value in row] for row in table.itertuples(index=False)]


def _text(value: object) -> str:
    """A cell as the reader sees it: counts with thousands separators, "< k" as it is."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return i18n.number(value)
    return format_decimal(value, locale=i18n.locale())


# The document and its styles.


def _new_document(cover: Cover) -> WordDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.different_first_page_header_footer = True  # no page number on the title page
    footer = section.footer.paragraphs[0]
    footer.add_run(_("{title} · page").format(title=cover.title) + " ")
    _field(footer, "PAGE", "1")
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(document)
    if i18n.is_rtl():
        _right_to_left(document)
    styles = document.styles
    styles["Normal"].font.size = Pt(10)
    source = styles.add_style(SOURCE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = styles["Normal"]
    source.font.size = Pt(8)
    source.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    source.paragraph_format.space_after = Pt(2)
    table_text = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(8)
    table_text.paragraph_format.space_after = Pt(0)
    properties = document.core_properties
    properties.title = cover.title
    properties.subject = _("Consultation report")
    properties.author = properties.last_modified_by = _("Consultation dashboard")
    properties.created = properties.modified = cover.made
    properties.comments = properties.keywords = ""
    properties.revision = 1
    return document


def _fonts(document: WordDocument) -> None:
    """The document's default fonts, Normal's and those of every style that names its own (the
    headings, the title) set for each script, without the theme fonts, which would win over
    a named font."""
    root = document.styles.element
    defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    normal = document.styles["Normal"].element.get_or_add_rPr()
    targets = [normal, *([] if defaults is None else [defaults])]
    targets += [
        properties
        for properties in root.iterfind(f"{qn('w:style')}/{qn('w:rPr')}")
        if properties.find(qn("w:rFonts")) is not None and properties is not normal
    ]
    for properties in targets:
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            properties.insert(0, fonts)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        for slot, name in (
            ("w:ascii", LATIN_FONT),
            ("w:hAnsi", LATIN_FONT),
            ("w:eastAsia", EAST_ASIAN_FONT),
            ("w:cs", COMPLEX_SCRIPT_FONT),
        ):
            fonts.set(qn(slot), name)
    if defaults is not None:
        # Tells Word which language each script slot is in (it picks fonts and shaping by it).
        language = defaults.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            defaults.append(language)
        language.set(qn("w:val"), WORD_LANGUAGES.get(i18n.current(), "en-GB"))
        language.set(qn("w:eastAsia"), "zh-CN")
        language.set(qn("w:bidi"), "ar-SA")


def _right_to_left(document: WordDocument) -> None:
    """Arabic: every paragraph (Normal, and the styles built on it) right to left, its runs
    right-to-left text, so Word lays the report out as an Arabic reader expects."""
    # Each element in its place in the schema's sequence (Word refuses them out of order).
    normal = document.styles["Normal"].element
    paragraph = normal.get_or_add_pPr()
    if paragraph.find(qn("w:bidi")) is None:
        paragraph.insert_element_before(OxmlElement("w:bidi"), *PARAGRAPH_AFTER_BIDI)
    run = normal.get_or_add_rPr()
    if run.find(qn("w:rtl")) is None:
        run.insert_element_before(OxmlElement("w:rtl"), *RUN_AFTER_RTL)


def _title_page(document: WordDocument, cover: Cover) -> None:
    for _blank in range(6):
        document.add_paragraph()
    document.add_paragraph(cover.title, style="Title")
    document.add_paragraph(_("Consultation report"), style="Subtitle")
    made = _("{moment} with the consultation dashboard").format(
        moment=style.moment_text(cover.made, "UTC")
    )
    for label, text in (
        (_("Window:"), cover.window),
        (_("Filters in force:"), cover.filters),
        (_("Made:"), made),
    ):
        line = document.add_paragraph()
        line.add_run(label + " ").bold = True
        line.add_run(text)
    for note in cover.notes:
        document.add_paragraph(note, style=SOURCE_STYLE)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _caption(document: WordDocument, kind: str, number: int, title: str) -> Paragraph:
    """ "Figure 3. Title": Word's own caption (a SEQ field), so a table of figures finds it."""
    caption = document.add_paragraph(style="Caption")
    before, after = (
        _("Figure {number}. {title}") if kind == FIGURE else _("Table {number}. {title}")
    ).split("{number}", 1)
    caption.add_run(before)
    _field(caption, f"SEQ {kind} \\* ARABIC", str(number))
    caption.add_run(after.format(title=title))
    return caption


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A field with its result already in place (Word recomputes it on update)."""

    def run_with(element: str, **attributes: str) -> None:
        run = OxmlElement("w:r")
        child = OxmlElement(element)
        for name, value in attributes.items():
            child.set(qn(name), value)
        run.append(child)
        paragraph._p.append(run)

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run = OxmlElement("w:r")
    run.append(instr)
    paragraph._p.append(run)
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run(shown)
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _describe_picture(paragraph: Paragraph, title: str) -> None:
    # Alternative text, read by screen readers.
    for properties in paragraph._p.iter(qn("wp:docPr")):
        properties.set("descr", title)
        properties.set("title", title)


def _source(document: WordDocument, lines: Sequence[str]) -> None:
    for line in lines:
        document.add_paragraph(line, style=SOURCE_STYLE)


def _table(document: WordDocument, header: list[str], rows: list[list[str]]) -> None:
    """A real Word table: header row in bold and repeated on every page, counts aligned right."""
    table = document.add_table(rows=1 + len(rows), cols=max(1, len(header)))
    table.style = "Table Grid"
    table.autofit = False
    widths = _column_widths([header, *rows])
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid (LibreOffice reads it); Word reads each cell's
    text_style = document.styles[TABLE_TEXT_STYLE].style_id
    right = {
        n
        for n, name in enumerate(header)
        if name in count_columns() or name in (_("Respondents so far"), "Respondents so far")
    }
    for number, (row, values) in enumerate(zip(table.rows, [header, *rows], strict=True)):
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            # By id: python-docx looks a style name up again for every cell, slowly.
            paragraph._p.get_or_add_pPr().style = text_style
            run = paragraph.add_run(value)
            if number == 0:
                run.bold = True
            if column in right and number > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if i18n.is_rtl():  # columns from right to left, the first on the right
        table._tbl.tblPr.insert_element_before(OxmlElement("w:bidiVisual"), *TABLE_AFTER_BIDI)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    document.add_paragraph()


def _column_widths(rows: list[list[str]]) -> list[int]:
    """The text width shared out by each column's longest cell, within bounds: a question's
    text gets more room than its number, and no column gets too narrow for a count."""
    columns = len(rows[0]) if rows else 1
    weights = [
        min(30, max(6, *(len(row[n]) for row in rows if n < len(row)))) for n in range(columns)
    ]
    return [int(TEXT_WIDTH * weight / sum(weights)) for weight in weights]


# The methodology note: the few kinds of Markdown `report.methodology` writes.

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# The note's list of the pack's files is left out: the Word report is also downloaded alone
# (from the sidebar), without those files.
LEFT_OUT = (N_("Files"),)
RULE_ROW = re.compile(r"^\|[\s:|-]+\|$")


def _markdown(document: WordDocument, text: str) -> None:
    lines = text.splitlines()
    paragraph: list[str] = []
    skipping = False

    def flush() -> None:
        if paragraph:
            _inline(document.add_paragraph(), " ".join(paragraph))
            paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        heading = HEADING.match(line)
        if heading:
            flush()
            skipping = heading.group(2).strip() in {_(title) for title in LEFT_OUT}
        if skipping:
            index += 1
            continue
        if line.startswith("|"):
            flush()
            block = []
            while index < len(lines) and lines[index].startswith("|"):
                block.append(lines[index].rstrip())
                index += 1
            _markdown_table(document, block)
            continue
        if heading:
            level = min(len(heading.group(1)), 9)
            _inline(document.add_heading(level=level), heading.group(2))
        elif line.startswith(("- ", "* ")):
            flush()
            _inline(document.add_paragraph(style="List Bullet"), line[2:])
        elif not line.strip():
            flush()
        else:
            paragraph.append(line.strip())
        index += 1
    flush()


def _inline(paragraph: Paragraph, text: str) -> None:
    """Text with `code` spans in a typewriter font (hashes, file names)."""
    for number, part in enumerate(re.split(r"`([^`]*)`", text)):
        if part:
            run = paragraph.add_run(part)
            if number % 2:
                run.font.name = CODE_FONT


def _markdown_table(document: WordDocument, block: list[str]) -> None:
    rows = [_split_row(line) for line in block if not RULE_ROW.match(line)]
    if not rows:
        return
    # Cells are kept whatever a row's length (a "|" inside a file name makes one more).
    width = max(len(row) for row in rows)
    header, *body = [
        [cell.replace("`", "") for cell in row] + [""] * (width - len(row)) for row in rows
    ]
    _table(document, header, body)


def _split_row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]
