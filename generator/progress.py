"""Progress of a long build, stage by stage: the one way the library may tell a person what it is doing.

The CLI or the publishing layer picks a :class:`Reporter` with :func:`reporter_for` and passes it
down; library code only calls :meth:`Reporter.stage`, :meth:`Reporter.begin`,
:meth:`Reporter.advance` and :meth:`Reporter.end`. On a terminal, a live bar per stage (rich);
in CI logs or a pipe, one plain line per stage with its time, so a log stays short and greppable::

    trombi: load 12.31 s (100000 items)

Every reporter, even the silent one, keeps the stages' times in :attr:`Reporter.timings`.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import TaskID

# Stage names in build order; benchmarks read them back from the log lines.
# "plan": the pages planned, and the files besides pages (feed, calendars, assets); the exports are written with the pages (render).
# "keep": this build's files kept for the next (what they read answered first, then Pagefind starts);
# "search indexes": what the build waits for Pagefind once the kept files are placed and its files kept, which it runs beside.
STAGES = ("config", "load", "validate", "enrich", "history", "plan", "mkdocs", "changes", "render", "keep", "search indexes", "kept files", "write")
LOG_LINE = re.compile(r"^trombi: (?P<stage>[a-z][a-z ]*[a-z]) (?P<seconds>\d+\.\d+) s(?: \((?P<items>\d+) items\))?$")


class Reporter:
    """Records how long each stage takes and says nothing: the default for library calls."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.items: dict[str, int] = {}
        self._stage: str | None = None
        self._started = 0.0

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Reporter]:
        """Time the ``with`` block as stage ``name`` (``total`` items expected, if known)."""
        self.begin(name, total)
        try:
            yield self
        finally:
            self.end()

    def begin(self, name: str, total: int | None = None) -> None:
        """Open stage ``name``; one stage at a time, so an open stage is ended first."""
        if self._stage is not None:
            self.end()
        self._stage, self._started = name, time.perf_counter()
        self.items.setdefault(name, 0)
        self._shown_begin(name, total)

    def expect(self, total: int) -> None:
        """The current stage has ``total`` items in all (when it was not known at its start)."""
        if self._stage is not None:
            self._shown_expect(total)

    def advance(self, count: int = 1) -> None:
        """``count`` more items of the current stage are done."""
        if self._stage is not None:
            self.items[self._stage] += count
            self._shown_advance(count)

    def end(self) -> float:
        """Close the current stage (if any) and return its time in seconds."""
        if self._stage is None:
            return 0.0
        name, seconds = self._stage, time.perf_counter() - self._started
        self._stage = None
        # A stage met twice (e.g. MkDocs events in a rebuild) adds up rather than forgets.
        self.timings[name] = self.timings.get(name, 0.0) + seconds
        self._shown_end(name, seconds)
        return seconds

    def close(self) -> None:
        """End the open stage and release the display."""
        self.end()

    # What subclasses show; the silent reporter shows nothing.
    def _shown_begin(self, name: str, total: int | None) -> None:
        pass

    def _shown_expect(self, total: int) -> None:
        pass

    def _shown_advance(self, count: int) -> None:
        pass

    def _shown_end(self, name: str, seconds: float) -> None:
        pass


class LogReporter(Reporter):
    """One line per finished stage, for CI logs and pipes (matches :data:`LOG_LINE`)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def _shown_end(self, name: str, seconds: float) -> None:
        count = self.items.get(name, 0)
        suffix = f" ({count} items)" if count else ""
        print(f"trombi: {name} {seconds:.2f} s{suffix}", file=self.stream, flush=True)


class TerminalReporter(Reporter):
    """A live progress bar per stage (rich), left on screen with its time once the stage ends."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        super().__init__()
        self._progress = Progress(
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self._task: TaskID | None = None
        self._progress.start()

    def _shown_begin(self, name: str, total: int | None) -> None:
        self._task = self._progress.add_task(name, total=total)

    def _shown_expect(self, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, total=total)

    def _shown_advance(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)

    def _shown_end(self, name: str, seconds: float) -> None:
        if self._task is not None:
            task = self._task
            done = self.items.get(name, 0)
            self._progress.update(task, total=done or 1, completed=done or 1, description=f"{name} ({seconds:.1f} s)")
            self._progress.stop_task(task)
            self._task = None

    def close(self) -> None:
        super().close()
        self._progress.stop()


def reporter_for(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> Reporter:
    """Bars on an interactive terminal; plain lines when ``stream`` is not a TTY or ``CI`` is set."""
    stream = stream if stream is not None else sys.stderr
    environ = environ if environ is not None else os.environ
    if stream.isatty() and not environ.get("CI"):
        return TerminalReporter(stream)
    return LogReporter(stream)


def parse_log(text: str) -> dict[str, float]:
    """Stage times from the lines a :class:`LogReporter` wrote (other lines are ignored)."""
    timings: dict[str, float] = {}
    for line in text.splitlines():
        match = LOG_LINE.match(line.strip())
        if match:
            timings[match["stage"]] = timings.get(match["stage"], 0.0) + float(match["seconds"])
    return timings
