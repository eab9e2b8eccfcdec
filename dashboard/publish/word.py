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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from dashboard.publish import style

# Latin and Cyrillic in Arial; Chinese (east-asian) and Arabic (complex script) in Noto, whose
# fonts cover them; Word and LibreOffice pick the slot by each character's script.
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Noto Sans CJK SC"
COMPLEX_SCRIPT_FONT = "Noto Sans Arabic"
CODE_FONT = "Courier New"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)  # A4
MARGIN = Cm(2.5)
TEXT_WIDTH = Cm(16)  # A4 less two margins: charts are placed at the full width
COUNT_COLUMNS = ("Respondents", "Responses")
SOURCE_STYLE = "Source"
TABLE_TEXT_STYLE = "Table Text"
FIGURE, TABLE = "Figure", "Table"
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


def build(cover: Cover, methodology: str, sections: Sequence[ChartSection], k: int) -> bytes:
    """The .docx: title page, the methodology note (Markdown, rendered as Word headings, lists
    and tables), then one section per chart. `k` is the threshold the tables' "< k" cells
    stand for."""
    document = _new_document(cover)
    _title_page(document, cover)
    _markdown(document, methodology)
    document.add_heading("Figures and tables", level=1).paragraph_format.page_break_before = True
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
        say.add_run("What the figures say: ").bold = True
        say.add_run(figures_say(section.table, k))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def figures_say(table: pd.DataFrame, k: int) -> str:
    """A few sentences read off a table of published numbers and nothing else: how many rows,
    how many hidden, and the row with the most respondents with its share of those shown.
    Hidden cells are counted, never valued, and shown cells are at least k already."""
    if table.empty:
        return "The table has no rows for the filters in force."
    rows = len(table)
    if "Respondents" not in table.columns:
        return f"The table has {_rows(rows)}."
    counts = [_count(value) for value in table["Respondents"]]
    hidden = sum(count is None for count in counts)
    hidden_text = (
        "none of them hidden"
        if hidden == 0
        else f'{hidden:,} of them hidden (shown as "< {k}")'
        if hidden < rows
        else f'all of them hidden (shown as "< {k}")'
    )
    opening = f"The table has {_rows(rows)}, {hidden_text}."
    labels = _labels(table)
    shown = [(label, n) for label, n in zip(labels, counts, strict=True) if n is not None]
    if not shown:
        return opening
    label, largest = max(shown, key=lambda pair: pair[1])
    if largest == 0:
        return f"{opening} No row shown has respondents."
    if len(shown) == 1:
        return f"{opening} The one row with respondents shown is {label}: {largest:,} respondents."
    total = sum(count for _, count in shown)
    tied = sum(count == largest for _, count in shown) - 1
    ties = f" (tied with {_rows(tied, 'other')})" if tied else ""
    return (
        f"{opening} The most respondents are in {label}{ties}: {largest:,}, "
        f"{_percent(largest, total)} of the {total:,} summed over the {len(shown):,} rows shown."
    )


def _rows(count: int, adjective: str = "") -> str:
    noun = "row" if count == 1 else "rows"
    return " ".join(part for part in (f"{count:,}", adjective, noun) if part)


def _percent(part: int, whole: int) -> str:
    share = 100 * part / whole
    return "less than 1%" if share < 1 else f"{share:.0f}%"


def _count(value: object) -> int | None:
    """A published count, or None where it is hidden ("< k") or missing."""
    if value is None or isinstance(value, str) or pd.isna(value):
        return None
    return int(value)


def _labels(table: pd.DataFrame) -> list[str]:
    """What names each row: its first column, or its first two where the first repeats (a
    theme by region, a day by code)."""
    keys = [c for c in table.columns if c not in COUNT_COLUMNS][:2]
    if not keys:
        return [f"row {n}" for n in range(1, len(table) + 1)]
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
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


# The document and its styles.


def _new_document(cover: Cover) -> WordDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.different_first_page_header_footer = True  # no page number on the title page
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{cover.title} · page ")
    _field(footer, "PAGE", "1")
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(document)
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
    properties.subject = "Consultation report"
    properties.author = properties.last_modified_by = "Consultation dashboard"
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
        language.set(qn("w:val"), "en-GB")
        language.set(qn("w:eastAsia"), "zh-CN")
        language.set(qn("w:bidi"), "ar-SA")


def _title_page(document: WordDocument, cover: Cover) -> None:
    for _ in range(6):
        document.add_paragraph()
    document.add_paragraph(cover.title, style="Title")
    document.add_paragraph("Consultation report", style="Subtitle")
    for label, text in (
        ("Window", cover.window),
        ("Filters in force", cover.filters),
        ("Made", f"{style.moment_text(cover.made, 'UTC')} with the consultation dashboard"),
    ):
        line = document.add_paragraph()
        line.add_run(f"{label}: ").bold = True
        line.add_run(text)
    for note in cover.notes:
        document.add_paragraph(note, style=SOURCE_STYLE)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _caption(document: WordDocument, kind: str, number: int, title: str) -> Paragraph:
    """ "Figure 3. Title": Word's own caption (a SEQ field), so a table of figures finds it."""
    caption = document.add_paragraph(style="Caption")
    caption.add_run(f"{kind} ")
    _field(caption, f"SEQ {kind} \\* ARABIC", str(number))
    caption.add_run(f". {title}")
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
    right = {n for n, name in enumerate(header) if name in COUNT_COLUMNS or "so far" in name}
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
LEFT_OUT = frozenset({"Files"})
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
            skipping = heading.group(2).strip() in LEFT_OUT
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
