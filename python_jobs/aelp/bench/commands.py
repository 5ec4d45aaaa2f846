"""``aelp bench``: the group that every package's benchmark command joins."""

from __future__ import annotations

from aelp.cli.context import group


@group("bench")
def bench() -> None:
    """Benchmarks measured on sample worlds (figures go to docs/benchmarks.md)."""
