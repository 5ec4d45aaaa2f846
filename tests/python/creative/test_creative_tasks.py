"""Per-file tasks report bad files instead of raising; the pool survives a dead worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from creative_samples import random_bytes

from aelp.creative.media import DecodeOptions
from aelp.creative.tasks import TaskFailure, TaskRunner, WorkerPoolError, decode_task, hash_task


def square_or_die(x: int) -> int | TaskFailure:
    """A task whose worker process dies on a negative input."""
    if x < 0:
        os._exit(3)
    return x * x


def test_an_unreadable_file_is_a_retryable_read_failure(tmp_path: Path) -> None:
    failure = hash_task(tmp_path / "gone.png")
    assert isinstance(failure, TaskFailure)
    assert (failure.stage, failure.error_type, failure.persistent) == (
        "read",
        "FileNotFoundError",
        False,
    )


def test_undecodable_bytes_are_a_persistent_decode_failure(tmp_path: Path) -> None:
    path = random_bytes(tmp_path / "noise.jpg")
    failure = decode_task(path, "0" * 64, "noise.jpg", DecodeOptions())
    assert isinstance(failure, TaskFailure)
    assert (failure.stage, failure.error_type, failure.persistent) == (
        "decode",
        "MediaError",
        True,
    )


def test_a_dead_worker_fails_its_items_and_the_next_batch_gets_a_new_pool() -> None:
    with TaskRunner(workers=2) as runner:
        assert runner.map(square_or_die, [(2,), (3,)], "decode") == [4, 9]
        crashed = runner.map(square_or_die, [(-1,), (5,)], "decode")
        assert isinstance(crashed[0], TaskFailure)
        assert crashed[0].error_type == "BrokenProcessPool" and not crashed[0].persistent
        assert runner.map(square_or_die, [(4,), (6,)], "decode") == [16, 36]


def test_a_pool_that_cannot_finish_any_task_stops_the_run() -> None:
    with TaskRunner(workers=2) as runner, pytest.raises(WorkerPoolError):
        runner.map(square_or_die, [(-1,), (-2,)], "decode")
