"""The consultation store: one DuckDB file holding consultations, imports and canonical rows.

Everything that opens the store goes through `connect`, so every connection has the same
settings: no extension is ever downloaded (UN networks are often closed), times are UTC, DuckDB
keeps to a memory limit and spills to a folder beside the store beyond it, and the schema and the
filter macros of `queries/macros/` are in place. `scratch` opens a DuckDB in memory with the same
limits, for work on data that is not in the store yet (screening an import's answers).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.definition.consultation import Consultation, parse_consultation
from dashboard.reference import geo
from dashboard.store import answer_language, queries, search_text
from dashboard.store.queries import Filters

DEFAULT_DB = Path("data") / "consultations.duckdb"
SCHEMA = Path(__file__).with_name("schema.sql")
CONNECTION_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
# What DuckDB may hold in memory (a size such as "4GB", or a share of the machine's memory such
# as "50%") and where it spills beyond that (default: "<store>.tmp" beside the store), so that a
# large import or page query writes temporary files instead of growing until the machine swaps.
MEMORY_LIMIT_SETTING = "DASHBOARD_MEMORY_LIMIT"
TEMP_DIR_SETTING = "DASHBOARD_TEMP_DIR"
DEFAULT_MEMORY_LIMIT = "50%"
# The dashboard server's default instead: it holds the store for as long as it runs, and DuckDB
# keeps what it has read in memory up to its limit, so with half the machine's memory a server
# over ten million responses grew to 2.2 GB with ten sessions (README, Benchmarks) and never gave
# it back. Its pages read a few tables each (the cube's, mostly), and what does not fit spills.
SERVER_MEMORY_LIMIT = "1GB"
# The cube's tables in the order they are built (cube_respondents first: the others count by
# its profiles), and the version of their layout: a store whose cube another version built has
# it built again when opened.
CUBE_TABLES = (
    "cube_builds",
    "cube_respondents",
    "cube_profiles",
    "cube_periods",
    "cube_quarters",
    "cube_themes",
    "cube_answer_languages",
    "cube_questions",
    "cube_codes",
    "cube_code_days",
    "cube_options",
    "cube_option_places",
)
CUBE_VERSION = queries.CUBE_VERSION


def default_db_path() -> Path:
    """`DASHBOARD_DB` if set, else `data/consultations.duckdb` under the working directory."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


class StoreBusy(RuntimeError):
    """Another process has the store open in a way that excludes this opening: DuckDB lets
    several processes read a file at once, or one process write it and no other open it.
    `holder` names that process ("process 123 (python -m dashboard export ...)") for messages."""

    def __init__(self, message: str, holder: str = "another process") -> None:
        super().__init__(message)
        self.holder = holder


def connect(
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    wait_seconds: float = 0,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
) -> duckdb.DuckDBPyConnection:
    """The store, with its settings and schema. While another process holds it, try again for
    up to `wait_seconds`, then raise `StoreBusy` naming that process. `memory_limit` is DuckDB's
    unless `DASHBOARD_MEMORY_LIMIT` says otherwise."""
    target = str(path if path is not None else default_db_path())
    if target != ":memory:" and not read_only:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(target, read_only=read_only, config=dict(CONNECTION_CONFIG))
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).casefold():
                raise
            if time.monotonic() >= deadline:
                message = busy_message(target, str(exc), wait_seconds, read_only=read_only)
                raise StoreBusy(message, holder_of(str(exc))) from exc
            time.sleep(0.5)
    _resource_settings(con, target, memory_limit)
    _session_settings(con)
    if not read_only:
        _apply_schema(con)
        if target != ":memory:":
            # A spool that cannot be moved now stays for the next writer: never a reason to
            # refuse this one.
            with contextlib.suppress(duckdb.Error, OSError):
                fold_spooled_audit(con, target)
    return con


def scratch() -> duckdb.DuckDBPyConnection:
    """A DuckDB in memory, with the store's settings and limits (spilling beside the default
    store) and no schema: for computing on frames before they are written."""
    con = duckdb.connect(":memory:", config=dict(CONNECTION_CONFIG))
    _resource_settings(con, ":memory:")
    _session_settings(con)
    return con


def resource_limits(target: str, memory_limit: str = DEFAULT_MEMORY_LIMIT) -> tuple[str, str]:
    """(memory limit, temporary directory) for a connection to `target` (a store path, or
    ":memory:", which spills beside the default store): `DASHBOARD_MEMORY_LIMIT` and
    `DASHBOARD_TEMP_DIR` when set, else `memory_limit` (half the machine's memory unless the
    caller says) and "<store>.tmp"."""
    memory = os.environ.get(MEMORY_LIMIT_SETTING, "").strip() or memory_limit
    store = default_db_path() if target == ":memory:" else Path(target)
    temp = os.environ.get(TEMP_DIR_SETTING, "").strip() or f"{store}.tmp"
    return memory, str(Path(temp).absolute())


def _resource_settings(
    con: duckdb.DuckDBPyConnection, target: str, memory_limit: str = DEFAULT_MEMORY_LIMIT
) -> None:
    memory, temp = resource_limits(target, memory_limit)
    try:
        con.execute("SET memory_limit = $memory", {"memory": memory})
    except duckdb.Error as exc:
        con.close()
        raise duckdb.InvalidInputException(
            f"{MEMORY_LIMIT_SETTING}={memory!r} is not a memory size DuckDB can use (write it "
            f'like "4GB" or "50%"): {exc}'
        ) from exc
    # Connections to one file in one process share its database, whose temporary directory
    # cannot change once used, not even to itself: set only when it differs, and a folder in
    # use is kept (the setting changed while this process held the store).
    current = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    if current != temp:
        with contextlib.suppress(duckdb.NotImplementedException):
            con.execute("SET temp_directory = $temp", {"temp": temp})


@contextmanager
def memory_limited(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit set to `limit` for a block (`DASHBOARD_MEMORY_LIMIT` still wins),
    then set back. For an import read in parts: DuckDB keeps what a transaction writes in memory
    up to its limit, half the machine's by default, and spills beyond it."""
    before = _set_back(con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])
    memory, _temp = resource_limits(":memory:", limit)
    con.execute("SET memory_limit = $memory", {"memory": memory})
    try:
        yield
    finally:
        con.execute("SET memory_limit = $memory", {"memory": before})


def _set_back(shown: str) -> str:
    """The memory limit to set to have DuckDB show `shown` again. DuckDB shows its limit cut to
    one decimal ("11.7 GiB" for 11.74 GiB) and reads that back as less ("11.6 GiB"), so a limit
    set back from what it shows would shrink each time; half the last digit shown is added."""
    number, _space, unit = shown.partition(" ")
    if "." not in number:
        return shown
    return f"{float(number) + 0.05:.2f} {unit}"


def holder_of(error: str) -> str:
    """The process named in DuckDB's lock error, with its command line when it can be read."""
    pid = re.search(r"\(PID (\d+)\)", error)
    if not pid:
        return "another process"
    holder = f"process {pid.group(1)}"
    try:
        command = Path(f"/proc/{pid.group(1)}/cmdline").read_bytes().split(b"\0")
        holder += f" ({' '.join(part.decode(errors='replace') for part in command if part)})"
    except OSError:
        pass  # not Linux, or the process is gone: the number is enough
    return holder


def busy_message(target: str, error: str, waited: float = 0, *, read_only: bool = False) -> str:
    """Which process holds the store (from DuckDB's lock error) and what to do about it."""
    holder = holder_of(error)
    waited_text = f" (waited {waited:g} s)" if waited else ""
    if read_only:
        # Only a writer keeps readers out: the dashboard for the moment of one of its own
        # writes, or a command that writes.
        return (
            f"the store {target} is being written by {holder}{waited_text}. While one process "
            "writes a store, DuckDB lets no other open it. If that is the dashboard, it is "
            "saving a change and lets go in a moment; if it is another command, wait for it to "
            "finish. --wait SECONDS waits for you."
        )
    return (
        f"the store {target} is in use by {holder}{waited_text}. DuckDB lets one process write "
        "a store, and only while no other has it open. If that is the dashboard, import and "
        "undo on its Import page, or stop it (Ctrl+C where `make run` runs) and run this "
        "command again; if it is another command, wait for it to finish (--wait SECONDS waits "
        "for you). Commands that only read (summary, export, imports, consultation list, "
        "codebook show) run beside the dashboard."
    )


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor for one thread (DuckDB connections are not shared between threads)."""
    new = con.cursor()
    _session_settings(new)
    return new


def _session_settings(con: duckdb.DuckDBPyConnection) -> None:
    # Session setting, so Python sees UTC datetimes whatever the machine's zone. (It cannot go
    # in the connect config: that would try to autoload ICU, which is built in but not loaded.)
    con.execute("SET TimeZone = 'UTC'")
    # Long builds (the facts of millions of responses) would draw a bar on the terminal.
    con.execute("SET enable_progress_bar = false")


def _apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    if queries.first_row(con, "store/responses_written_twice")[0]:
        _keep_text_as_written_apart(con)
    else:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
    for macro in queries.MACROS:
        queries.execute(con, f"macros/{macro}")
    if _load_countries(con):
        # The views name countries and their regions as the countries table did when made.
        for consultation_id in consultation_ids(con):
            with transaction(con):
                refresh_views(con, consultation_id)
    _fill_search_texts(con)
    _fill_answer_languages(con)
    _number_responses(con)
    stale = [row[0] for row in queries.execute(con, "store/stale_facts").fetchall()]
    for consultation_id in stale:
        with transaction(con):
            refresh_facts(con, consultation_id)
    _refresh_stale_cubes(con)


def _keep_text_as_written_apart(con: duckdb.DuckDBPyConnection) -> None:
    """A store made before the text as written was kept only where redaction changed it
    (schema.sql, responses) holds every answer twice: its answers move to the table the schema
    makes now, in one transaction (cut short, the next opening does it again). Every column
    reads as before; the table is about a third smaller."""
    with transaction(con):
        queries.execute(con, "store/set_aside_responses")
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        queries.execute(con, "store/move_responses")
        queries.execute(con, "store/drop_set_aside_responses")


def _number_responses(con: duckdb.DuckDBPyConnection) -> None:
    """Number the answers of a store made before they were numbered (schema.sql: response_key),
    in the order they are stored, so that a listing fetches its texts by number; the facts,
    which carry the numbers, are then rebuilt (store/stale_facts)."""
    if queries.first_row(con, "store/unnumbered_responses")[0]:
        with transaction(con):
            queries.execute(con, "store/number_responses")


def _refresh_stale_cubes(con: duckdb.DuckDBPyConnection) -> None:
    """Build the cube of every consultation that has none (a store made before the cube), or
    one built for another zone or by another layout of the cube (CUBE_VERSION)."""
    layout = {"layout": CUBE_VERSION}
    for (consultation_id,) in queries.execute(con, "store/stale_cubes", layout).fetchall():
        with transaction(con):
            refresh_cube(con, consultation_id)


def _load_countries(con: duckdb.DuckDBPyConnection) -> bool:
    """Load the countries' reference table where it differs in size from geo's; True if so."""
    reference = pd.DataFrame([vars(c) for c in geo.countries().values()])
    if queries.first_row(con, "store/country_count")[0] == len(reference):
        return False
    con.register("reference_countries", reference)
    try:
        with transaction(con):
            queries.execute(con, "store/delete_countries")
            queries.execute(con, "store/insert_countries")
    finally:
        con.unregister("reference_countries")
    return True


def _fill_search_texts(con: duckdb.DuckDBPyConnection) -> None:
    """Give every response its search texts: a store made before them has the columns empty,
    and one made with another version of the fold has them made again. Each distinct pair of
    texts is folded once, by the importer's function (search_text.search_columns). Each step
    may be cut short and done again at the next opening."""
    name = {"name": "search_text"}
    made_by = queries.first_row(con, "store/derived_version", name)
    current = made_by is not None and made_by[0] == search_text.VERSION
    if made_by is not None and not current:
        queries.execute(con, "store/clear_search_texts")
    pending = queries.frame(con, "store/unsearched_answers")
    if not pending.empty:
        folded = search_text.search_columns(pending["answer"], pending["answer_redacted"])
        # Registered outside the transaction: dropping it inside a failed one would raise
        # again and hide the first error.
        con.register("searched_texts", pd.concat([pending, folded], axis=1))
        try:
            with transaction(con):
                queries.execute(con, "store/fill_search_texts")
        finally:
            con.unregister("searched_texts")
    if not current:
        queries.execute(con, "store/set_derived_version", {**name, "version": search_text.VERSION})


def _fill_answer_languages(con: duckdb.DuckDBPyConnection) -> None:
    """Detect the language of every answer of a store made before the column, or by another
    version of the detection (answer_language.VERSION), each distinct text once; then rebuild
    the facts, which carry it. All in one transaction, with the version recorded: cut short,
    it is done again at the next opening."""
    name = {"name": "answer_language"}
    made_by = queries.first_row(con, "store/derived_version", name)
    if made_by is not None and made_by[0] == answer_language.VERSION:
        return
    version = {**name, "version": answer_language.VERSION}
    texts = queries.frame(con, "store/distinct_answers")
    if texts.empty:  # a new store: nothing to detect, nor any version to raise
        queries.execute(con, "store/set_derived_version", version)
        return
    texts["answer_language"] = answer_language.detect_series(texts["answer"]).astype(
        pd.StringDtype(na_value=pd.NA)
    )
    # Registered outside the transaction: dropping it inside a failed one would raise again
    # and hide the first error.
    con.register("detected_languages", texts)
    try:
        with transaction(con):
            queries.execute(con, "store/fill_answer_languages")
            for consultation_id in consultation_ids(con):
                refresh_facts(con, consultation_id)
            queries.execute(con, "store/set_derived_version", version)
    finally:
        con.unregister("detected_languages")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a failure anywhere inside rolls every statement back. A write that
    commits raises the store's version (store_version), which keys every session's cached
    figures; one rolled back leaves it as it was."""
    con.begin()
    try:
        yield con
        # Last, so the one row every writer updates is held as briefly as possible.
        queries.execute(con, "store/bump_version")
    except BaseException:
        con.rollback()
        raise
    con.commit()


def save_consultation(con: duckdb.DuckDBPyConnection, consultation: Consultation) -> bool:
    """Add or replace a consultation's definition; returns True when it was new."""
    key = {"consultation": consultation.id}
    is_new = get_consultation(con, consultation.id) is None
    with transaction(con):
        for statement in ("delete_consultation", "delete_themes", "delete_questions"):
            queries.execute(con, f"store/{statement}", key)
        queries.execute(
            con,
            "store/insert_consultation",
            {
                **key,
                "title": consultation.title,
                "opens": consultation.opens,
                "closes": consultation.closes,
                "timezone": consultation.timezone,
                "languages": list(consultation.languages),
                "suppression_k": consultation.suppression_k,
                "definition_toml": consultation.to_toml(),
                "added_at": datetime.now(UTC),
            },
        )
        for position, theme in enumerate(consultation.themes):
            labels = json.dumps(theme.labels, ensure_ascii=False)
            queries.execute(
                con,
                "store/insert_theme",
                {**key, "theme": theme.id, "position": position, "labels": labels},
            )
        for position, question in enumerate(consultation.questions):
            queries.execute(
                con,
                "store/insert_question",
                {
                    **key,
                    "question": question.id,
                    "theme": question.theme_id,
                    "position": position,
                    "texts": json.dumps(question.texts, ensure_ascii=False),
                },
            )
        refresh_facts(con, consultation.id)  # the window and the themes decide periods
    return is_new


def refresh_facts(
    con: duckdb.DuckDBPyConnection, consultation_id: str, *, affected_only: bool = False
) -> None:
    """Rebuild the consultation's facts (what every figure reads) from its canonical rows, then
    its cube; inside the caller's transaction, after any change to respondents, responses, the
    definition or the codes. With `affected_only`, only the facts of the respondents the
    temporary table `affected_respondents` lists (an import's or an undo's, their profiles
    rebuilt or removed: queries/store/create_affected_respondents.sql) are made again, with the
    keys they had: nothing else an import or an undo does changes another respondent's facts (a
    codebook or definition change touches everyone: those rebuild all)."""
    key = {"consultation": consultation_id}
    if affected_only:
        statements = [
            "scope_affected_respondents",
            "delete_response_facts_in_scope",
            "delete_respondent_facts_in_scope",
        ]
    else:
        statements = ["scope_all_respondents", "delete_response_facts", "delete_respondent_facts"]
    for statement in (
        *statements,
        "insert_respondent_facts",
        "create_fact_codes",
        "insert_response_facts",
    ):
        queries.execute(con, f"store/{statement}", key)
    queries.execute(con, "store/drop_fact_codes")
    queries.execute(con, "store/drop_facts_scope")
    refresh_cube(con, consultation_id)


def refresh_cube(con: duckdb.DuckDBPyConnection, consultation_id: str) -> None:
    """Rebuild the consultation's cube (the cube_* tables, see schema.sql) from its facts;
    inside the caller's transaction, after the facts."""
    key = {"consultation": consultation_id, "profile": None, "layout": CUBE_VERSION}
    for table in CUBE_TABLES:
        queries.execute(con, f"store/delete_{table}", key)
    # Respondents' profiles first: every other table is counted by profile.
    for table in CUBE_TABLES:
        queries.execute(con, f"store/insert_{table}", key)
    refresh_views(con, consultation_id)


def refresh_views(
    con: duckdb.DuckDBPyConnection, consultation_id: str, twins: list[str] | None = None
) -> None:
    """Make the consultation's unfiltered views again (cube_views, queries.VIEW_PARAMETERS):
    of every twin, or of `twins`; inside the caller's transaction, after the cube."""
    consultation = get_consultation(con, consultation_id)
    names = queries.twins() if twins is None else twins
    queries.execute(
        con,
        "store/delete_cube_views",
        {"consultation": consultation_id, "statements": [f"{queries.CUBE}/{n}" for n in names]},
    )
    if consultation is None:
        return
    base = {
        **Filters(timezone=consultation.timezone).params(consultation_id),
        "k": consultation.suppression_k,
    }
    for name in names:
        twin = f"{queries.CUBE}/{name}"
        for extra in queries.VIEW_PARAMETERS.get(name, ({},)):
            params = {**base, **extra}
            frame = queries.encode_view(con, twin, params)
            if frame is None:
                continue
            queries.execute(
                con,
                "store/insert_cube_view",
                {
                    "consultation": consultation_id,
                    "statement": twin,
                    "parameters": queries.view_key(twin, params),
                    "frame": frame,
                },
            )


def refresh_answer_codes(
    con: duckdb.DuckDBPyConnection, consultation_id: str, answer: tuple[int, int, str]
) -> None:
    """After the codes of one answer (import, source row, question) changed in response_codes
    (an analyst's tag edit): its facts row takes them, and the cube's code counts of its
    respondent's profile are counted again. Inside the caller's transaction."""
    import_id, source_row, question_id = answer
    where = {
        "consultation": consultation_id,
        "import_id": import_id,
        "source_row": source_row,
        "question_id": question_id,
    }
    queries.execute(con, "store/update_fact_codes", where)
    profile = queries.first_row(con, "store/cube_profile_of_answer", where)
    if profile is None:
        return  # no such answer: nothing is counted
    key = {"consultation": consultation_id, "profile": profile[0]}
    for table in CODE_TABLES:
        queries.execute(con, f"store/delete_{table}", key)
        queries.execute(con, f"store/insert_{table}", key)
    # The unfiltered views that count codes are made again (the others stand).
    refresh_views(con, consultation_id, [n for n in queries.twins() if _reads_codes(n)])


# The cube's tables an analyst's tag edit changes.
CODE_TABLES = ("cube_codes", "cube_code_days")


def _reads_codes(twin: str) -> bool:
    statement = "/".join((queries.CUBE, twin))
    words = set(re.findall(r"\w+", queries.sql(statement)))
    return not words.isdisjoint(CODE_TABLES)


def get_consultation(con: duckdb.DuckDBPyConnection, consultation_id: str) -> Consultation | None:
    row = queries.first_row(con, "store/consultation_definition", {"consultation": consultation_id})
    return parse_consultation(row[0], source=consultation_id) if row else None


def consultation_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in queries.execute(con, "store/consultation_ids").fetchall()]


def audit(
    con: duckdb.DuckDBPyConnection,
    who: str,
    action: str,
    consultation_id: str | None,
    details: dict | None = None,
) -> None:
    """Record who did what, when, and with which filters or files."""
    queries.execute(
        con,
        "store/insert_audit",
        {
            "happened_at": datetime.now(UTC),
            "who": who,
            "action": action,
            "consultation": consultation_id,
            "details": json.dumps(details or {}, ensure_ascii=False, default=str),
        },
    )


# Audit entries that could not be written at once (the store was open read-only for the one
# that made them, or another process was writing it) wait in a JSON-lines file beside the store;
# whoever next opens the store for writing moves them into audit_log, so that none is lost.
SPOOL_SUFFIX = ".audit-spool.jsonl"


def spool_path(target: Path | str) -> Path:
    return Path(f"{target}{SPOOL_SUFFIX}")


@contextmanager
def _spool_locked(path: Path) -> Iterator[object]:
    """The spool file, opened for appending and reading under an exclusive lock, so that two
    processes never interleave an append with a fold."""
    with path.open("a+", encoding="utf-8") as handle:
        try:
            import fcntl  # POSIX only: elsewhere appends of whole lines are left to the system
        except ImportError:
            yield handle
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def spool_audit(
    target: Path | str,
    who: str,
    action: str,
    consultation_id: str | None,
    details: dict | None = None,
) -> Path:
    """Keep one audit entry beside the store, for the next writer to add to audit_log (with
    the time it happened, not the time it was added). Returns the spool file."""
    entry = {
        "happened_at": datetime.now(UTC).isoformat(),
        "who": who,
        "action": action,
        "consultation": consultation_id,
        "details": json.dumps(details or {}, ensure_ascii=False, default=str),
    }
    path = spool_path(target)
    with _spool_locked(path) as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return path


def fold_spooled_audit(con: duckdb.DuckDBPyConnection, target: Path | str) -> int:
    """Move the spooled audit entries into audit_log, all in one transaction, and empty the
    spool only once that committed. A line that cannot be read (a process killed mid-write)
    is kept in the log as written rather than dropped. Returns the entries moved."""
    path = spool_path(target)
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with _spool_locked(path) as handle:
        handle.seek(0)
        lines = [line for line in handle.read().splitlines() if line.strip()]
        if not lines:
            return 0
        with transaction(con):
            for line in lines:
                queries.execute(con, "store/insert_audit", _spooled_row(line))
        handle.truncate(0)
        handle.flush()
    return len(lines)


def _spooled_row(line: str) -> dict:
    try:
        entry = json.loads(line)
        json.loads(entry.get("details") or "{}")  # the column holds JSON: checked before
        return {
            "happened_at": datetime.fromisoformat(entry["happened_at"]),
            "who": str(entry["who"]),
            "action": str(entry["action"]),
            "consultation": entry.get("consultation"),
            "details": entry.get("details") or "{}",
        }
    except (ValueError, KeyError, TypeError):
        details = json.dumps({"spooled_line": line}, ensure_ascii=False)
        return {
            "happened_at": datetime.now(UTC),
            "who": "unknown",
            "action": "unreadable_spooled_entry",
            "consultation": None,
            "details": details,
        }
