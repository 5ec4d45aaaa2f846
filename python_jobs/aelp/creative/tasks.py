"""Per-file work that may run in a worker process: hashing and decoding.

Tasks never raise for a bad file: they return a :class:`TaskFailure` so one file cannot
stop a batch. ``TaskRunner`` runs them in the calling process or in a process pool.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from aelp.creative.hashing import file_sha256
from aelp.creative.media import DecodedMedia, DecodeOptions, MediaError, decode_file

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class TaskFailure:
    """Why a task could not finish for one file.

    ``persistent`` failures come from the file's content (corrupt, unsupported) and are
    recorded so the same bytes are not tried again; the others (unreadable file, out
    of memory, a crashed worker) are only reported and are retried on the next run.
    """

    stage: str
    error_type: str
    reason: str
    persistent: bool


def hash_task(path: Path) -> str | TaskFailure:
    """The file's SHA-256, or why it could not be read."""
    try:
        return file_sha256(path)
    except OSError as error:
        return TaskFailure("read", type(error).__name__, str(error), persistent=False)


def decode_task(
    path: Path, content_sha256: str, file_name: str, options: DecodeOptions
) -> DecodedMedia | TaskFailure:
    """The decoded file, or why it could not be decoded."""
    try:
        return decode_file(path, content_sha256, file_name, options)
    except MediaError as error:
        return TaskFailure("decode", type(error).__name__, str(error), persistent=True)
    except MemoryError as error:
        return TaskFailure("decode", type(error).__name__, str(error), persistent=False)
    except Exception as error:
        return TaskFailure("decode", type(error).__name__, str(error) or repr(error), True)


class WorkerPoolError(RuntimeError):
    """The worker processes could not run a single task (they fail to start)."""


class TaskRunner:
    """Maps tasks over items in this process (``workers == 1``) or a spawn process pool.

    Workers are spawned, so a script that calls this must guard its entry point with
    ``if __name__ == "__main__":``. A worker that dies takes its in-flight items with
    it: they come back as non-persistent failures and the pool is replaced for the
    next call. A pool that breaks before finishing any task raises
    :class:`WorkerPoolError` instead, since every later batch would fail the same way.
    """

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._finished = 0

    def map(
        self, task: Callable[..., T | TaskFailure], items: Sequence[tuple[Any, ...]], stage: str
    ) -> list[T | TaskFailure]:
        """``task(*item)`` for each item, in order; ``stage`` names a crash's failures."""
        return self.start(task, items, stage)()

    def start(
        self, task: Callable[..., T | TaskFailure], items: Sequence[tuple[Any, ...]], stage: str
    ) -> Callable[[], list[T | TaskFailure]]:
        """Like :meth:`map`, but returns at once; calling the result waits for the results.

        With worker processes the tasks run while the caller does other work (decoding
        the next batch while a model runs on this one); in-process they run on the call.
        """
        if self.workers == 1 or len(items) <= 1:
            return lambda: [task(*item) for item in items]
        pool = self._ensure_pool()
        futures: list[Future[T | TaskFailure]] = [pool.submit(task, *item) for item in items]
        return lambda: self._collect(futures, stage)

    def _collect(
        self, futures: Sequence[Future[T | TaskFailure]], stage: str
    ) -> list[T | TaskFailure]:
        results: list[T | TaskFailure] = []
        crash: BrokenProcessPool | None = None
        for future in futures:
            try:
                results.append(future.result())
                self._finished += 1
            except BrokenProcessPool as error:
                crash = error
                results.append(TaskFailure(stage, "BrokenProcessPool", str(error), False))
        if crash is not None:
            self.close()
            if self._finished == 0:
                raise WorkerPoolError(f"worker processes failed before any task: {crash}")
            log.error("a worker process died; its files will be retried on the next run")
        return results

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._pool

    def close(self) -> None:
        """Shut the pool down (a later :meth:`map` starts a new one)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> TaskRunner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
