"""The command line: `python -m dashboard ...`, the same code path as the app.

Exit status: 0 when all went well (a file imported before counts as well: nothing to do), 1 when
a file or definition was refused, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import duckdb

from dashboard.coding import tagging
from dashboard.coding.codebook import CodebookError, load_codebook
from dashboard.definition.consultation import Consultation, ConsultationError, load_consultation
from dashboard.importer import (
    FileRefused,
    ImportReport,
    MappingError,
    count_import,
    import_file,
    load,
    load_mapping,
    prepare,
    uncounted_imports,
    undo_import,
)
from dashboard.importer.batch import gather, import_batch
from dashboard.importer.parted import MEMORY_LIMIT
from dashboard.publish import compare, render, report
from dashboard.publish.catalogue import PERIOD_LABELS, Context, language_label
from dashboard.reference import geo, i18n
from dashboard.reference.i18n import _
from dashboard.store import database, queries
from dashboard.store.queries import Filters
from dashboard.store.summary import summary

# Unicode categories never shown as they are in a listing: controls, formatting (bidi
# overrides, zero-width), surrogates, private use, unassigned, line and paragraph separators.
ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
PROGRESS_FROM = 200  # files in a batch from which the CLI reports its progress
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_CONSULTATION = SAMPLE_DIR / "civic-space-2020.toml"
SAMPLE_CODEBOOK = SAMPLE_DIR / "civic-space-2020.codebook.toml"
# Each sample export with its mapping (None: the headers need none).
SAMPLE_EXPORTS = (
    ("responses_en.csv", None),
    ("reponses_fr.csv", "reponses_fr.mapping.toml"),
    ("responses_ru.xlsx", "responses_ru.mapping.toml"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Load consultation exports into the store and read its figures.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    consultation = commands.add_parser("consultation", help="manage consultation definitions")
    consultation_commands = consultation.add_subparsers(dest="action", required=True)
    add = consultation_commands.add_parser("add", help="add or replace one from a TOML file")
    add.add_argument("file", type=Path)
    _db_option(add)
    listing = consultation_commands.add_parser("list", help="list consultations in the store")
    _db_option(listing)

    importing = commands.add_parser("import", help="import export files into a consultation")
    importing.add_argument("--consultation", required=True)
    importing.add_argument("--mapping", type=Path, help="mapping TOML for these files")
    importing.add_argument("--by", default="local", help="who imports (recorded)")
    importing.add_argument(
        "--separately",
        action="store_true",
        help="one import per file (the files of a folder or ZIP too); by default a folder, a "
        "ZIP or several files are one import, written and undone as one",
    )
    importing.add_argument(
        "files", nargs="+", type=Path, help="export files, folders of them, or ZIPs of them"
    )
    _db_option(importing)

    summarise = commands.add_parser("summary", help="print a consultation's figures")
    summarise.add_argument("--consultation", required=True)
    summarise.add_argument("--json", action="store_true", help="one JSON object (the default)")
    summarise.add_argument(
        "--text", action="store_true", help="readable lines instead, in the language of --lang"
    )
    _language_option(summarise)
    _filter_options(summarise)
    _db_option(summarise)

    export = commands.add_parser(
        "export",
        help="write the report pack (charts, tables, answers, note, Word report) to a folder",
    )
    export.add_argument("--consultation", required=True)
    export.add_argument("--out", type=Path, required=True, help="folder to write into")
    export.add_argument(
        "--exact",
        action="store_true",
        help="release exact figures, small counts included (recorded in the audit log)",
    )
    export.add_argument(
        "--compare",
        action="store_true",
        help="write segments side by side instead of the report pack: each breakdown's "
        "counts, shares and differences, as CSV and XLSX (needs 2 to 4 --segment)",
    )
    export.add_argument(
        "--segment",
        action="append",
        default=[],
        metavar="FILTERS",
        help="with --compare, one segment: filters as KEY=VALUE separated by ';', a key "
        'repeated for several values, e.g. "language=ar;stakeholder-type=NGO" or '
        '"country=FRA;country=SEN;from=2020-01-15"; keys: '
        + ", ".join(SEGMENT_KEYS)
        + ' (consultation=ID compares another consultation); "all" for no filter',
    )
    export.add_argument(
        "--measure",
        choices=("respondents", "responses"),
        default="respondents",
        help="with --compare, what the counts and shares count (default: respondents)",
    )
    _language_option(export)
    _filter_options(export)
    _db_option(export)

    history = commands.add_parser("imports", help="list a consultation's imports")
    history.add_argument("--consultation", required=True)
    _db_option(history)

    counting = commands.add_parser(
        "count", help="tag and count an import stopped before its answers were counted"
    )
    counting.add_argument("--consultation", required=True)
    counting.add_argument("--import", dest="import_id", type=int, required=True)
    _db_option(counting)

    undo = commands.add_parser("undo", help="remove exactly what one import brought")
    undo.add_argument("--consultation", required=True)
    undo.add_argument("--import", dest="import_id", type=int, required=True)
    _db_option(undo)

    codebook = commands.add_parser("codebook", help="a consultation's codebook and its tags")
    codebook_commands = codebook.add_subparsers(dest="action", required=True)
    setting = codebook_commands.add_parser(
        "set", help="replace the codebook from a TOML file and re-tag every answer"
    )
    setting.add_argument("--consultation", required=True)
    setting.add_argument("--by", default="local", help="who changes it (recorded)")
    setting.add_argument("file", type=Path)
    _db_option(setting)
    showing = codebook_commands.add_parser("show", help="print the codebook as TOML")
    showing.add_argument("--consultation", required=True)
    _db_option(showing)

    sample = commands.add_parser(
        "load-sample", help="load the sample consultation if the store has no consultation"
    )
    _db_option(sample)
    return parser


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"store file (default: $DASHBOARD_DB or {database.DEFAULT_DB})",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="while another process (the dashboard, another command) holds the store, keep "
        "trying this long before giving up (default: give up at once, saying who holds it)",
    )


def _language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=i18n.DEFAULT,
        help="language of the text: the report pack's titles, tables, note and Word report, "
        "or summary --text (default: en)",
    )


def _filter_options(parser: argparse.ArgumentParser) -> None:
    for name, help_text in (
        ("region", "M49 region, or Unknown"),
        ("country", "ISO3 code, or Unknown"),
        ("language", "ISO 639-1 code, or und"),
        ("answer-language", "language the answer is written in, as detected: ISO 639-1, or und"),
        ("stakeholder-type", "stakeholder type as stored"),
        ("theme", "theme id"),
        ("question", "question id"),
        ("code", "code id of the codebook, or '(none)' for answers no code tags"),
    ):
        parser.add_argument(f"--{name}", action="append", default=[], help=help_text)
    parser.add_argument("--from", dest="date_from", type=date.fromisoformat)
    parser.add_argument("--to", dest="date_to", type=date.fromisoformat)
    parser.add_argument("--timezone", default="UTC", help="zone of days and of --from/--to")


def filters_from(args: argparse.Namespace) -> Filters:
    return Filters(
        regions=tuple(args.region),
        countries=tuple(c.upper() if c != "Unknown" else c for c in args.country),
        languages=tuple(args.language),
        answer_languages=tuple(args.answer_language),
        stakeholder_types=tuple(args.stakeholder_type),
        themes=tuple(args.theme),
        questions=tuple(q.lower() for q in args.question),
        codes=tuple(args.code),
        date_from=args.date_from,
        date_to=args.date_to,
        timezone=args.timezone,
    )


# The keys of a --segment: the filter options' names, and the consultation.
SEGMENT_KEYS = (
    "region", "country", "language", "answer-language", "stakeholder-type", "theme", "question",
    "code", "from", "to", "consultation",
)  # fmt: skip


class SegmentError(ValueError):
    pass


def parse_segment(text: str, timezone: str = "UTC") -> tuple[str | None, Filters]:
    """A --segment: its consultation (None: the command's) and its filters, read as the filter
    options are (`filters_from`)."""
    values: dict[str, list[str]] = {key: [] for key in SEGMENT_KEYS}
    if text.strip().casefold() not in ("", "all"):
        for part in text.split(";"):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            key = key.strip().casefold().replace("_", "-")
            if not sep or key not in values or not value.strip():
                raise SegmentError(
                    f"segment {text!r}: {part.strip()!r} is not KEY=VALUE with a key among "
                    + ", ".join(SEGMENT_KEYS)
                )
            values[key].append(value.strip())
    for key in ("from", "to", "consultation"):
        if len(values[key]) > 1:
            raise SegmentError(f"segment {text!r}: {key} given more than once")
    try:
        date_from, date_to = (
            date.fromisoformat(values[key][0]) if values[key] else None for key in ("from", "to")
        )
    except ValueError as exc:
        raise SegmentError(f"segment {text!r}: {exc}") from exc
    filters = filters_from(
        argparse.Namespace(
            region=values["region"],
            country=values["country"],
            language=values["language"],
            answer_language=values["answer-language"],
            stakeholder_type=values["stakeholder-type"],
            theme=values["theme"],
            question=values["question"],
            code=values["code"],
            date_from=date_from,
            date_to=date_to,
            timezone=timezone,
        )
    )
    return (values["consultation"] or [None])[0], filters


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "consultation" and args.action == "add":
        try:
            definition = load_consultation(args.file)
        except ConsultationError as exc:
            _error(str(exc))
            return 1
        args.definition = definition
    handler = {
        "consultation": _consultation,
        "import": _import,
        "summary": _summary,
        "load-sample": _load_sample,
        "imports": _imports,
        "export": _export,
        "undo": _undo,
        "count": _count,
        "codebook": _codebook,
    }[args.command]
    store = args.db or database.default_db_path()
    args.store = store
    args.audit_later = []
    reading = is_read_only(args)
    try:
        con = _open_for_reading(store, args.wait) if reading else _open(store, args.wait)
    except database.StoreBusy as exc:
        _error(str(exc))
        return 1
    except (duckdb.Error, OSError) as exc:
        _error(f"the store {store} cannot be opened: {exc}")
        return 1
    with con, i18n.using(getattr(args, "lang", i18n.DEFAULT)):
        try:
            status = handler(con, args)
        except duckdb.Error as exc:
            # Whatever was under way was rolled back; a message, never a traceback.
            _error(f"the store {store} could not be read or written: {exc}")
            return 1
        except OSError as exc:  # a folder that cannot be written, a disk full: said plainly
            _error(str(exc))
            return 1
        except render.ImagesUnavailable as exc:  # no browser to draw the pack's charts with
            _error(str(exc))
            return 1
    return _record_audit_later(store, args.audit_later) or status


# Commands that only read: they open the store read-only, so they run beside the dashboard
# (which holds it read-only between its writes) and beside each other.
READ_ONLY_COMMANDS = frozenset(
    {("summary",), ("export",), ("imports",), ("consultation", "list"), ("codebook", "show")}
)


def is_read_only(args: argparse.Namespace) -> bool:
    return (args.command,) in READ_ONLY_COMMANDS or (
        args.command,
        getattr(args, "action", None),
    ) in READ_ONLY_COMMANDS


def _open(store: Path, wait: float) -> duckdb.DuckDBPyConnection:
    return database.connect(store, wait_seconds=wait)


def _open_for_reading(store: Path, wait: float) -> duckdb.DuckDBPyConnection:
    """The store read-only. When nobody holds it, it is first opened for writing for a moment,
    as every command did before: that lays out a new or older store's schema and rebuilds
    stale facts, which reading alone cannot. When someone holds it (the dashboard), they did."""
    # (A ConnectionException: this process has it read-only already, as the app under test.)
    with contextlib.suppress(database.StoreBusy, duckdb.ConnectionException):
        _open(store, 0).close()
    return database.connect(store, read_only=True, wait_seconds=wait)


def _record_audit_later(store: Path, entries: list[tuple]) -> int:
    """Audit entries of a read-only command: kept beside the store first (so none is lost),
    then moved into the audit log at once if the store can be written now; otherwise the next
    write moves them (the dashboard's next write, or any command that writes)."""
    if not entries:
        return 0
    try:
        for entry in entries:
            spool = database.spool_audit(store, *entry)
    except OSError as exc:
        _error(f"the audit entry could not be recorded beside the store {store}: {exc}")
        return 1
    with contextlib.suppress(database.StoreBusy, duckdb.Error, OSError):
        _open(store, 0).close()  # opening for writing moves the spooled entries in
    if spool.exists() and spool.stat().st_size:
        print(
            f"note: the audit entry waits in {spool} while another process holds the store; "
            "the next write to the store (the dashboard's, or a command's) adds it to the log.",
            file=sys.stderr,
        )
    return 0


def _consultation(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    if args.action == "list":
        for consultation_id in database.consultation_ids(con):
            print(consultation_id)
        return 0
    consultation = args.definition
    is_new = database.save_consultation(con, consultation)
    print(f"{'Added' if is_new else 'Updated'} consultation {consultation.id!r}")
    return 0


def _import(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    consultation = database.get_consultation(con, args.consultation)
    if consultation is None:
        _error(f"no consultation {args.consultation!r} in the store; add it first")
        return 1
    try:
        mapping = load_mapping(args.mapping) if args.mapping else None
    except MappingError as exc:
        _error(str(exc))
        return 1
    (single,) = args.files if len(args.files) == 1 else (None,)
    if single is not None and not single.is_dir() and single.suffix.lower() != ".zip":
        # One file is one import, as it always was: an empty file alone is refused.
        return _import_one(
            con,
            args,
            lambda: import_file(
                con, single, consultation, mapping, args.by, on_step=_progress_by_percent()
            ),
            single.name,
        )
    try:
        batch = gather(args.files)
    except FileRefused as exc:
        _error(f"refused {exc}; nothing was loaded")
        return 1
    if args.separately:
        status = 0
        for name, data in batch.files:
            status |= _import_one(
                con,
                args,
                lambda n=name, d=data: load(con, prepare(d, n, consultation, mapping), args.by),
                name,
            )
        return status
    progress = _progress if len(batch.files) >= PROGRESS_FROM else None
    return _import_one(
        con,
        args,
        lambda: import_batch(con, batch, consultation, mapping, args.by, on_step=progress),
        batch.name,
        batch=True,
    )


def _import_one(
    con: duckdb.DuckDBPyConnection,
    args: argparse.Namespace,
    run: Callable[[], ImportReport],
    name: str,
    *,
    batch: bool = False,
) -> int:
    """One import (a file or a batch), audited and described; 1 if it was refused."""
    try:
        report = run()
    except FileRefused as exc:
        _error(f"refused {exc}; nothing from this {'batch' if batch else 'file'} was loaded")
        return 1
    except duckdb.Error as exc:
        # The transaction was rolled back: say so plainly rather than with a traceback.
        _error(f"{name}: the store could not be written ({exc}); nothing was loaded")
        return 1
    if report.import_id is not None:
        database.audit(
            con,
            _cli_user(),
            "import",
            args.consultation,
            {
                "import_id": report.import_id,
                "file": report.file_name,
                "files": len(report.files) or 1,
                "sha256": report.content_hash,
                "respondents": report.respondents_loaded,
                "responses": report.responses_loaded,
                "recorded_as": args.by,
            },
        )
    print(describe(report))
    return 0


def _progress(label: str, fraction: float) -> None:
    """A batch's progress, on stderr so that stdout stays the report."""
    print(f"  {fraction:4.0%} {label}", file=sys.stderr, flush=True)


def _progress_by_percent() -> Callable[[str, float], None]:
    """`_progress`, said again only when the label or the whole percentage changes: a large
    file read in parts reports each of its hundreds of parts."""
    last = [("", -1)]

    def progress(label: str, fraction: float) -> None:
        now = (label, int(fraction * 100))
        if now != last[0]:
            last[0] = now
            _progress(label, fraction)

    return progress


def describe(report: ImportReport) -> str:
    """The per-file lines the CLI prints after an import."""
    if report.already_imported:
        earlier = report.already_imported
        return (
            f"{printable(report.file_name)}: already imported (import {earlier['import_id']}, "
            f"{printable(earlier['file_name'])}, {earlier['imported_at']}); nothing added"
        )
    lines = [
        f"{printable(report.file_name)}: {report.rows_read} rows read; "
        f"{report.respondents_loaded} respondents and {report.responses_loaded} responses "
        f"loaded; {report.rows_refused} rows refused"
        f" [{report.platform}, {report.shape}]"
    ]
    if report.respondents_already_present:
        lines.append(
            f"  {report.respondents_already_present} respondent ids were already in the "
            "consultation; their answers were added to them"
        )
    if report.files:
        empty = sum(1 for entry in report.files if entry.get("note"))
        lines.append(f"  {len(report.files):,} files, {empty:,} of them empty (passed over)")
    for reasons in _refusal_reasons(report):
        lines.append(f"  refused: {reasons}")
    for label, found in (
        ("looks like a placeholder, kept as written", report.placeholder_lookalikes),
        ("placeholder read as blank", report.placeholders_blanked),
    ):
        if found:
            counts = {f"{p['value']!r} in {p['field']}": p["rows"] for p in found}
            lines.append(f"  {label}: {printable(_top(counts))}")
    for label, counts in (
        ("country not recognised (region 'Unknown')", report.unknown_countries),
        ("language not recognised ('und')", report.unknown_languages),
        ("time not readable", report.unreadable_times),
        ("question not in the consultation", report.unknown_questions),
        ("respondent id on several rows", report.duplicate_respondent_ids),
    ):
        if counts:
            lines.append(f"  {label}: {_top(counts)}")
    if report.missing_times:
        lines.append(f"  no time given: {report.missing_times} rows")
    if report.responses_before_window or report.responses_after_window:
        lines.append(
            f"  outside the window: {report.responses_before_window} responses before, "
            f"{report.responses_after_window} after"
        )
    if report.responses:
        lines.append(
            f"  answers' own language: detected in {report.answers_language_detected} of "
            f"{report.responses}, {report.answers_language_differs} differ from the declared "
            "language"
        )
    lines.extend(f"  note: {note}" for note in report.notes)
    return "\n".join(lines)


def _refusal_reasons(report: ImportReport) -> list[str]:
    by_reason: dict[str, list[object]] = {}
    for refused in report.refused_rows:
        where = f"{refused['file']}:{refused['row']}" if refused.get("file") else refused["row"]
        by_reason.setdefault(refused["reason"], []).append(where)
    return [
        f"{len(rows)} rows ({reason}): rows {', '.join(map(str, rows[:10]))}"
        + (" ..." if len(rows) > 10 else "")
        for reason, rows in by_reason.items()
    ]


def _top(counts: dict[str, int], limit: int = 8) -> str:
    items = list(counts.items())
    text = ", ".join(f"{key}: {value}" for key, value in items[:limit])
    return text + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


def _summary(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    if database.get_consultation(con, args.consultation) is None:
        _error(f"no consultation {args.consultation!r} in the store")
        return 1
    figures = summary(con, args.consultation, filters_from(args))
    if args.text and not args.json:
        print(summary_text(database.get_consultation(con, args.consultation), figures))
    else:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


def summary_text(consultation: Consultation, figures: dict) -> str:
    """The summary as lines to read, in the language in force: totals, then respondents and
    responses against the window and by region, language and theme."""
    ctx = Context(consultation, Filters())

    def counts(values: dict) -> str:
        return _("{respondents} respondents, {responses} responses").format(
            respondents=i18n.number(values["respondents"]),
            responses=i18n.number(values["responses"]),
        )

    def section(title: str, rows: dict, name: Callable[[str], str]) -> list[str]:
        # Names from the data are made printable (numbers carry the locale's own spaces).
        return [
            "",
            title,
            *(f"  {printable(name(key))}: {counts(values)}" for key, values in rows.items()),
        ]

    periods = {period: _(label) for period, label in PERIOD_LABELS.items()}
    lines = [
        printable(consultation.display_title()),
        _("Respondents: {count}").format(count=i18n.number(figures["respondents"])),
        _("Responses: {count}").format(count=i18n.number(figures["responses"])),
        *section(_("Against the window"), figures["window"], lambda p: periods.get(p, p)),
        *section(_("Region (M49)"), figures["by_region"], geo.place_name),
        *section(_("Language"), figures["by_language"], language_label),
        *section(_("Theme"), figures["by_theme"], lambda t: ctx.theme_labels().get(t, t)),
    ]
    return "\n".join(lines)


def _export(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    consultation = database.get_consultation(con, args.consultation)
    if consultation is None:
        _error(f"no consultation {args.consultation!r} in the store")
        return 1
    if args.compare or args.segment:
        return _export_comparison(con, consultation, args)
    filters = filters_from(args)
    # The folder first: one that cannot be made is said at once, not after the pack is drawn.
    args.out.mkdir(parents=True, exist_ok=True)
    files = report.pack_files(con, consultation, filters, exact=args.exact)
    written = report.write_pack(files, args.out)
    # Recorded once the store is no longer open read-only here (`_record_audit_later`).
    args.audit_later.append(
        (
            _cli_user(),
            "export",
            consultation.id,
            {
                "folder": str(args.out),
                "filters": _audit_filters(consultation, filters),
                "exact": args.exact,
            },
        )
    )
    print(f"Wrote {len(written)} files to {args.out}")
    for path in written:
        print(f"  {path.relative_to(args.out)}")
    return 0


def _export_comparison(
    con: duckdb.DuckDBPyConnection, consultation: Consultation, args: argparse.Namespace
) -> int:
    """`export --compare`: each breakdown's comparison table, as the Compare page shows it."""
    if not args.compare:
        _error("--segment needs --compare")
        return 2
    if not compare.MIN_SEGMENTS <= len(args.segment) <= compare.MAX_SEGMENTS:
        _error(
            f"--compare needs {compare.MIN_SEGMENTS} to {compare.MAX_SEGMENTS} --segment "
            f"options, not {len(args.segment)}"
        )
        return 2
    if filters_from(args) != Filters(timezone=args.timezone):
        _error("with --compare, give the filters in each --segment, not as options")
        return 2
    segments = []
    for text in args.segment:
        try:
            other, filters = parse_segment(text, args.timezone)
        except SegmentError as exc:
            _error(str(exc))
            return 2
        chosen = consultation if other is None else database.get_consultation(con, other)
        if chosen is None:
            _error(f"no consultation {other!r} in the store")
            return 1
        codebook = tagging.get_codebook(con, chosen.id)
        segments.append(compare.Segment(chosen, filters, codebook))
    files = compare.files(con, segments, measure=args.measure, exact=args.exact)
    written = report.write_pack(files, args.out)
    args.audit_later.append(
        (
            _cli_user(),
            "export",
            consultation.id,
            {
                "folder": str(args.out),
                "segments": compare.audit_segments(segments),
                "exact": args.exact,
            },
        )
    )
    print(f"Wrote {len(written)} files to {args.out}")
    for path in written:
        print(f"  {path.relative_to(args.out)}")
    return 0


def _audit_filters(consultation: Consultation, filters: Filters) -> str:
    """The filters as the audit log records them: in English, whatever the language asked."""
    with i18n.using(i18n.DEFAULT):
        return Context(consultation, filters).filter_text(named=False)


def _imports(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    history = queries.frame(con, "store/imports", {"consultation": args.consultation})
    uncounted = set(uncounted_imports(con, args.consultation)["import_id"])
    for row in history.itertuples():
        print(
            f"{row.import_id}\t{row.imported_at:%Y-%m-%d %H:%M:%S}Z\t{printable(row.file_name)}\t"
            f"{row.file_size} bytes\tsha256:{row.content_hash[:12]}\t{printable(row.imported_by)}\t"
            f"{row.rows_read} rows, {row.respondents_loaded} respondents, "
            f"{row.responses_loaded} responses"
            + ("\tnot yet counted" if row.import_id in uncounted else "")
        )
    return 0


def _count(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    uncounted = uncounted_imports(con, args.consultation)
    if args.import_id not in set(uncounted["import_id"]):
        _error(f"consultation {args.consultation!r} has no uncounted import {args.import_id}")
        return 1
    # Within the limit an import in parts counts under: a large import's answers spill.
    with database.memory_limited(con, MEMORY_LIMIT):
        count_import(con, args.consultation, args.import_id, on_step=_progress_by_percent())
    database.audit(
        con, _cli_user(), "count_import", args.consultation, {"import_id": args.import_id}
    )
    print(f"Counted import {args.import_id}: its answers are tagged and in the figures")
    return 0


def _undo(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    history = queries.frame(con, "store/imports", {"consultation": args.consultation})
    if args.import_id not in set(history["import_id"]):
        _error(f"consultation {args.consultation!r} has no import {args.import_id}")
        return 1
    changed = undo_import(con, args.consultation, args.import_id)
    database.audit(
        con,
        _cli_user(),
        "undo",
        args.consultation,
        {"import_id": args.import_id, "changed": changed},
    )
    print(f"Undid import {args.import_id}: {changed} respondents' records removed or rebuilt")
    return 0


def _codebook(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    consultation = database.get_consultation(con, args.consultation)
    if consultation is None:
        _error(f"the store has no consultation {args.consultation!r}")
        return 1
    if args.action == "show":
        print(tagging.get_codebook(con, consultation.id).to_toml(), end="")
        return 0
    try:
        codebook = load_codebook(args.file, consultation)
    except (CodebookError, OSError) as exc:
        _error(str(exc))
        return 1
    written = tagging.save_codebook(con, consultation, codebook, args.by)
    print(f"Saved {len(codebook.codes)} codes; the answers now carry {written:,} keyword tags.")
    return 0


def _load_sample(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    consultation = load_consultation(SAMPLE_CONSULTATION)
    if database.consultation_ids(con):
        if (
            consultation.id in database.consultation_ids(con)
            and not tagging.get_codebook(con, consultation.id).codes
        ):
            # A store made before codebooks existed: give the sample its default codebook.
            tagging.save_codebook(con, consultation, load_codebook(SAMPLE_CODEBOOK), "sample")
            print("Added the sample codebook to the sample consultation.")
        print("The store already holds a consultation; the sample was not loaded.")
        return 0
    database.save_consultation(con, consultation)
    tagging.save_codebook(con, consultation, load_codebook(SAMPLE_CODEBOOK, consultation), "sample")
    for export, mapping_file in SAMPLE_EXPORTS:
        mapping = load_mapping(SAMPLE_DIR / mapping_file) if mapping_file else None
        print(describe(import_file(con, SAMPLE_DIR / export, consultation, mapping)))
    return 0


def printable(text: object) -> str:
    """Text from a file or a person, on one line of a listing: control and invisible
    formatting characters (newlines, tabs, escape sequences, bidirectional overrides) are
    written as escapes, and the backslash doubled, so a name cannot forge lines or columns."""
    out = []
    for ch in str(text):
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif unicodedata.category(ch) in ESCAPED_CATEGORIES or (ch.isspace() and ch != " "):
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
        else:
            out.append(ch)
    return "".join(out)


def _cli_user() -> str:
    """Who ran the command, for the audit log: the operating-system account."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (containers)
        return "cli:unknown"


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
