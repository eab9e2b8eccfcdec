"""One process's way to the store while other processes use it too: the dashboard's.

DuckDB lets several processes open a store read-only at once, or one process read-write with
no other holding it at all. So that CLI commands that only read (`summary`, `export`,
`imports`) run beside the dashboard, the dashboard holds the store read-only, and opens it for
writing only for the time each of its writes takes:

- every statement a page reads runs on this thread's cursor of the shared connection, counted
  while it runs (from `execute` until its rows are fetched);
- a write (`writing()`) waits until no statement runs and lets none start, closes the read-only
  connection and every cursor on it, opens the store read-write (waiting a bounded time if a
  command holds it), and lets readers go on: on cursors of that connection meanwhile. When the
  write is over it checkpoints, closes and opens the store read-only again the same way.

Writers take turns (one at a time); a write inside a write (an import's audit entry) joins it.
If a command holds the store when a write needs it, `StoreBusy` is raised and nothing is
written; readers keep their read-only connection. If the store cannot be opened read-only again
(a command took it for writing in between), the next statement tries again and raises
`StoreBusy` while it is held.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import duckdb

from dashboard.store import database

# How long a write waits for a command that holds the store before it gives up (it is the time
# a person waits after clicking Import), and how long a statement waits to open the store
# read-only while a command writes it.
WRITE_WAIT_SECONDS = 10.0
READ_WAIT_SECONDS = 2.0


class StoreGate:
    """The store at `path`, shared by the threads of one process; see the module's text."""

    _every: ClassVar[weakref.WeakSet[StoreGate]] = weakref.WeakSet()

    def __init__(
        self,
        path: str,
        *,
        write_wait: float = WRITE_WAIT_SECONDS,
        read_wait: float = READ_WAIT_SECONDS,
        memory_limit: str = database.DEFAULT_MEMORY_LIMIT,
        write_memory_limit: str = database.DEFAULT_MEMORY_LIMIT,
    ) -> None:
        self.path = path
        # DuckDB's limit while the store is open read-only (what every session reads through),
        # and while a write has it: the connection is closed once the write is over, so what
        # the write took is given back.
        self.memory_limit = memory_limit
        self.write_memory_limit = write_memory_limit
        self.write_wait = write_wait
        self.read_wait = read_wait
        self._state = threading.Condition()
        self._running = 0  # statements between execute and fetch
        self._switching = False  # a switch is waiting or under way: no statement may start
        self._con: duckdb.DuckDBPyConnection | None = None
        self._read_only = True
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._generation = 0  # one per connection opened: a cursor belongs to one
        self._local = threading.local()
        self._turn = threading.Lock()  # writers, one at a time
        self._writer: int | None = None  # the thread that writes now
        self._prepared = False
        self.cycles = 0  # writes done (for measurements)
        StoreGate._every.add(self)

    @classmethod
    def close_all(cls) -> None:
        """Let go of every store this process's gates hold (they open again when next read):
        for tests, whose own connections in this process must not meet a gate's other one."""
        for gate in list(cls._every):
            gate.close()

    # --- reading --------------------------------------------------------------------------

    def cursor(self) -> Any:
        """What this thread reads with: inside a write, the writing connection itself (so a
        write sees what it wrote); otherwise a cursor whose statements the gate counts."""
        if self._writer == threading.get_ident() and self._con is not None:
            return self._con
        return GatedCursor(self)

    def _start_statement(self) -> duckdb.DuckDBPyConnection:
        with self._state:
            while self._switching:
                self._state.wait()
            if self._con is None:
                self._open(read_only=True, wait=self.read_wait)
            assert self._con is not None
            self._running += 1
            local = self._local
            if getattr(local, "generation", None) != self._generation:
                local.cursor = database.cursor(self._con)
                local.generation = self._generation
                self._cursors.append(local.cursor)
            return local.cursor

    def _end_statement(self) -> None:
        with self._state:
            self._running -= 1
            if self._running == 0:
                self._state.notify_all()

    # --- writing --------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The store open for writing, for this thread only; raises `StoreBusy` (nothing
        written) when another process holds it longer than `write_wait`."""
        me = threading.get_ident()
        if self._writer == me:  # a write inside this thread's write: the same one
            assert self._con is not None
            yield self._con
            return
        with self._turn:
            self._switch(read_only=False)
            self._writer = me
            try:
                assert self._con is not None
                yield self._con
            finally:
                self._writer = None
                self.cycles += 1
                with contextlib.suppress(database.StoreBusy):
                    self._switch(read_only=True)

    def _switch(self, *, read_only: bool) -> None:
        with self._state:
            self._switching = True
            try:
                while self._running:
                    self._state.wait()
                self._close()
                if read_only:
                    self._open(read_only=True, wait=self.read_wait)
                    return
                try:
                    self._open(read_only=False, wait=self.write_wait)
                except BaseException:
                    # Readers go on with the store as it was (if it can still be opened).
                    with contextlib.suppress(database.StoreBusy, duckdb.Error):
                        self._open(read_only=True, wait=0)
                    raise
            finally:
                self._switching = False
                self._state.notify_all()

    # --- the connection -------------------------------------------------------------------

    def _open(self, *, read_only: bool, wait: float) -> None:
        """Open the store (called with `_state` held and nothing open). The first opening is
        for writing, briefly, when it can be had: it lays out the schema (a new or older
        store) and moves spooled audit entries, which a read-only opening cannot do."""
        if read_only and not self._prepared:
            # If a command has it, that command laid out the schema when it opened it.
            # (ConnectionException: this process reads it already, elsewhere than here.)
            with contextlib.suppress(database.StoreBusy, duckdb.ConnectionException):
                database.connect(self.path, memory_limit=self.write_memory_limit).close()
            self._prepared = True
        limit = self.memory_limit if read_only else self.write_memory_limit
        try:
            con = database.connect(
                self.path, read_only=read_only, wait_seconds=wait, memory_limit=limit
            )
        except duckdb.ConnectionException:
            if not read_only:
                raise
            # This process has the store open for writing elsewhere (a test, a tool): DuckDB
            # shares one database per file and process, so join it as it is, with the limit of a
            # write (DuckDB's limit is the database's: a read's would shrink that writer's).
            con = database.connect(
                self.path, wait_seconds=wait, memory_limit=self.write_memory_limit
            )
            read_only = False
        self._con, self._read_only = con, read_only
        self._prepared = True
        self._generation += 1

    def _close(self) -> None:
        con, self._con = self._con, None
        cursors, self._cursors = self._cursors, []
        for cursor in cursors:
            with contextlib.suppress(duckdb.Error):
                cursor.close()
        if con is None:
            return
        if not self._read_only:
            # Written to the file now, so that the read-only opening finds no log to replay.
            with contextlib.suppress(duckdb.Error):
                con.execute("CHECKPOINT")
        con.close()

    def close(self) -> None:
        """Let go of the store (waits for running statements)."""
        with self._turn, self._state:
            while self._running:
                self._state.wait()
            self._close()


class GatedCursor:
    """A thread's cursor as pages use it (`execute`, then fetch the rows): the statement is
    counted by the gate from `execute` until its rows are fetched, so no switch closes the
    connection under it."""

    def __init__(self, gate: StoreGate) -> None:
        self._gate = gate

    def execute(self, query: str, parameters: object = None) -> _Result:
        cursor = self._gate._start_statement()
        try:
            if parameters is None:
                cursor.execute(query)
            else:
                cursor.execute(query, parameters)
        except BaseException:
            self._gate._end_statement()
            raise
        return _Result(self._gate, cursor)

    def close(self) -> None:
        """Nothing to do: the gate owns the cursors (kept for code that closes what it used)."""


class _Result:
    """One statement's rows, to fetch once; the statement stops counting when they are
    fetched (or when the result is dropped unfetched)."""

    def __init__(self, gate: StoreGate, cursor: duckdb.DuckDBPyConnection) -> None:
        self._gate: StoreGate | None = gate
        self._cursor = cursor

    def _done(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None:
            gate._end_statement()

    def _fetch(self, how: str, *args: Any) -> Any:
        if self._gate is None:
            raise duckdb.InvalidInputException("these rows were already fetched")
        try:
            return getattr(self._cursor, how)(*args)
        finally:
            self._done()

    def fetchall(self) -> list[tuple]:
        return self._fetch("fetchall")

    def fetchone(self) -> tuple | None:
        return self._fetch("fetchone")

    def fetchmany(self, size: int = 1) -> list[tuple]:
        return self._fetch("fetchmany", size)

    def df(self) -> Any:
        return self._fetch("df")

    fetchdf = df

    def fetchnumpy(self) -> Any:
        return self._fetch("fetchnumpy")

    def __del__(self) -> None:
        self._done()
